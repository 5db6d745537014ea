import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  App,
  type BlockAction,
  HTTPReceiver,
  type SlashCommand,
  SocketModeReceiver,
  webApi,
} from '@slack/bolt';
import { type AdapterContext, PlatformRefusedError, type RunningAdapter } from '../../core/adapter.ts';
import { ApiHealth } from '../../core/api-health.ts';
import type { ActionEvent, Actor, Invocation } from '../../core/command.ts';
import type { Logger } from '../../core/log.ts';
import type { ChannelRef } from '../../core/platform.ts';
import type { Reply } from '../../core/reply.ts';
import { answerWithFiles, type SendMessage } from './files.ts';
import { openForm, registerForms } from './forms.ts';
import { createSlackHttpServer, EVENTS_PATH } from './http.ts';
import { boltLogger } from './logger.ts';
import { SlackPoster } from './poster.ts';
import { actionIdOf, type renderReply } from './render.ts';
import { ReplayGuard, SharedReplayGuard } from './replay.ts';
import { UserDirectory } from './users.ts';

export { UpdateBudget } from './budget.ts';
export { checkCanPost } from './membership.ts';
export { SlackPoster } from './poster.ts';
export { renderReply } from './render.ts';

export interface SlackOptions {
  botToken: string;
  /** App-level token (xapp-...): Socket Mode. */
  appToken?: string;
  /** HTTP mode: requests to /slack/events are verified with it. */
  signingSecret?: string;
  /** HTTP mode port (default 3000; 0 picks a free one). */
  port?: number;
  /** Web API base URL (SLACK_API_URL), for proxies and tests. */
  apiUrl?: string;
  /** HTTP mode bind address (default: all interfaces). */
  host?: string;
  /** Web API retries; the default waits out outages for about 30 minutes. Tests use 0. */
  retries?: number;
  /**
   * Retries of the Poster's own calls (posts, edits, history) after a network error (default 0):
   * the daily scheduler retries with its own backoff, and rate limits come back as PostErrors
   * with Slack's Retry-After instead of being waited out inside the client.
   */
  posterRetries?: number;
  /** Longest wait for one Poster call before it fails as transient (ms, default 15 s). */
  posterTimeoutMs?: number;
  /** How long owner/admin status is cached (ms). */
  adminCacheMs?: number;
}

export interface SlackAdapter extends RunningAdapter {
  poster: SlackPoster;
  /** HTTP mode: the port actually listened on. */
  port?: number;
}

