import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

// Captured at load: tests may fake timers and Date, but waiting for requests needs real time.
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;

/**
 * A local stand-in for Slack: the Web API under /api/, response_url receivers under /respond/,
 * and a Socket Mode WebSocket under /link. Everything it receives is recorded for assertions.
 */

export interface RecordedCall {
  method: string;
  /** Form or JSON body, with `blocks` / `attachments` decoded from their JSON strings. */
  body: Record<string, unknown>;
  blocks?: unknown[];
  /** Whether an Authorization bearer token came with it (never the token itself). */
  authorized: boolean;
  /** `Date.now()` when it arrived: fake time when the test fakes Date. */
  at: number;
}

/** A message the bot posted, as conversations.history returns it. */
export interface FakeMessage {
  type: 'message';
  ts: string;
  text: string;
  user: string;
  bot_id: string;
  app_id: string;
  blocks?: unknown;
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
}

export interface RecordedResponse {
  id: string;
  body: Record<string, unknown>;
}

/** A file uploaded through files.uploadV2's three steps, as the fake received it. */
export interface FakeUpload {
  fileId: string;
  filename: string;
  /** The length announced to files.getUploadURLExternal. */
  length: number;
  /** Alt text sent with getUploadURLExternal (`alt_txt`, or `alt_text` as @slack/web-api sends it). */
  altText?: string;
  /** The bytes posted to the upload URL (undefined until then). */
  data?: Uint8Array;
  contentType?: string;
  /** Set by files.completeUploadExternal. */
  completed: boolean;
  title?: string;
  channelId?: string;
  threadTs?: string;
}

export interface FakeUser {
  id: string;
  name?: string;
  displayName?: string;
  realName?: string;
  isAdmin?: boolean;
  isOwner?: boolean;
  /** A bot user: conversations.open answers cannot_dm_bot. */
  isBot?: boolean;
  /** A deactivated account: conversations.open answers user_disabled. */
  deleted?: boolean;
}

export interface FakeChannel {
  id: string;
  name?: string;
  isMember?: boolean;
  isPrivate?: boolean;
  isArchived?: boolean;
}

export interface SocketAck {
  envelope_id: string;
  payload?: unknown;
}

export interface FakeSlackOptions {
  teamId?: string;
  botUserId?: string;
  /** Scopes reported in the x-oauth-scopes header. */
  scopes?: string[];
  /** Interval for server pings on Socket Mode connections. */
  pingIntervalMs?: number;
}

type Handler = (body: Record<string, unknown>) => { status?: number; json: Record<string, unknown> };

export class FakeSlack {
  readonly calls: RecordedCall[] = [];
  readonly responses: RecordedResponse[] = [];
  readonly users = new Map<string, FakeUser>();
  readonly channels = new Map<string, FakeChannel>();
  readonly teamId: string;
  readonly botUserId: string;
  scopes: string[];
  /** Status for requests to response_url (Slack answers 404 for an expired one). */
  responseStatus = 200;
  /** Files uploaded (or begun) with files.uploadV2, in order. */
  readonly uploads: FakeUpload[] = [];
  /** DM channels opened with conversations.open: channel id -> user id. */
  readonly dmChannels = new Map<string, string>();

  private server!: Server;
  private wss!: WebSocketServer;
  private readonly sockets = new Set<WebSocket>();
  private readonly rateLimitOnce = new Map<string, number>();
  private readonly failures = new Map<string, { error: string; channel?: string }[]>();
  private readonly drops = new Map<string, number>();
  /** Messages per channel, oldest first. */
  readonly history = new Map<string, FakeMessage[]>();
  private readonly holds = new Map<string, Promise<void>>();
  private readonly pendingAcks = new Map<string, (ack: SocketAck) => void>();
  private readonly waiters: { test: () => boolean; resolve: () => void }[] = [];
  private readonly handlers: Record<string, Handler>;
  private ts = 1_700_000_000;
  private pingTimer?: NodeJS.Timeout;
  private readonly pingIntervalMs: number;
  socketConnections = 0;

