import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import {
  apiChannel,
  apiMember,
  apiMessage,
  apiRole,
  apiUser,
  channelPermissions,
  EVERYONE_PERMISSIONS,
  type FakeGuild,
  type FakeMember,
  type FakeOverwrite,
  type FakeUser,
  guildCreate,
  PERMISSIONS,
  snowflake,
} from './payloads.ts';

/**
 * A fake Discord on 127.0.0.1: REST under /api/v10 and a JSON gateway (v10) at /gateway, enough for
 * the real discord.js client to log in, receive guilds and interactions, answer them and resume.
 * Every REST call is recorded for assertions.
 */

/** A file part of a multipart request (`files[n]`), bytes included. */
export interface RecordedFile {
  /** The form field, e.g. `files[0]`. */
  key: string;
  name: string;
  size: number;
  contentType: string;
  data: Uint8Array;
}

/** An attachment as Discord stores it on a message (and returns it in message objects). */
export interface FakeAttachment {
  id: string;
  filename: string;
  size: number;
  url: string;
  proxy_url: string;
  content_type: string;
  description?: string;
  /** The bytes received, for tests (not part of Discord's JSON). */
  data: Uint8Array;
}

export interface RestCall {
  method: string;
  /** Path below /api/v10, percent-decoded (`/webhooks/1/abc/messages/@original`). */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  /** Multipart requests: the file parts (the JSON body comes from `payload_json`). */
  files?: RecordedFile[];
  status: number;
  at: number;
}

export interface FakeDiscordOptions {
  applicationId?: string;
  bot?: FakeUser;
  guilds?: FakeGuild[];
  /** Heartbeat interval sent in HELLO (ms). */
  heartbeatInterval?: number;
  /** When set, /gateway/bot answers 401 for any other token. */
  token?: string;
  /**
   * Requests a second allowed across the whole API (interaction callbacks and follow-ups excepted), as Discord's
   * global limit; beyond it a 429 with `retry-after` and the global flag. Off by default.
   */
  globalRateLimit?: number;
  /** How long a nonce with enforce_nonce returns the first message (Discord: a few minutes). */
  nonceWindowMs?: number;
  /**
   * Keep only about this many of the latest REST calls (and callbacks), for long benchmarks whose
   * measuring process would otherwise grow with every call it ever saw. Default: all.
   */
  keepCalls?: number;
  /**
   * Whether fetched history carries each message's nonce (default true). Discord echoes a nonce in
   * the create response; set false to test the case where history does not carry it.
   */
  historyNonces?: boolean;
  /** Users who do not take DMs from the bot: a message to their DM channel gets 403 / 50007. */
  dmBlockedUsers?: string[];
  /**
   * Keeps every identified session of a shard (several bot processes on one token and shard)
   * instead of replacing the last; an interaction then goes to one session only (`via`, default
   * the first), as a load balancer would send a request to one process.
   */
  multiSession?: boolean;
  /** The shard count /gateway/bot recommends (default 1). */
  recommendedShards?: number;
  /** `session_start_limit.max_concurrency` of /gateway/bot: IDENTIFYs allowed per 5 s (default 1). */
  maxConcurrency?: number;
}

/** The shard a guild belongs to, as Discord computes it: `(guild_id >> 22) % count`. */
export function shardOf(guildId: string, count: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(count));
}

/** A failure the fake answers for one channel until cleared. */
export interface ChannelFailure {
  status: number;
  code: number;
  message: string;
}

interface Session {
  id: string;
  /** `[shard_id, num_shards]` from IDENTIFY. */
  shard: [number, number];
  seq: number;
  /** Every dispatch of the session, for replay on RESUME. */
  log: { s: number; frame: string }[];
  socket?: WebSocket;
}

interface InteractionState {
  id: string;
  token: string;
  user: FakeUser;
  guildId?: string;
  channelId: string;
  acknowledged: boolean;
  expired: boolean;
  /** The message a button sits on, or the reply once sent. */
  originalId?: string;
  messageId?: string;
}

interface StoredMessage {
  id: string;
  channelId: string;
  body: Record<string, unknown>;
  nonce?: string;
  /** When it was created (ms, Date.now), for the nonce window. */
  createdAt?: number;
  /** Posted with POST /channels/:id/messages (not an interaction answer). */
  posted?: boolean;
  attachments?: FakeAttachment[];
}

interface RateLimitRule {
  method: string;
  path: string | RegExp;
  retryAfter: number;
}

/** An option value: strings, integers and booleans map to their types; users and roles by id. */
export type FakeOptionValue = string | number | boolean | null | { user: FakeUser } | { role: string };

export interface InteractionSpec {
  guild?: FakeGuild;
  /** Defaults to the guild's first channel; in a DM, a DM channel id. */
  channelId?: string;
  user: FakeUser;
  /** Roles of the member (default: those in the guild's member list); ignored in DMs. */
  roles?: string[];
  /** Member permissions in the channel; defaults to @everyone's. */
  permissions?: bigint;
  /** Server nickname (default: the one in the guild's member list). */
  nick?: string;
  /** With `multiSession`: which session (in order of identifying) receives the interaction. */
  via?: number;
}

export interface CommandSpec extends InteractionSpec {
  name: string;
  subcommand?: string;
  options?: Record<string, FakeOptionValue>;
}

export interface AutocompleteSpec extends CommandSpec {
  focused: string;
}

export interface ButtonSpec extends InteractionSpec {
  customId: string;
  /** The message carrying the button; defaults to a fresh bot message in the channel. */
  messageId?: string;
}

export interface ModalSubmitSpec extends InteractionSpec {
  /** The modal's custom_id, as the bot opened it. */
  customId: string;
  /** Values by field custom_id: a string for a text input, an array for a select. */
  fields: Record<string, string | string[]>;
  /** The message whose button opened the modal, when one did. */
  messageId?: string;
}