/** Starts the Slack adapter: Socket Mode when an app token is given, else HTTP at /slack/events. */
export async function startSlack(ctx: AdapterContext, options: SlackOptions): Promise<SlackAdapter> {
  const log = ctx.log.child({ adapter: 'slack' });
  const socketMode = Boolean(options.appToken);
  if (!socketMode && !options.signingSecret) {
    throw new Error('Slack needs SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode).');
  }
  if (socketMode && options.signingSecret) {
    log.info(
      'SLACK_APP_TOKEN and SLACK_SIGNING_SECRET are both set: running in Socket Mode; the signing secret is not used.',
    );
  }

  const logger = boltLogger(log);
  const clientOptions: webApi.WebClientOptions = {};
  if (options.apiUrl)
    clientOptions.slackApiUrl = options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/`;
  if (options.retries !== undefined) clientOptions.retryConfig = { retries: options.retries };

  let socketReceiver: SocketModeReceiver | undefined;
  let httpReceiver: HTTPReceiver | undefined;
  if (socketMode) {
    socketReceiver = new SocketModeReceiver({
      appToken: options.appToken as string,
      logger,
      installerOptions: { clientOptions },
    });
  } else {
    httpReceiver = new HTTPReceiver({
      signingSecret: options.signingSecret as string,
      endpoints: [EVENTS_PATH],
      logger,
    });
  }
  const app = new App({
    token: options.botToken,
    receiver: socketReceiver ?? httpReceiver,
    logger,
    clientOptions,
    // auth.test runs in init(), so a bad token rejects here instead of failing later.
    deferInitialization: true,
  });
  // One quick try with no retries: Bolt's own client waits out an unreachable Slack for half an
  // hour, which would hold this platform (and the readiness report) in "starting" all that time.
  const auth = await preflight(options, clientOptions);
  await app.init();
  const botName = auth.user ?? 'thawbot';

  const users = new UserDirectory(app.client, log, options.adminCacheMs);
  const api = new ApiHealth('Slack');
  registerHandlers(app, ctx, users, log, api);
  registerForms(app, { router: ctx.router, users, log, api });
  registerLifecycle(app, ctx, log);
  app.error(async (error) => {
    log.error({ err: error }, 'slack handler failed');
  });

  // Posts made on the bot's own initiative get a client of their own that fails fast: the default
  // policy retries for half an hour and sleeps through rate limits, which would stall a fan-out
  // and hide a revoked token from the scheduler.
  const posterClient = new webApi.WebClient(options.botToken, {
    ...(clientOptions.slackApiUrl ? { slackApiUrl: clientOptions.slackApiUrl } : {}),
    logger,
    retryConfig: { retries: options.posterRetries ?? 0, factor: 2, minTimeout: 1_000, maxTimeout: 5_000 },
    rejectRateLimitedCalls: true,
    timeout: options.posterTimeoutMs ?? 15_000,
  });
  const poster = new SlackPoster(posterClient, { botName, botId: auth.bot_id, log });
  // In place before the first event can arrive: a /quiz start right after connecting must find it.
  ctx.deps.posters.register('slack', poster);

  if (socketReceiver) {
    const client = socketReceiver.client;
    // Ready while the socket is up; the client reconnects on its own after a drop.
    let connected = false;
    client.on('connected', () => {
      connected = true;
    });
    for (const state of ['disconnected', 'reconnecting', 'disconnecting'])
      client.on(state, () => {
        connected = false;
      });
    try {
      await withTimeout(app.start(), SOCKET_START_TIMEOUT_MS, 'Socket Mode did not connect');
    } catch (error) {
      ctx.deps.posters.unregister('slack', poster);
      poster.close();
      await app.stop().catch(() => {});
      refusedOr(error, 'SLACK_APP_TOKEN');
    }
    log.info('Slack adapter connected in Socket Mode');
    return {
      platform: 'slack',
      poster,
      mode: 'socket mode',
      ready: () => connected,
      trouble: () => api.trouble(),
      async stop() {
        // app.stop() resolves before the close handshake ends; wait for the client to say so.
        const disconnected = new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 5_000);
          client.once('disconnected', () => {
            clearTimeout(timer);
            resolve();
          });
        });
        poster.close();
        await app.stop();
        await disconnected;
      },
    };
  }

  const server = createSlackHttpServer({
    receiver: httpReceiver as HTTPReceiver,
    signingSecret: options.signingSecret as string,
    // Behind a load balancer a replay may reach another process: their memory is the database's.
    guard: ctx.deps.storage.fleet ? new SharedReplayGuard(ctx.deps.storage.fleet) : new ReplayGuard(),
    log,
  });
  try {
    await listen(server, options.port ?? 3000, options.host);
  } catch (error) {
    ctx.deps.posters.unregister('slack', poster);
    poster.close();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  log.info({ port }, `Slack adapter listening for HTTP requests at ${EVENTS_PATH}`);
  return {
    platform: 'slack',
    poster,
    mode: `http :${port}${EVENTS_PATH}`,
    port,
    ready: () => server.listening,
    trouble: () => api.trouble(),
    async stop() {
      poster.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
    },
  };
}

/** Longest wait for Socket Mode's first connection before the attempt counts as failed. */
const SOCKET_START_TIMEOUT_MS = 30_000;

/** Slack's answers that no retry can change: the operator must replace the token. */
const REFUSED = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'not_allowed_token_type',
  'missing_scope',
]);

/**
 * Checks the bot token once (auth.test) without retries: an unreachable Slack fails this attempt at
 * once (the supervisor retries with backoff), a refused token fails it for good with what to do.
 */
async function preflight(options: SlackOptions, clientOptions: webApi.WebClientOptions) {
  const quick = new webApi.WebClient(options.botToken, {
    ...(clientOptions.slackApiUrl ? { slackApiUrl: clientOptions.slackApiUrl } : {}),
    retryConfig: { retries: 0 },
    timeout: 10_000,
  });
  return quick.auth.test().catch((error: unknown) => refusedOr(error, 'SLACK_BOT_TOKEN'));
}

/** Rethrows a refused token as a PlatformRefusedError that says which variable to fix. */
function refusedOr(error: unknown, variable: string): never {
  const code = (error as { data?: { error?: string } }).data?.error;
  if (code && REFUSED.has(code))
    throw new PlatformRefusedError(
      'slack',
      `Slack refused ${variable} (${code}): the token is wrong, revoked or lacks a scope. Copy the current one from your app's settings at api.slack.com/apps into ${variable} and restart.`,
    );
  throw error;
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function listen(server: Server, port: number, host?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function registerHandlers(
  app: App,
  ctx: AdapterContext,
  users: UserDirectory,
  log: Logger,
  api: ApiHealth,
): void {
  const { router } = ctx;

  async function actor(
    teamId: string,
    userId: string,
    fallbackName: string,
    channel: ChannelRef,
    inServer: boolean,
  ): Promise<Actor> {
    const info = await users.lookup(teamId, userId, fallbackName);
    return {
      user: { platform: 'slack', id: userId, displayName: info.displayName },
      channel,
      isAdmin: info.isAdmin,
      isHost: info.isAdmin,
      inServer,
    };
  }

  // Every slash command of the app arrives here; the router answers unknown names politely.
  app.command(/^\/.+/, async ({ command, ack, respond, client }) => {
    await ack();
    try {
      const reply = await router.handle(await invocationOf(command));
      await answerWithFiles(reply, {
        client,
        channelId: command.channel_id,
        userId: command.user_id,
        send: (message, kind) =>
          respond({
            response_type: kind === 'reply' && !reply.ephemeral ? 'in_channel' : 'ephemeral',
            ...(kind === 'note' ? { replace_original: false } : {}),
            ...message,
          }),
      });
      api.ok();
    } catch (error) {
      api.failed(error instanceof Error ? error.message : String(error));
      log.warn({ err: error, command: command.command }, 'could not answer a slash command');
    }
  });

  async function invocationOf(command: SlashCommand): Promise<Invocation> {
    const channel: ChannelRef = {
      platform: 'slack',
      workspaceId: command.team_id,
      channelId: command.channel_id,
    };
    const inServer = !(command.channel_name === 'directmessage' || command.channel_id.startsWith('D'));
    return {
      ...(await actor(command.team_id, command.user_id, command.user_name, channel, inServer)),
      command: command.command.replace(/^\//, '').toLowerCase(),
      input: { kind: 'text', text: command.text ?? '' },
    };
  }

  app.action<BlockAction>({ type: 'block_actions' }, async ({ body, action, ack, respond, client }) => {
    await ack();
    if (action.type !== 'button') return;
    try {
      const teamId = body.team?.id ?? body.user.team_id ?? '';
      const channelId = body.channel?.id ?? body.container?.channel_id ?? '';
      const channel: ChannelRef = { platform: 'slack', workspaceId: teamId, channelId };
      const messageTs: string | undefined = body.message?.ts ?? body.container?.message_ts;
      const event: ActionEvent = {
        ...(await actor(
          teamId,
          body.user.id,
          body.user.name ?? body.user.id,
          channel,
          !channelId.startsWith('D'),
        )),
        actionId: actionIdOf(action),
        message: messageTs ? { channel, messageId: messageTs } : undefined,
      };
      const result = await router.handleAction(event);
      if (result.form && body.trigger_id) {
        await openForm(client, body.trigger_id, result.form, channelId);
        api.ok();
        return;
      }
      const userId = body.user.id;
      const note = noteSender(body.response_url ? respond : undefined, client, channelId, userId);
      const send: SendMessage =
        result.mode === 'replace'
          ? async (message, kind) => {
              if (kind === 'note') return note(message);
              if (body.response_url) await respond({ replace_original: true, ...message });
              else if (messageTs) await client.chat.update({ channel: channelId, ts: messageTs, ...message });
            }
          : (message, kind) =>
              kind === 'note'
                ? note(message)
                : respondNew(
                    result.reply,
                    message,
                    body.response_url ? respond : undefined,
                    client,
                    channelId,
                    userId,
                  );
      await answerWithFiles(result.reply, { client, channelId, userId, send });
      api.ok();
    } catch (error) {
      api.failed(error instanceof Error ? error.message : String(error));
      log.warn({ err: error, action: action.action_id.slice(0, 100) }, 'could not answer a button');
    }
  });
}

/**
 * The app was uninstalled or its bot token revoked: the workspace is gone for the bot. Slack sends
 * both events without needing any scope; `tokens_revoked` counts only when a bot token is among them.
 */
function registerLifecycle(app: App, ctx: AdapterContext, log: Logger): void {
  const removed = (teamId: string | undefined, why: string) => {
    if (!teamId) return;
    log.info({ workspace: teamId, why }, 'Slack workspace removed');
    try {
      ctx.workspaceRemoved?.({ platform: 'slack', workspaceId: teamId });
    } catch (error) {
      log.error({ err: error, workspace: teamId }, 'workspace removal hook failed');
    }
  };
  app.event('app_uninstalled', async ({ body }) => {
    removed(body.team_id, 'app uninstalled');
  });
  app.event('tokens_revoked', async ({ body, event }) => {
    const bots = event.tokens?.bot;
    if (Array.isArray(bots) && bots.length === 0) return;
    removed(body.team_id, 'bot token revoked');
  });
}

/** A private note to the person who pressed a button (e.g. a file that could not be attached). */
function noteSender(
  respond: ((m: Parameters<import('@slack/bolt').RespondFn>[0]) => Promise<unknown>) | undefined,
  client: webApi.WebClient,
  channelId: string,
  userId: string,
): (message: ReturnType<typeof renderReply>) => Promise<unknown> {
  return (message) =>
    respond
      ? respond({ response_type: 'ephemeral', replace_original: false, ...message })
      : client.chat.postEphemeral({ channel: channelId, user: userId, ...message });
}

/** A new message after a button: through response_url when there is one, else the Web API. */
async function respondNew(
  reply: Reply,
  message: ReturnType<typeof renderReply>,
  respond: ((m: Parameters<import('@slack/bolt').RespondFn>[0]) => Promise<unknown>) | undefined,
  client: webApi.WebClient,
  channelId: string,
  userId: string,
): Promise<void> {
  if (respond) {
    await respond({
      response_type: reply.ephemeral ? 'ephemeral' : 'in_channel',
      replace_original: false,
      ...message,
    });
  } else if (reply.ephemeral) {
    await client.chat.postEphemeral({ channel: channelId, user: userId, ...message });
  } else {
    await client.chat.postMessage({ channel: channelId, ...message });
  }
}