  constructor(options: FakeSlackOptions = {}) {
    this.teamId = options.teamId ?? 'T0TEST';
    this.botUserId = options.botUserId ?? 'U0BOT';
    this.scopes = options.scopes ?? ['commands', 'chat:write', 'users:read'];
    this.pingIntervalMs = options.pingIntervalMs ?? 5_000;
    this.handlers = {
      'auth.test': () => ({
        json: {
          ok: true,
          url: 'https://thaw-test.slack.com/',
          team: 'Thaw Test',
          user: 'thawbot',
          team_id: this.teamId,
          user_id: this.botUserId,
          bot_id: 'B0BOT',
        },
      }),
      'users.info': (body) => {
        const user = this.users.get(String(body.user));
        if (!user) return { json: { ok: false, error: 'user_not_found' } };
        return {
          json: {
            ok: true,
            user: {
              id: user.id,
              team_id: this.teamId,
              name: user.name ?? user.id.toLowerCase(),
              real_name: user.realName ?? '',
              is_admin: user.isAdmin ?? false,
              is_owner: user.isOwner ?? false,
              is_bot: false,
              profile: { display_name: user.displayName ?? '', real_name: user.realName ?? '' },
            },
          },
        };
      },
      'chat.postMessage': (body) => {
        const refused = this.postRefusal(String(body.channel));
        if (refused) return { json: { ok: false, error: refused } };
        const ts = this.nextTs();
        const message: FakeMessage = {
          type: 'message',
          ts,
          text: String(body.text ?? ''),
          user: this.botUserId,
          bot_id: 'B0BOT',
          app_id: 'A0TEST',
          ...(body.blocks !== undefined ? { blocks: body.blocks } : {}),
          ...(isMetadata(body.metadata) ? { metadata: body.metadata } : {}),
        };
        const list = this.history.get(String(body.channel)) ?? [];
        list.push(message);
        this.history.set(String(body.channel), list);
        const { metadata: _hidden, ...shown } = message;
        return { json: { ok: true, channel: body.channel, ts, message: shown } };
      },
      'chat.postEphemeral': () => ({ json: { ok: true, message_ts: this.nextTs() } }),
      'views.open': (body) => {
        // Slack's checks: a trigger id, a modal with a title and submit of at most 24 characters.
        const view = body.view as {
          type?: string;
          title?: { text?: string };
          submit?: { text?: string };
          blocks?: unknown[];
        };
        if (typeof body.trigger_id !== 'string' || !body.trigger_id)
          return { json: { ok: false, error: 'invalid_trigger_id' } };
        const long = (t?: { text?: string }) => !t?.text || t.text.length > 24;
        if (
          view?.type !== 'modal' ||
          long(view.title) ||
          (view.submit && long(view.submit)) ||
          !Array.isArray(view.blocks)
        )
          return { json: { ok: false, error: 'invalid_arguments' } };
        return { json: { ok: true, view: { id: `V${this.nextTs().replace('.', '')}`, ...view } } };
      },
      'chat.update': (body) => {
        const message = this.history.get(String(body.channel))?.find((m) => m.ts === body.ts);
        if (message) {
          message.text = String(body.text ?? '');
          if (body.blocks !== undefined) message.blocks = body.blocks;
        }
        return { json: { ok: true, channel: body.channel, ts: body.ts, text: body.text } };
      },
      'conversations.history': (body) => {
        const id = String(body.channel);
        const channel = this.channels.get(id);
        if (channel && !channel.isMember && channel.isPrivate)
          return { json: { ok: false, error: 'channel_not_found' } };
        if (channel && !channel.isMember) return { json: { ok: false, error: 'not_in_channel' } };
        const limit = Math.min(Number(body.limit ?? 100) || 100, 999);
        const withMetadata = String(body.include_all_metadata) === 'true';
        const all = [...(this.history.get(id) ?? [])].reverse();
        const messages = all.slice(0, limit).map((m) => {
          const { metadata, ...rest } = m;
          return withMetadata && metadata ? { ...rest, metadata } : rest;
        });
        return { json: { ok: true, messages, has_more: all.length > limit } };
      },
      'conversations.info': (body) => {
        const channel = this.channels.get(String(body.channel));
        if (!channel) return { json: { ok: false, error: 'channel_not_found' } };
        return {
          json: {
            ok: true,
            channel: {
              id: channel.id,
              name: channel.name ?? channel.id.toLowerCase(),
              is_channel: !channel.isPrivate,
              is_private: channel.isPrivate ?? false,
              is_member: channel.isMember ?? false,
              is_archived: channel.isArchived ?? false,
            },
          },
        };
      },
      'conversations.members': (body) => {
        const channel = this.channels.get(String(body.channel));
        if (!channel) return { json: { ok: false, error: 'channel_not_found' } };
        return { json: { ok: true, members: channel.isMember ? [this.botUserId] : [] } };
      },
      'conversations.open': (body) => {
        const id = String(body.users ?? '');
        const user = this.users.get(id);
        if (!user) return { json: { ok: false, error: 'user_not_found' } };
        if (user.isBot) return { json: { ok: false, error: 'cannot_dm_bot' } };
        if (user.deleted) return { json: { ok: false, error: 'user_disabled' } };
        const channel = `D${id.slice(1)}`;
        this.dmChannels.set(channel, id);
        return { json: { ok: true, channel: { id: channel } } };
      },
      'files.getUploadURLExternal': (body) => {
        const length = Number(body.length);
        if (!body.filename || !(length > 0)) return { json: { ok: false, error: 'invalid_arguments' } };
        const fileId = `F${String(this.uploads.length + 1).padStart(8, '0')}`;
        const alt = body.alt_txt ?? body.alt_text;
        this.uploads.push({
          fileId,
          filename: String(body.filename),
          length,
          ...(alt !== undefined ? { altText: String(alt) } : {}),
          completed: false,
        });
        return {
          json: { ok: true, upload_url: `http://127.0.0.1:${this.port}/upload/${fileId}`, file_id: fileId },
        };
      },
      'files.completeUploadExternal': (body) => {
        const files = decodeJson(body.files) as { id: string; title?: string }[];
        const channel = body.channel_id === undefined ? undefined : String(body.channel_id);
        if (channel) {
          const refused = this.postRefusal(channel);
          if (refused) return { json: { ok: false, error: refused } };
        }
        const done = [];
        for (const entry of Array.isArray(files) ? files : []) {
          const upload = this.uploads.find((u) => u.fileId === entry.id);
          if (!upload?.data) return { json: { ok: false, error: 'file_not_found' } };
          if (upload.data.byteLength !== upload.length)
            return { json: { ok: false, error: 'invalid_length' } };
          upload.completed = true;
          upload.title = entry.title;
          upload.channelId = channel;
          if (body.thread_ts !== undefined) upload.threadTs = String(body.thread_ts);
          done.push({ id: upload.fileId, name: upload.filename, title: entry.title ?? upload.filename });
        }
        return { json: { ok: true, files: done } };
      },
      'apps.connections.open': () => ({
        json: { ok: true, url: `ws://127.0.0.1:${this.port}/link/?ticket=${randomUUID()}&app_id=A0TEST` },
      }),
    };
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Base URL for Bolt's `clientOptions.slackApiUrl` (trailing slash included). */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  /** A fresh response_url; what is posted to it lands in `responses` under `id`. */
  responseUrl(id: string = randomUUID()): string {
    return `http://127.0.0.1:${this.port}/respond/${id}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.route(req, res).catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
    });
    this.wss = new WebSocketServer({ noServer: true });
    this.server.on('upgrade', (req, socket, head) => {
      if (!req.url?.startsWith('/link')) {
        socket.destroy();
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onSocket(ws));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.pingTimer = setInterval(() => {
      for (const ws of this.sockets) ws.ping();
    }, this.pingIntervalMs);
    this.pingTimer.unref();
    return this;
  }

  async close(): Promise<void> {
    clearInterval(this.pingTimer);
    for (const ws of this.sockets) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  addUser(user: FakeUser): void {
    this.users.set(user.id, user);
  }

  addChannel(channel: FakeChannel): void {
    this.channels.set(channel.id, channel);
  }

  /** The next call to `method` is answered with 429 and this Retry-After (seconds). */
  rateLimitNext(method: string, retryAfterSeconds = 0): void {
    this.rateLimitOnce.set(method, retryAfterSeconds);
  }

  /**
   * The next `times` calls to `method` (for `channel`, if given) fail with Slack error `error`,
   * e.g. `failNext('chat.postMessage', 'token_revoked')`.
   */
  failNext(method: string, error: string, options: { times?: number; channel?: string } = {}): void {
    const list = this.failures.get(method) ?? [];
    for (let i = 0; i < (options.times ?? 1); i++) list.push({ error, channel: options.channel });
    this.failures.set(method, list);
  }

  /** The next `times` calls to `method` lose their connection without an answer (a network error). */
  dropNext(method: string, times = 1): void {
    this.drops.set(method, (this.drops.get(method) ?? 0) + times);
  }

  /** A message someone else wrote in `channel` (for history), or another app's with `botId`. */
  addMessage(
    channel: string,
    message: { text: string; user?: string; botId?: string; metadata?: FakeMessage['metadata'] },
  ): string {
    const ts = this.nextTs();
    const list = this.history.get(channel) ?? [];
    list.push({
      type: 'message',
      ts,
      text: message.text,
      user: message.user ?? 'U0MARIA',
      bot_id: message.botId ?? '',
      app_id: message.botId ? 'A0OTHER' : '',
      ...(message.metadata ? { metadata: message.metadata } : {}),
    });
    this.history.set(channel, list);
    return ts;
  }

  /** Messages in `channel` (the bot's and added ones), oldest first. */
  messagesIn(channel: string): FakeMessage[] {
    return this.history.get(channel) ?? [];
  }

  /** Holds answers to `method` until the returned function is called (a slow Slack, without sleeping). */
  hold(method: string): () => void {
    let release!: () => void;
    this.holds.set(method, new Promise<void>((resolve) => (release = resolve)));
    return () => {
      this.holds.delete(method);
      release();
    };
  }

  /** Answers `method` with a fixed body from now on (e.g. `{ ok: false, error: 'not_in_channel' }`). */
  override(method: string, json: Record<string, unknown>): void {
    this.handlers[method] = () => ({ json });
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  responsesTo(id: string): RecordedResponse[] {
    return this.responses.filter((r) => r.id === id);
  }

  /** Resolves once `test` holds, checked after every recorded request; rejects after `timeoutMs`. */
  waitFor(test: () => boolean, timeoutMs = 5_000): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = realSetTimeout(() => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new Error('FakeSlack.waitFor timed out'));
      }, timeoutMs);
      const waiter = {
        test,
        resolve: () => {
          realClearTimeout(timer);
          resolve();
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** Waits for the next post to response_url `id`. */
  async nextResponse(id: string, timeoutMs?: number): Promise<RecordedResponse> {
    const before = this.responsesTo(id).length;
    await this.waitFor(() => this.responsesTo(id).length > before, timeoutMs);
    return this.responsesTo(id)[before] as RecordedResponse;
  }

  get openSockets(): number {
    return this.sockets.size;
  }

  /** Waits until a Socket Mode client is connected and has been greeted. */
  waitForSocket(timeoutMs?: number): Promise<void> {
    return this.waitFor(() => this.sockets.size > 0, timeoutMs);
  }

  /** Sends an envelope over Socket Mode and resolves with the client's acknowledgement. */
  sendEnvelope(
    type: 'slash_commands' | 'interactive' | 'events_api',
    payload: unknown,
    timeoutMs = 5_000,
  ): Promise<SocketAck> {
    const [ws] = this.sockets;
    if (!ws) return Promise.reject(new Error('no Socket Mode connection'));
    const envelopeId = randomUUID();
    return new Promise<SocketAck>((resolve, reject) => {
      const timer = realSetTimeout(() => {
        this.pendingAcks.delete(envelopeId);
        reject(new Error(`no ack for envelope ${envelopeId}`));
      }, timeoutMs);
      this.pendingAcks.set(envelopeId, (ack) => {
        realClearTimeout(timer);
        resolve(ack);
      });
      ws.send(
        JSON.stringify({
          envelope_id: envelopeId,
          type,
          payload,
          accepts_response_payload: type !== 'events_api',
          retry_attempt: 0,
          retry_reason: '',
        }),
      );
    });
  }

  private onSocket(ws: WebSocket): void {
    this.sockets.add(ws);
    this.socketConnections++;
    ws.on('message', (data) => {
      let ack: SocketAck;
      try {
        ack = JSON.parse(String(data)) as SocketAck;
      } catch {
        return;
      }
      this.pendingAcks.get(ack.envelope_id)?.(ack);
      this.pendingAcks.delete(ack.envelope_id);
    });
    ws.on('close', () => {
      this.sockets.delete(ws);
      this.notify();
    });
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: 1,
        debug_info: { host: 'fake-slack', approximate_connection_time: 18060 },
        connection_info: { app_id: 'A0TEST' },
      }),
    );
    this.notify();
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const bytes = await readBody(req);
    if (url.pathname.startsWith('/upload/')) {
      await this.receiveUpload(url.pathname.slice('/upload/'.length), bytes, req, res);
      return;
    }
    const raw = bytes.toString('utf8');
    const body = parseBody(raw, String(req.headers['content-type'] ?? ''));

    if (url.pathname.startsWith('/respond/')) {
      this.responses.push({ id: decodeURIComponent(url.pathname.slice('/respond/'.length)), body });
      res
        .writeHead(this.responseStatus, { 'content-type': 'text/plain' })
        .end(this.responseStatus === 200 ? 'ok' : 'expired_url');
      this.notify();
      return;
    }
    if (!url.pathname.startsWith('/api/')) {
      res.writeHead(404).end();
      return;
    }
    const method = url.pathname.slice('/api/'.length);
    const blocks = decodeJson(body.blocks);
    if (blocks !== undefined) body.blocks = blocks;
    if (body.attachments !== undefined) body.attachments = decodeJson(body.attachments);
    if (body.metadata !== undefined) body.metadata = decodeJson(body.metadata);
    if (body.view !== undefined) body.view = decodeJson(body.view);
    this.calls.push({
      method,
      body,
      blocks: Array.isArray(blocks) ? blocks : undefined,
      authorized:
        /^Bearer \S+/.test(String(req.headers.authorization ?? '')) || typeof body.token === 'string',
      at: Date.now(),
    });
    this.notify();
    const held = this.holds.get(method);
    if (held) await held;
    const drops = this.drops.get(method) ?? 0;
    if (drops > 0) {
      this.drops.set(method, drops - 1);
      req.socket.destroy();
      this.notify();
      return;
    }
    const queued = this.failures.get(method);
    const failIndex = queued?.findIndex((f) => !f.channel || f.channel === body.channel) ?? -1;
    if (queued && failIndex >= 0) {
      const [failure] = queued.splice(failIndex, 1);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error: failure?.error }));
      this.notify();
      return;
    }
    const limited = this.rateLimitOnce.get(method);
    if (limited !== undefined) {
      this.rateLimitOnce.delete(method);
      res.writeHead(429, { 'retry-after': String(limited), 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      this.notify();
      return;
    }
    const handler = this.handlers[method];
    const answer = handler ? handler(body) : { json: { ok: false, error: 'unknown_method' } };
    res.writeHead(answer.status ?? 200, {
      'content-type': 'application/json',
      'x-oauth-scopes': this.scopes.join(','),
    });
    res.end(JSON.stringify(answer.json));
    this.notify();
  }

  /** The upload URL: raw bytes or a multipart form with one file part, as Slack accepts both. */
  private async receiveUpload(
    fileId: string,
    bytes: Buffer,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const upload = this.uploads.find((u) => u.fileId === fileId);
    if (!upload) {
      res.writeHead(404).end('not found');
      return;
    }
    const type = String(req.headers['content-type'] ?? '');
    if (type.startsWith('multipart/form-data')) {
      const form = await new Response(bytes, { headers: { 'content-type': type } }).formData();
      const part = [...form.values()].find((v) => typeof v !== 'string');
      const file = typeof part === 'string' ? undefined : part;
      upload.data = file ? new Uint8Array(await file.arrayBuffer()) : new Uint8Array();
      upload.contentType = file?.type;
    } else {
      upload.data = new Uint8Array(bytes);
      upload.contentType = type;
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${upload.data.byteLength}`);
    this.notify();
  }

