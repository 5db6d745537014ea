import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

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
}

export interface RecordedResponse {
  id: string;
  body: Record<string, unknown>;
}

export interface FakeUser {
  id: string;
  name?: string;
  displayName?: string;
  realName?: string;
  isAdmin?: boolean;
  isOwner?: boolean;
}

export interface FakeChannel {
  id: string;
  name?: string;
  isMember?: boolean;
  isPrivate?: boolean;
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

  private server!: Server;
  private wss!: WebSocketServer;
  private readonly sockets = new Set<WebSocket>();
  private readonly rateLimitOnce = new Map<string, number>();
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
        const ts = this.nextTs();
        return { json: { ok: true, channel: body.channel, ts, message: { ts, text: body.text } } };
      },
      'chat.postEphemeral': () => ({ json: { ok: true, message_ts: this.nextTs() } }),
      'chat.update': (body) => ({ json: { ok: true, channel: body.channel, ts: body.ts, text: body.text } }),
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
            },
          },
        };
      },
      'conversations.members': (body) => {
        const channel = this.channels.get(String(body.channel));
        if (!channel) return { json: { ok: false, error: 'channel_not_found' } };
        return { json: { ok: true, members: channel.isMember ? [this.botUserId] : [] } };
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
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new Error('FakeSlack.waitFor timed out'));
      }, timeoutMs);
      const waiter = {
        test,
        resolve: () => {
          clearTimeout(timer);
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
      const timer = setTimeout(() => {
        this.pendingAcks.delete(envelopeId);
        reject(new Error(`no ack for envelope ${envelopeId}`));
      }, timeoutMs);
      this.pendingAcks.set(envelopeId, (ack) => {
        clearTimeout(timer);
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
    const raw = await readBody(req);
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
    this.calls.push({
      method,
      body,
      blocks: Array.isArray(blocks) ? blocks : undefined,
      authorized:
        /^Bearer \S+/.test(String(req.headers.authorization ?? '')) || typeof body.token === 'string',
    });
    this.notify();
    const held = this.holds.get(method);
    if (held) await held;
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

  private notify(): void {
    for (const waiter of [...this.waiters]) {
      if (waiter.test()) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }

  private nextTs(): string {
    this.ts += 1;
    return `${this.ts}.000100`;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
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

function decodeJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