export interface Injected {
  id: string;
  token: string;
}

export class FakeDiscord {
  readonly calls: RestCall[] = [];
  readonly applicationId: string;
  readonly bot: FakeUser;
  readonly guilds: FakeGuild[];
  readonly messages = new Map<string, StoredMessage>();
  readonly globalCommands: Record<string, unknown>[] = [];
  readonly guildCommands = new Map<string, Record<string, unknown>[]>();
  identifies = 0;
  /** The `shard` of every IDENTIFY, in order. */
  readonly identified: [number, number][] = [];
  /** The shard each interaction was dispatched to, by interaction id. */
  readonly interactionShards = new Map<string, number>();
  resumes = 0;
  /** 429s answered because of the global limit. */
  globalRateLimited = 0;
  /** Channel messages created (repeats of an enforced nonce excluded). */
  messagesCreated = 0;
  /** Messages created with POST /channels/:id/messages, by channel id (counted as they arrive). */
  readonly postsPerChannel = new Map<string, number>();
  /** DM channels opened with POST /users/@me/channels: channel id -> user id. */
  readonly dmChannels = new Map<string, string>();
  private readonly dmBlocked: Set<string>;
  private readonly failures = new Map<string, ChannelFailure>();
  private restFailure: number | undefined;
  /** The first successful callback of each interaction, by path. */
  private readonly callbacks = new Map<string, RestCall>();
  private readonly lostAnswers = new Set<string>();
  private readonly nonces = new Map<string, StoredMessage>();
  private globalWindow = { start: Number.NEGATIVE_INFINITY, count: 0 };
  private readonly sessions = new Map<string, Session>();
  private readonly interactions = new Map<string, InteractionState>();
  private readonly byToken = new Map<string, InteractionState>();
  private readonly rateLimits: RateLimitRule[] = [];
  private readonly waiters: { test: (c: RestCall) => boolean; resolve: (c: RestCall) => void }[] = [];
  private readonly gatewayWaiters: { event: 'identify' | 'resume'; resolve: () => void }[] = [];
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly options: FakeDiscordOptions;
  private port = 0;