  /** Completed uploads into `channel`, oldest first. */
  uploadsTo(channel: string): FakeUpload[] {
    return this.uploads.filter((u) => u.completed && u.channelId === channel);
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) {
      if (waiter.test()) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }

  /** Why Slack would refuse a post into `id`: archived, or the bot not in it and not allowed to join. */
  private postRefusal(id: string): string | undefined {
    const channel = this.channels.get(id);
    if (!channel) return undefined;
    if (channel.isArchived) return 'is_archived';
    if (channel.isMember) return undefined;
    if (channel.isPrivate) return 'channel_not_found';
    return this.scopes.includes('chat:write.public') ? undefined : 'not_in_channel';
  }

  private nextTs(): string {
    this.ts += 1;
    return `${this.ts}.000100`;
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseBody(raw: string, contentType: string): Record<string, unknown> {
  if (!raw) return {};
  if (contentType.includes('application/json')) {
    try {
      return JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return { _raw: raw };
    }
  }
  return Object.fromEntries(new URLSearchParams(raw));
}

function isMetadata(value: unknown): value is FakeMessage['metadata'] {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { event_type?: unknown }).event_type === 'string'
  );
}

/** The views opened with views.open, oldest first. */
export function openedViews(fake: { calls: readonly RecordedCall[] }): Record<string, unknown>[] {
  return fake.calls
    .filter((c) => c.method === 'views.open')
    .map((c) => c.body.view as Record<string, unknown>);
}

function decodeJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