  private constructor(options: FakeDiscordOptions) {
    this.options = options;
    this.applicationId = options.applicationId ?? snowflake();
    this.bot = options.bot ?? { id: this.applicationId, username: 'thawbot', bot: true };
    this.guilds = options.guilds ?? [];
    this.dmBlocked = new Set(options.dmBlockedUsers ?? []);
    this.http = createServer((req, res) => void this.onRequest(req, res));
    this.wss = new WebSocketServer({ server: this.http, path: '/gateway' });
    this.wss.on('connection', (socket) => this.onConnection(socket));
  }

  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const fake = new FakeDiscord(options);
    await new Promise<void>((resolve) => fake.http.listen(0, '127.0.0.1', resolve));
    fake.port = (fake.http.address() as AddressInfo).port;
    return fake;
  }

  /** The REST base to give discord.js (`rest.api`): it appends `/v10/...`. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}/gateway`;
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  // ---- test controls -------------------------------------------------------------------------

  /** Answers the next matching request with 429 and `retry-after` (seconds), once. */
  rateLimitOnce(method: string, path: string | RegExp, retryAfter: number): void {
    this.rateLimits.push({ method: method.toUpperCase(), path, retryAfter });
  }

  /** The next message created in `channelId` is created, but its answer is a 502 (as if lost). */
  loseNextAnswer(channelId: string): void {
    this.lostAnswers.add(channelId);
  }

  /** Answers every request about `channelId` with this failure until `clearChannelFailure`. */
  failChannel(channelId: string, failure: 'gone' | 'forbidden' | 'no-access' | ChannelFailure): void {
    const known: Record<string, ChannelFailure> = {
      gone: { status: 404, code: 10003, message: 'Unknown Channel' },
      forbidden: { status: 403, code: 50013, message: 'Missing Permissions' },
      'no-access': { status: 403, code: 50001, message: 'Missing Access' },
    };
    this.failures.set(channelId, typeof failure === 'string' ? (known[failure] as ChannelFailure) : failure);
  }

  /** The user closes DMs (or blocks the bot): messages to their DM channel fail with 50007. */
  blockDms(userId: string): void {
    this.dmBlocked.add(userId);
  }

  /** Messages the bot sent into the DM channel with `userId`, oldest first. */
  dmMessages(userId: string): StoredMessage[] {
    const ids = [...this.dmChannels].filter(([, user]) => user === userId).map(([channel]) => channel);
    return [...this.messages.values()].filter((m) => ids.includes(m.channelId));
  }

  /** The attachments a message carries (with the bytes received). */
  attachmentsOf(messageId: string): FakeAttachment[] {
    return this.messages.get(messageId)?.attachments ?? [];
  }

  clearChannelFailure(channelId: string): void {
    this.failures.delete(channelId);
  }

  /** Replaces a channel's permission overwrites and tells the gateway (CHANNEL_UPDATE). */
  setOverwrites(guild: FakeGuild, channelId: string, overwrites: FakeOverwrite[]): void {
    const index = guild.channels.findIndex((c) => c.id === channelId);
    const channel = guild.channels[index];
    if (!channel) throw new Error(`no channel ${channelId} in guild ${guild.id}`);
    channel.overwrites = overwrites;
    this.dispatch('CHANNEL_UPDATE', apiChannel(channel, guild.id, index));
  }

  /** The bot is removed from a guild (GUILD_DELETE), or the guild goes down (`unavailable`). */
  removeGuild(guildId: string, options: { unavailable?: boolean } = {}): void {
    if (!options.unavailable) {
      const index = this.guilds.findIndex((g) => g.id === guildId);
      if (index >= 0) this.guilds.splice(index, 1);
    }
    this.dispatch('GUILD_DELETE', { id: guildId, ...(options.unavailable ? { unavailable: true } : {}) });
  }

  /** The bot joins a guild (or a guild comes back): GUILD_CREATE with the full payload. */
  addGuild(guild: FakeGuild): void {
    if (!this.guilds.includes(guild)) this.guilds.push(guild);
    this.dispatch('GUILD_CREATE', guildCreate(guild, this.bot));
  }

  /** Messages the bot posted in a channel (not interaction answers), oldest first. */
  channelMessages(channelId: string): { id: string; nonce?: string; body: Record<string, unknown> }[] {
    return [...this.messages.values()].filter((m) => m.channelId === channelId && m.posted);
  }

  /** What a channel's history shows, newest first: everything but private answers. */
  private history(channelId: string): StoredMessage[] {
    return [...this.messages.values()]
      .filter((m) => m.channelId === channelId && !((Number(m.body.flags) || 0) & 64))
      .reverse();
  }

  /** Sends op 7 RECONNECT: the client should reconnect and RESUME. */
  requestReconnect(): void {
    for (const session of this.sessions.values()) session.socket?.send(JSON.stringify({ op: 7, d: null }));
  }

  /** Drops every gateway connection without a close frame (code 1006 on the client). */
  dropConnections(): void {
    for (const session of this.sessions.values()) {
      session.socket?.terminate();
      session.socket = undefined;
    }
  }

  /** Closes every gateway connection with `code` (4004: the token was reset). */
  closeGateway(code: number, reason = 'Authentication failed.'): void {
    for (const session of this.sessions.values()) session.socket?.close(code, reason);
  }

  /** Sends any dispatch as is, malformed ones included. */
  dispatchRaw(t: string, d: unknown): void {
    this.dispatch(t, d);
  }

  /** Answers every REST request with `status` (a 500 or 429 outage) until `restoreRest`. */
  failRest(status: number): void {
    this.restFailure = status;
  }

  restoreRest(): void {
    this.restFailure = undefined;
  }

  /** Resolves at the next IDENTIFY or RESUME the gateway receives. */
  nextGateway(event: 'identify' | 'resume'): Promise<void> {
    return new Promise((resolve) => this.gatewayWaiters.push({ event, resolve }));
  }

  /** Resolves with the first recorded call (past or future) matching `test`. */
  waitForCall(test: (call: RestCall) => boolean, timeoutMs = 10_000): Promise<RestCall> {
    const found = this.calls.find(test);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for a REST call')), timeoutMs);
      this.waiters.push({
        test,
        resolve: (call) => {
          clearTimeout(timer);
          resolve(call);
        },
      });
    });
  }

  /** All calls made with an interaction's token (its callback and webhook edits / follow-ups). */
  callsFor(interaction: Injected): RestCall[] {
    return this.calls.filter((c) => c.path.includes(`/${interaction.token}`));
  }

  callback(interaction: Injected, timeoutMs?: number): Promise<RestCall> {
    const path = `/interactions/${interaction.id}/${interaction.token}/callback`;
    // Looked up by path, not by scanning every call: a load test makes tens of thousands.
    const answered = this.callbacks.get(path);
    if (answered) return Promise.resolve(answered);
    return this.waitForCall((c) => c.path === path && c.status < 400, timeoutMs);
  }

  /** The message an interaction's answer created (type 4 or 5), to press its buttons later. */
  originalMessageId(interaction: Injected): string | undefined {
    return this.interactions.get(interaction.id)?.originalId;
  }

  /** Makes the interaction's token unknown, as after Discord's 3-second window or 15 minutes. */
  expire(interaction: Injected): void {
    const state = this.interactions.get(interaction.id);
    if (state) state.expired = true;
  }

  /** Stores a bot message (e.g. one carrying buttons) and returns its id. */
  addBotMessage(channelId: string, body: Record<string, unknown> = {}): string {
    const id = snowflake();
    this.messages.set(id, { id, channelId, body });
    return id;
  }

  chatInput(spec: CommandSpec): Injected {
    const options = Object.entries(spec.options ?? {}).map(([name, value]) => optionPayload(name, value));
    return this.inject(spec, 2, {
      id: snowflake(),
      name: spec.name,
      type: 1,
      options: spec.subcommand ? [{ type: 1, name: spec.subcommand, options }] : options,
      resolved: resolvedFor(spec.options ?? {}, spec.guild),
      ...(spec.guild ? { guild_id: spec.guild.id } : {}),
    });
  }

  autocomplete(spec: AutocompleteSpec): Injected {
    const options = Object.entries(spec.options ?? {}).map(([name, value]) => ({
      ...optionPayload(name, value),
      ...(name === spec.focused ? { focused: true, type: 3 } : {}),
    }));
    return this.inject(spec, 4, {
      id: snowflake(),
      name: spec.name,
      type: 1,
      options: spec.subcommand ? [{ type: 1, name: spec.subcommand, options }] : options,
      ...(spec.guild ? { guild_id: spec.guild.id } : {}),
    });
  }

  button(spec: ButtonSpec): Injected {
    const channelId = spec.channelId ?? spec.guild?.channels[0]?.id ?? snowflake();
    const messageId = spec.messageId ?? this.addBotMessage(channelId);
    return this.inject({ ...spec, channelId }, 3, { custom_id: spec.customId, component_type: 2 }, messageId);
  }

  /**
   * The person submits a modal (MODAL_SUBMIT, type 5): each field in a label component (type 18), a
   * select (3) with `values`, a text input (4) with `value`, as Discord sends them.
   */
  modalSubmit(spec: ModalSubmitSpec): Injected {
    let next = 1;
    const components = Object.entries(spec.fields).map(([customId, value]) => ({
      type: 18,
      id: next++,
      component: Array.isArray(value)
        ? { type: 3, id: next++, custom_id: customId, values: value }
        : { type: 4, id: next++, custom_id: customId, value },
    }));
    const channelId = spec.channelId ?? spec.guild?.channels[0]?.id;
    return this.inject(
      { ...spec, ...(channelId ? { channelId } : {}) },
      5,
      { custom_id: spec.customId, components },
      spec.messageId,
    );
  }

  /** The modal an interaction was answered with (callback type 9), if it was. */
  modalFor(interaction: Injected): Record<string, unknown> | undefined {
    const call = this.callbacks.get(`/interactions/${interaction.id}/${interaction.token}/callback`);
    const body = call?.body as { type?: number; data?: Record<string, unknown> } | undefined;
    return body?.type === 9 ? body.data : undefined;
  }

  // ---- interactions --------------------------------------------------------------------------

  private inject(
    spec: InteractionSpec,
    type: number,
    data: Record<string, unknown>,
    messageId?: string,
  ): Injected {
    const id = snowflake();
    const token = `itoken-${id}`;
    const guild = spec.guild;
    const channelId = spec.channelId ?? guild?.channels[0]?.id ?? `dm-${spec.user.id}`;
    const state: InteractionState = {
      id,
      token,
      user: spec.user,
      guildId: guild?.id,
      channelId,
      acknowledged: false,
      expired: false,
      messageId,
      originalId: messageId,
    };
    this.interactions.set(id, state);
    this.byToken.set(token, state);
    const channel = guild
      ? apiChannel(
          guild.channels.find((c) => c.id === channelId) ?? { id: channelId, name: 'unknown' },
          guild.id,
        )
      : { id: channelId, type: 1, recipients: [apiUser(spec.user)], last_message_id: null, flags: 0 };
    const known = guild?.members.find((m) => m.user.id === spec.user.id);
    const roles = spec.roles ?? known?.roles ?? [];
    const permissions = spec.permissions ?? (guild ? rolePermissions(guild, roles) : 0n);
    const stored = messageId ? this.messages.get(messageId) : undefined;
    const payload: Record<string, unknown> = {
      id,
      application_id: this.applicationId,
      type,
      token,
      version: 1,
      data,
      channel,
      channel_id: channelId,
      locale: 'en-US',
      app_permissions: String(PERMISSIONS.ViewChannel | PERMISSIONS.SendMessages | PERMISSIONS.EmbedLinks),
      entitlements: [],
      attachment_size_limit: 10_485_760,
      context: guild ? 0 : 1,
      authorizing_integration_owners: guild ? { '0': guild.id } : { '1': spec.user.id },
      ...(guild
        ? {
            guild_id: guild.id,
            guild_locale: 'en-US',
            guild: { id: guild.id, locale: 'en-US', features: [] },
            member: apiMember(
              { user: spec.user, nick: spec.nick ?? known?.nick, roles },
              { permissions: String(permissions) },
            ),
          }
        : { user: apiUser(spec.user) }),
      ...(messageId
        ? {
            message: apiMessage({
              id: messageId,
              channelId,
              author: this.bot,
              body: stored?.body,
              applicationId: this.applicationId,
              interaction: { id: snowflake(), user: spec.user, guildId: guild?.id },
            }),
          }
        : {}),
    };
    if (this.options.multiSession) {
      const target = [...this.sessions.values()][spec.via ?? 0];
      if (!target) throw new Error(`no gateway session ${spec.via ?? 0} to send the interaction to`);
      this.send(target, 'INTERACTION_CREATE', payload);
      this.interactionShards.set(id, target.shard[0]);
    } else {
      const shard = this.dispatch('INTERACTION_CREATE', payload);
      if (shard !== undefined) this.interactionShards.set(id, shard);
    }
    return { id, token };
  }

  // ---- gateway -------------------------------------------------------------------------------

  private onConnection(socket: WebSocket): void {
    let session: Session | undefined;
    socket.send(
      JSON.stringify({ op: 10, d: { heartbeat_interval: this.options.heartbeatInterval ?? 41_250 } }),
    );
    socket.on('message', (raw) => {
      let payload: { op: number; d: Record<string, unknown> | number | null };
      try {
        payload = JSON.parse(String(raw));
      } catch {
        socket.close(4002, 'Decode error');
        return;
      }
      if (payload.op === 1) socket.send(JSON.stringify({ op: 11, d: null }));
      else if (payload.op === 2) {
        this.identifies++;
        const shard = shardOfIdentify(payload.d);
        if (!shard) {
          socket.close(4010, 'Invalid shard');
          return;
        }
        this.identified.push(shard);
        session = { id: snowflake(), shard, seq: 0, log: [], socket };
        // A new session replaces the shard's old one (and any of another shard count).
        for (const [id, old] of this.sessions)
          if ((old.shard[0] === shard[0] && !this.options.multiSession) || old.shard[1] !== shard[1])
            this.sessions.delete(id);
        this.sessions.set(session.id, session);
        this.ready(session);
        this.notifyGateway('identify');
      } else if (payload.op === 6) {
        const d = payload.d as { session_id: string; seq: number | null };
        const known = this.sessions.get(d.session_id);
        if (!known) {
          socket.send(JSON.stringify({ op: 9, d: false }));
          return;
        }
        this.resumes++;
        session = known;
        session.socket = socket;
        for (const entry of session.log) if (entry.s > (d.seq ?? 0)) socket.send(entry.frame);
        this.send(session, 'RESUMED', {});
        this.notifyGateway('resume');
      }
    });
    socket.on('close', () => {
      if (session?.socket === socket) session.socket = undefined;
    });
    socket.on('error', () => {});
  }

  private ready(session: Session): void {
    this.send(session, 'READY', {
      v: 10,
      user: { ...apiUser(this.bot), bot: true, verified: true, mfa_enabled: false, flags: 0 },
      guilds: this.guildsOf(session).map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: this.gatewayUrl,
      shard: session.shard,
      application: { id: this.applicationId, flags: 0 },
      private_channels: [],
      relationships: [],
      presences: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
      user_settings: {},
      _trace: ['fake-discord'],
    });
    for (const guild of this.guildsOf(session))
      this.send(session, 'GUILD_CREATE', guildCreate(guild, this.bot));
  }

  private guildsOf(session: Session): FakeGuild[] {
    const [id, count] = session.shard;
    return count === 1 ? this.guilds : this.guilds.filter((g) => shardOf(g.id, count) === id);
  }

  /**
   * Sends an event to the session of the shard that holds its guild (events without a guild, DMs
   * among them, go to shard 0), as Discord does; returns that shard, if a session took it.
   */
  private dispatch(t: string, d: unknown): number | undefined {
    const guildId = guildOfEvent(t, d);
    let shard: number | undefined;
    for (const session of this.sessions.values()) {
      const [id, count] = session.shard;
      if ((guildId === undefined ? 0 : shardOf(guildId, count)) !== id) continue;
      this.send(session, t, d);
      shard = id;
    }
    return shard;
  }

  /** Logs the event for replay; sends it now if the session has a live socket. */
  private send(session: Session, t: string, d: unknown): void {
    session.seq++;
    const frame = JSON.stringify({ op: 0, t, s: session.seq, d });
    if (t !== 'READY' && t !== 'RESUMED') session.log.push({ s: session.seq, frame });
    if (session.log.length > 2000) session.log.splice(0, session.log.length - 2000);
    if (session.socket?.readyState === WebSocket.OPEN) session.socket.send(frame);
  }

  private notifyGateway(event: 'identify' | 'resume'): void {
    for (let i = this.gatewayWaiters.length - 1; i >= 0; i--) {
      const waiter = this.gatewayWaiters[i];
      if (waiter?.event === event) {
        this.gatewayWaiters.splice(i, 1);
        waiter.resolve();
      }
    }
  }

  // ---- REST ----------------------------------------------------------------------------------

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const contentType = String(req.headers['content-type'] ?? '');
    let body: unknown;
    let files: RecordedFile[] | undefined;
    if (contentType.startsWith('multipart/form-data')) {
      ({ body, files } = await parseMultipart(raw, contentType));
    } else {
      const text = raw.toString('utf8');
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
    }
    const prefix = '/api/v10';
    const path = decodeURIComponent(
      url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname,
    );
    const call: RestCall = {
      method: req.method ?? 'GET',
      path,
      query: Object.fromEntries(url.searchParams),
      headers: { ...req.headers },
      body,
      ...(files ? { files } : {}),
      status: 0,
      at: performance.now(),
    };
    const limited = this.takeRateLimit(call);
    let status: number;
    let json: unknown;
    let headers: Record<string, string> = {};
    const globalWait = limited ? 0 : this.takeGlobal(call);
    if (globalWait > 0) {
      this.globalRateLimited++;
      status = 429;
      // The body carries the exact wait; the header, like Discord's, whole seconds.
      json = { message: 'You are being rate limited.', retry_after: globalWait / 1000, global: true };
      headers = {
        'retry-after': String(Math.ceil(globalWait / 1000)),
        'x-ratelimit-global': 'true',
        'x-ratelimit-scope': 'global',
      };
    } else if (this.restFailure) {
      status = this.restFailure;
      json =
        status === 429
          ? { message: 'You are being rate limited.', retry_after: 30, global: false }
          : { message: `${status}: Server Error`, code: 0 };
      if (status === 429) headers = { 'retry-after': '30', 'x-ratelimit-scope': 'shared' };
    } else if (limited) {
      status = 429;
      json = { message: 'You are being rate limited.', retry_after: limited.retryAfter, global: false };
      headers = {
        'retry-after': String(limited.retryAfter),
        'x-ratelimit-limit': '5',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset-after': String(limited.retryAfter),
        'x-ratelimit-bucket': 'fake-bucket',
        'x-ratelimit-scope': 'user',
      };
    } else {
      try {
        [status, json] = this.route(call);
      } catch (error) {
        [status, json] = [500, { message: String(error), code: 0 }];
      }
    }
    call.status = status;
    this.record(call);
    if (status === 204) {
      res.writeHead(204, headers);
      res.end();
      return;
    }
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(json));
  }

  /** Counts a request against the global limit: 0 when allowed, else ms until the window ends. */
  private takeGlobal(call: RestCall): number {
    const limit = this.options.globalRateLimit;
    if (!limit || /^\/(interactions|webhooks)\//.test(call.path)) return 0;
    const now = performance.now();
    if (now - this.globalWindow.start >= 1000) this.globalWindow = { start: now, count: 0 };
    if (this.globalWindow.count >= limit) return Math.max(1, this.globalWindow.start + 1000 - now);
    this.globalWindow.count++;
    return 0;
  }

  private takeRateLimit(call: RestCall): RateLimitRule | undefined {
    const index = this.rateLimits.findIndex(
      (r) =>
        r.method === call.method &&
        (typeof r.path === 'string' ? r.path === call.path : r.path.test(call.path)),
    );
    return index < 0 ? undefined : this.rateLimits.splice(index, 1)[0];
  }

  private record(call: RestCall): void {
    this.calls.push(call);
    if (call.status < 400 && call.path.endsWith('/callback') && !this.callbacks.has(call.path))
      this.callbacks.set(call.path, call);
    const keep = this.options.keepCalls;
    if (keep !== undefined && this.calls.length > 2 * keep) {
      this.calls.splice(0, this.calls.length - keep);
      for (const path of this.callbacks.keys()) {
        if (this.callbacks.size <= keep) break;
        this.callbacks.delete(path);
      }
    }
    for (let i = 0; i < this.waiters.length; i++) {
      const waiter = this.waiters[i];
      if (waiter?.test(call)) {
        this.waiters.splice(i--, 1);
        waiter.resolve(call);
      }
    }
  }

  private route(call: RestCall): [number, unknown] {
    const { method, path } = call;
    const body = (call.body ?? {}) as Record<string, unknown>;
    const parts = path.split('/').filter(Boolean);
    const notFound: [number, unknown] = [404, { message: '404: Not Found', code: 0 }];

    if (method === 'GET' && path === '/gateway/bot') {
      if (this.options.token && call.headers.authorization !== `Bot ${this.options.token}`)
        return [401, { message: '401: Unauthorized', code: 0 }];
      return [
        200,
        {
          url: this.gatewayUrl,
          shards: this.options.recommendedShards ?? 1,
          session_start_limit: {
            total: 1000,
            remaining: 999,
            reset_after: 14_400_000,
            max_concurrency: this.options.maxConcurrency ?? 1,
          },
        },
      ];
    }

    if (parts[0] === 'interactions' && parts[3] === 'callback' && method === 'POST') {
      const state = this.interactions.get(parts[1] ?? '');
      if (!state || state.token !== parts[2] || state.expired)
        return [404, { message: 'Unknown interaction', code: 10062 }];
      if (state.acknowledged)
        return [400, { message: 'Interaction has already been acknowledged.', code: 40060 }];
      const type = body.type as number;
      const data = (body.data ?? {}) as Record<string, unknown>;
      if (type === 9) {
        // Discord refuses a modal in answer to a modal, and one outside its limits.
        const problem = modalProblem(data);
        if (problem) return [400, { message: `Invalid Form Body: ${problem}`, code: 50035 }];
      }
      state.acknowledged = true;
      let message: StoredMessage | undefined;
      if (type === 4 || type === 5) {
        const id = snowflake();
        message = {
          id,
          channelId: state.channelId,
          body: type === 5 ? { flags: ((data.flags as number) ?? 0) | 128 } : data,
          ...(type === 4 ? { attachments: attachmentsFrom(call, data) } : {}),
        };
        this.messages.set(id, message);
        state.originalId = id;
      } else if ((type === 6 || type === 7) && state.messageId) {
        message = this.messages.get(state.messageId);
        if (message && type === 7) {
          message.body = { ...message.body, ...data };
          if (call.files) message.attachments = attachmentsFrom(call, data);
        }
      }
      if (call.query.with_response === 'true')
        return [
          200,
          {
            interaction: {
              id: state.id,
              type: 2,
              activity_instance_id: null,
              response_message_id: message?.id ?? null,
            },
            resource: message ? { type, message: this.messageJson(message, state) } : { type },
          },
        ];
      return [204, undefined];
    }

    if (parts[0] === 'webhooks' && parts[1] === this.applicationId) {
      const state = this.byToken.get(parts[2] ?? '');
      if (!state || state.expired) return [404, { message: 'Unknown Webhook', code: 10015 }];
      if (parts.length === 3 && method === 'POST') {
        const id = snowflake();
        const message = {
          id,
          channelId: state.channelId,
          body,
          attachments: attachmentsFrom(call, body),
        };
        this.messages.set(id, message);
        return [200, this.messageJson(message, state)];
      }
      if (parts[3] === 'messages' && parts[4]) {
        const id = parts[4] === '@original' ? state.originalId : parts[4];
        const message = id ? this.messages.get(id) : undefined;
        if (!message) return [404, { message: 'Unknown Message', code: 10008 }];
        if (method === 'GET') return [200, this.messageJson(message, state)];
        if (method === 'PATCH') {
          const flags = (message.body.flags as number | undefined) ?? 0;
          message.body = { ...message.body, ...body, flags: flags & ~128 };
          if (call.files) message.attachments = attachmentsFrom(call, body);
          return [200, this.messageJson(message, state)];
        }
        if (method === 'DELETE') {
          this.messages.delete(message.id);
          return [204, undefined];
        }
      }
      return notFound;
    }

    if (method === 'POST' && path === '/users/@me/channels') {
      const recipient = String(body.recipient_id ?? '');
      if (!/^\d{15,21}$/.test(recipient)) return [400, { message: 'Invalid Form Body', code: 50035 }];
      const existing = [...this.dmChannels].find(([, user]) => user === recipient)?.[0];
      const id = existing ?? snowflake();
      this.dmChannels.set(id, recipient);
      return [
        200,
        {
          id,
          type: 1,
          last_message_id: null,
          flags: 0,
          recipients: [{ id: recipient, username: 'someone' }],
        },
      ];
    }

    if (parts[0] === 'channels' && parts[2] === 'messages' && this.dmChannels.has(parts[1] as string)) {
      const channelId = parts[1] as string;
      const user = this.dmChannels.get(channelId) as string;
      if (parts.length === 3 && method === 'POST') {
        if (this.dmBlocked.has(user))
          return [403, { message: 'Cannot send messages to this user', code: 50007 }];
        const id = snowflake();
        const message: StoredMessage = {
          id,
          channelId,
          body,
          createdAt: Date.now(),
          posted: true,
          attachments: attachmentsFrom(call, body),
        };
        this.messages.set(id, message);
        this.messagesCreated++;
        return [200, this.messageJson(message)];
      }
      if (parts.length === 4 && method === 'PATCH') {
        const message = this.messages.get(parts[3] as string);
        if (!message || message.channelId !== channelId)
          return [404, { message: 'Unknown Message', code: 10008 }];
        message.body = { ...message.body, ...body };
        if (call.files) message.attachments = attachmentsFrom(call, body);
        return [200, this.messageJson(message)];
      }
      return notFound;
    }

    if (parts[0] === 'channels' && parts[2] === 'messages') {
      const channelId = parts[1] as string;
      const failure = this.failures.get(channelId);
      if (failure) return [failure.status, { message: failure.message, code: failure.code }];
      const where = this.findChannel(channelId);
      if (!where) return [404, { message: 'Unknown Channel', code: 10003 }];
      const perms = channelPermissions(where.guild, channelId, this.bot.id, where.guild.botRoles ?? []);
      if (!(perms & PERMISSIONS.ViewChannel)) return [403, { message: 'Missing Access', code: 50001 }];
      if (parts.length === 3 && method === 'GET') {
        // Without Read Message History, Discord returns no messages rather than an error.
        if (!(perms & PERMISSIONS.ReadMessageHistory)) return [200, []];
        const limit = Math.min(100, Math.max(1, Number(call.query.limit ?? 50) || 50));
        const recent = this.history(channelId).slice(0, limit);
        const withNonce = this.options.historyNonces !== false;
        return [200, recent.map((m) => this.messageJson(withNonce ? m : { ...m, nonce: undefined }))];
      }
      if (parts.length === 3 && method === 'POST') {
        if (!(perms & PERMISSIONS.SendMessages))
          return [403, { message: 'Missing Permissions', code: 50013 }];
        const nonce = body.nonce === undefined ? undefined : String(body.nonce);
        if (nonce !== undefined && nonce.length > 25)
          return [400, { message: 'Invalid Form Body', code: 50035, errors: { nonce: {} } }];
        if (nonce !== undefined && body.enforce_nonce === true) {
          const earlier = this.nonces.get(`${this.bot.id}:${nonce}`);
          const window = this.options.nonceWindowMs ?? 5 * 60_000;
          if (earlier && Date.now() - (earlier.createdAt ?? 0) < window && this.messages.has(earlier.id))
            return [200, this.messageJson(earlier)];
        }
        const id = snowflake();
        const { nonce: _nonce, enforce_nonce: _enforce, ...content } = body;
        const message: StoredMessage = {
          id,
          channelId,
          body: content,
          nonce,
          createdAt: Date.now(),
          posted: true,
          attachments: attachmentsFrom(call, content),
        };
        this.messages.set(id, message);
        this.messagesCreated++;
        this.postsPerChannel.set(channelId, (this.postsPerChannel.get(channelId) ?? 0) + 1);
        if (nonce !== undefined) this.nonces.set(`${this.bot.id}:${nonce}`, message);
        // The message exists, but the answer is lost on the way: the client will try again.
        if (this.lostAnswers.delete(channelId)) return [502, { message: 'Bad Gateway', code: 0 }];
        return [200, this.messageJson(message)];
      }
      if (parts.length === 4 && method === 'PATCH') {
        const message = this.messages.get(parts[3] as string);
        if (!message || message.channelId !== channelId)
          return [404, { message: 'Unknown Message', code: 10008 }];
        message.body = { ...message.body, ...body };
        if (call.files) message.attachments = attachmentsFrom(call, body);
        return [200, this.messageJson(message)];
      }
      return notFound;
    }

    if (parts[0] === 'applications' && parts[1] === this.applicationId) {
      const guildId = parts[2] === 'guilds' ? parts[3] : undefined;
      const isCommands = guildId
        ? parts[4] === 'commands' && parts.length === 5
        : parts[2] === 'commands' && parts.length === 3;
      if (!isCommands) return notFound;
      const current = guildId ? (this.guildCommands.get(guildId) ?? []) : this.globalCommands;
      if (method === 'GET') return [200, current];
      if (method === 'PUT') {
        if (!Array.isArray(call.body)) return [400, { message: 'Invalid Form Body', code: 50035 }];
        const stored = (call.body as Record<string, unknown>[]).map((command) => {
          const existing = current.find((c) => c.name === command.name);
          return {
            id: (existing?.id as string | undefined) ?? snowflake(),
            application_id: this.applicationId,
            version: snowflake(),
            type: 1,
            default_member_permissions: null,
            ...(guildId ? { guild_id: guildId } : {}),
            ...command,
          };
        });
        if (guildId) this.guildCommands.set(guildId, stored);
        else this.globalCommands.splice(0, this.globalCommands.length, ...stored);
        return [200, stored];
      }
      return notFound;
    }

    if (method === 'GET' && path === '/users/@me') return [200, apiUser(this.bot)];
    return notFound;
  }

  private readonly channelIndex = new Map<string, { guild: FakeGuild }>();

  private findChannel(channelId: string): { guild: FakeGuild } | undefined {
    const cached = this.channelIndex.get(channelId);
    if (cached && this.guilds.includes(cached.guild) && cached.guild.channels.some((c) => c.id === channelId))
      return cached;
    this.channelIndex.delete(channelId);
    const guild = this.guilds.find((g) => g.channels.some((c) => c.id === channelId));
    if (!guild) return undefined;
    const found = { guild };
    this.channelIndex.set(channelId, found);
    return found;
  }

  private messageJson(message: StoredMessage, state?: InteractionState): Record<string, unknown> {
    const json = apiMessage({
      id: message.id,
      channelId: message.channelId,
      author: this.bot,
      body: message.body,
      applicationId: state ? this.applicationId : undefined,
      interaction: state ? { id: state.id, user: state.user, guildId: state.guildId } : undefined,
      attachments: (message.attachments ?? []).map(({ data: _bytes, ...attachment }) => attachment),
    });
    return message.nonce === undefined ? json : { ...json, nonce: message.nonce };
  }
}

/** IDENTIFY's `shard: [id, count]` (absent: [0, 1]); undefined when invalid (Discord closes with 4010). */
function shardOfIdentify(d: unknown): [number, number] | undefined {
  const shard = (d as { shard?: unknown } | null)?.shard;
  if (shard === undefined) return [0, 1];
  if (!Array.isArray(shard) || shard.length !== 2) return undefined;
  const [id, count] = shard as unknown[];
  if (!Number.isInteger(id) || !Number.isInteger(count)) return undefined;
  if ((count as number) < 1 || (id as number) < 0 || (id as number) >= (count as number)) return undefined;
  return [id as number, count as number];
}

/** The guild an event belongs to: `guild_id`, or the guild itself for GUILD_CREATE / UPDATE / DELETE. */
function guildOfEvent(t: string, d: unknown): string | undefined {
  if (typeof d !== 'object' || d === null) return undefined;
  const event = d as { guild_id?: unknown; id?: unknown };
  const id = t.startsWith('GUILD_') && !('guild_id' in event) ? event.id : event.guild_id;
  return typeof id === 'string' && /^\d+$/.test(id) ? id : undefined;
}

/** Reads a multipart body as Discord does: `payload_json` is the JSON body, the rest are files. */
async function parseMultipart(
  raw: Buffer,
  contentType: string,
): Promise<{ body: unknown; files: RecordedFile[] }> {
  const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  let body: unknown;
  const files: RecordedFile[] = [];
  for (const [key, value] of form) {
    if (typeof value === 'string') {
      if (key === 'payload_json') body = JSON.parse(value);
      continue;
    }
    const data = new Uint8Array(await value.arrayBuffer());
    files.push({ key, name: value.name, size: data.byteLength, contentType: value.type, data });
  }
  return { body, files };
}

/**
 * The attachments a message gets from a multipart request: `files[n]` matched to the body's
 * `attachments` entry with id n (its description, filename), as Discord does.
 */
function attachmentsFrom(call: RestCall, body: Record<string, unknown>): FakeAttachment[] {
  const described = Array.isArray(body.attachments)
    ? (body.attachments as { id?: unknown; filename?: string; description?: string }[])
    : [];
  return (call.files ?? []).map((file) => {
    const index = /^files\[(\d+)\]$/.exec(file.key)?.[1];
    const meta = described.find((a) => String(a.id) === index);
    const id = snowflake();
    const filename = meta?.filename ?? file.name;
    const url = `https://cdn.discordapp.com/attachments/0/${id}/${filename}`;
    return {
      id,
      filename,
      size: file.size,
      url,
      proxy_url: url,
      content_type: file.contentType,
      ...(meta?.description !== undefined ? { description: meta.description } : {}),
      data: file.data,
    };
  });
}

function optionPayload(name: string, value: FakeOptionValue): Record<string, unknown> {
  // A null value, as a malformed or hostile client may send: a string option holding null.
  if (value === null) return { name, type: 3, value: null };
  if (typeof value === 'string') return { name, type: 3, value };
  if (typeof value === 'number') return { name, type: Number.isInteger(value) ? 4 : 10, value };
  if (typeof value === 'boolean') return { name, type: 5, value };
  if ('user' in value) return { name, type: 6, value: value.user.id };
  return { name, type: 8, value: value.role };
}

function resolvedFor(
  options: Record<string, FakeOptionValue>,
  guild?: FakeGuild,
): Record<string, unknown> | undefined {
  const users: Record<string, unknown> = {};
  const members: Record<string, unknown> = {};
  const roles: Record<string, unknown> = {};
  for (const value of Object.values(options)) {
    if (typeof value !== 'object' || value === null) continue;
    if ('user' in value) {
      users[value.user.id] = apiUser(value.user);
      const member: FakeMember | undefined = guild?.members.find((m) => m.user.id === value.user.id);
      if (member) {
        const { user: _user, ...rest } = apiMember(member, { permissions: '0' });
        members[value.user.id] = rest;
      }
    } else {
      const role = guild?.roles.find((r) => r.id === value.role) ?? { id: value.role, name: 'unknown-role' };
      roles[value.role] = apiRole(role);
    }
  }
  const resolved = {
    ...(Object.keys(users).length ? { users } : {}),
    ...(Object.keys(members).length ? { members } : {}),
    ...(Object.keys(roles).length ? { roles } : {}),
  };
  return Object.keys(resolved).length ? resolved : undefined;
}

/** A member's guild-level permissions: @everyone's plus those of their roles. */
function rolePermissions(guild: FakeGuild, roleIds: readonly string[]): bigint {
  let bits = EVERYONE_PERMISSIONS;
  for (const role of guild.roles) if (roleIds.includes(role.id)) bits |= BigInt(role.permissions ?? '0');
  return bits;
}

/** Why Discord would refuse this modal (title 1-45, custom_id 1-100, 1-5 components), if it would. */
function modalProblem(data: Record<string, unknown>): string | undefined {
  const title = data.title;
  const id = data.custom_id;
  const components = data.components;
  if (typeof title !== 'string' || title.length < 1 || title.length > 45)
    return 'title must be 1-45 characters';
  if (typeof id !== 'string' || id.length < 1 || id.length > 100) return 'custom_id must be 1-100 characters';
  if (!Array.isArray(components) || components.length < 1 || components.length > 5)
    return 'a modal has 1 to 5 components';
  for (const c of components as { type?: number; label?: unknown; component?: { custom_id?: unknown } }[]) {
    if (c.type !== 18 && c.type !== 1) return 'a modal holds labels or action rows';
    if (c.type === 18 && (typeof c.label !== 'string' || c.label.length > 45))
      return 'a label is 1-45 characters';
  }
  return undefined;
}
