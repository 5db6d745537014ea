/**
 * Sharding with discord.js's own ShardingManager: each shard runs in a child process (this same
 * entry point, told its shard by the manager), which connects to the gateway and answers the
 * interactions of its guilds. This process connects no gateway: it posts over REST (scheduled
 * posts need the token, not the gateway) and reports every shard's state to the health endpoint.
 */
import type { ChildProcess } from 'node:child_process';
import { Routes, type Shard, ShardingManager } from 'discord.js';
import {
  type AdapterContext,
  PlatformRefusedError,
  type RunningAdapter,
  type ShardState,
} from '../../core/adapter.ts';
import { ApiHealth } from '../../core/api-health.ts';
import { isRefusedMessage } from '../../sharding/role.ts';
import { createClient, FLEET_REQUESTS_PER_SECOND } from './client.ts';
import { discordPoster } from './poster.ts';
import { statusName } from './shards.ts';

export interface ShardManagerOptions {
  token: string;
  apiUrl?: string;
  /** The script each shard process runs (this process's entry point). */
  entry: string;
  /** `auto`: as many as Discord recommends (GET /gateway/bot). */
  totalShards: number | 'auto';
  /** The shards this process runs, or all of them. */
  shardList: number[] | 'auto';
  /** How long a shard's state may take to arrive before it counts as not answering. */
  stateTimeoutMs?: number;
}

/** Discord allows `max_concurrency` IDENTIFYs per 5 seconds; the manager starts shards that far apart. */
export const IDENTIFY_WINDOW_MS = 5_500;
/**
 * Waits before starting an ended shard process again, by how many times in a row it ended before
 * getting ready: at once after a crash, slower while it cannot start (the database unreachable, say).
 */
export const RESTART_BACKOFF_MS = [0, 1_000, 5_000, 15_000, 60_000] as const;
const STOP_TIMEOUT_MS = 6_000;

interface GatewayBot {
  shards: number;
  session_start_limit?: { max_concurrency?: number };
}

export async function startShardManager(
  ctx: AdapterContext,
  options: ShardManagerOptions,
): Promise<RunningAdapter> {
  const log = ctx.log.child({ platform: 'discord' });
  // Made before the ShardingManager, which marks the environment as a shard process's.
  const client = createClient(
    options.apiUrl,
    undefined,
    ctx.sharedPace?.('discord', FLEET_REQUESTS_PER_SECOND),
  );
  client.rest.setToken(options.token);
  const api = new ApiHealth('Discord REST');
  client.rest.on('response', (request, response) => {
    if (response.status >= 500 || response.status === 429)
      api.failed(`${response.status} on ${request.method.toUpperCase()} ${request.route}`);
    else api.ok();
  });

  // Asked here, through DISCORD_API_URL: discord.js's own `auto` always asks discord.com.
  let gateway: GatewayBot;
  try {
    gateway = (await client.rest.get(Routes.gatewayBot())) as GatewayBot;
  } catch (error) {
    await client.destroy();
    if ((error as { status?: unknown }).status === 401)
      throw new PlatformRefusedError(
        'discord',
        'Discord refused DISCORD_TOKEN: the token is wrong or was reset. Copy the current token from the Developer Portal (Bot, Reset Token) into DISCORD_TOKEN and restart.',
      );
    throw error;
  }
  const total = options.totalShards === 'auto' ? Math.max(1, gateway.shards) : options.totalShards;
  // Explicit ids come with an explicit total, checked against it in src/sharding/config.ts.
  const ids = options.shardList === 'auto' ? [...Array(total).keys()] : options.shardList;
  const concurrency = Math.max(1, gateway.session_start_limit?.max_concurrency ?? 1);

  const manager = new ShardingManager(options.entry, {
    totalShards: total,
    shardList: ids,
    mode: 'process',
    // Started again here, with a backoff: discord.js would restart a failing shard in a tight loop.
    respawn: false,
    token: options.token,
    // The same Node flags (a TypeScript loader, memory limits) as this process.
    execArgv: process.execArgv,
  });
  const poster = discordPoster(client);
  ctx.deps.posters.register('discord', poster);
  const everReady = new Set<number>();
  let restart = true;
  const restarts = new Set<ReturnType<typeof setTimeout>>();
  manager.on('shardCreate', (shard) => watchShard(shard));

  function watchShard(shard: Shard): void {
    const slog = log.child({ shard: shard.id });
    let endedInARow = 0;
    shard.on('spawn', () => slog.info({ pid: shard.process?.pid }, 'shard process started'));
    shard.on('ready', () => {
      endedInARow = 0;
      slog.info('shard ready');
      everReady.add(shard.id);
      if (everReady.size === ids.length) log.info({ shards: ids, total }, 'all discord shards ready');
    });
    shard.on('disconnect', () => slog.warn('shard disconnected'));
    shard.on('reconnecting', () => slog.info('shard reconnecting'));
    shard.on('death', (child) => {
      const { exitCode: code, signalCode: signal } = child as ChildProcess;
      if (!restart) {
        slog.warn({ code, signal }, 'shard process ended');
        return;
      }
      const wait = RESTART_BACKOFF_MS[Math.min(endedInARow++, RESTART_BACKOFF_MS.length - 1)] as number;
      slog.warn({ code, signal, restartInMs: wait }, 'shard process ended; starting it again');
      // After the death event discord.js forgets the process; spawn only then.
      const timer = setTimeout(() => {
        restarts.delete(timer);
        if (restart) shard.spawn(-1).catch((err: unknown) => slog.error({ err }, 'shard could not start'));
      }, wait);
      restarts.add(timer);
    });
    shard.on('error', (err: unknown) => slog.error({ err }, 'shard error'));
    shard.on('message', (message: unknown) => {
      if (!isRefusedMessage(message)) return;
      // The token is shared: a refusal holds for every shard, and restarting cannot help.
      restart = false;
      ctx.platformFailed?.('discord', message.reason);
    });
  }

  log.info(
    { shards: ids, total, delayMs: Math.ceil(IDENTIFY_WINDOW_MS / concurrency) },
    'starting discord shards',
  );
  try {
    // timeout -1: spawning does not wait for READY; readiness shows each shard's progress.
    await manager.spawn({ amount: total, delay: Math.ceil(IDENTIFY_WINDOW_MS / concurrency), timeout: -1 });
  } catch (error) {
    restart = false;
    await stopShards(manager);
    ctx.deps.posters.unregister('discord', poster);
    throw error;
  }

  return {
    platform: 'discord',
    poster,
    mode: `${ids.length} of ${total} shard${total === 1 ? '' : 's'} (${ids.join(', ')})`,
    ready: () => ids.every((id) => manager.shards.get(id)?.ready === true),
    trouble: () => api.trouble(),
    shards: () => Promise.all(ids.map((id) => stateOf(id, manager.shards.get(id), options.stateTimeoutMs))),
    async stop() {
      restart = false;
      for (const timer of restarts) clearTimeout(timer);
      await stopShards(manager);
      ctx.deps.posters.unregister('discord', poster);
      await client.destroy();
      log.info('discord shards stopped');
    },
  };
}

/** Asks a shard process for its client's state; a dead or silent one says so. */
async function stateOf(id: number, shard: Shard | undefined, timeoutMs = 2_000): Promise<ShardState> {
  if (!shard) return { id, status: 'waiting to start', guilds: 0 };
  if (!shard.process) return { id, status: 'process not running', guilds: 0 };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
  });
  try {
    const [status, ping, guilds] = (await Promise.race([
      Promise.all([
        shard.fetchClientValue('ws.status'),
        shard.fetchClientValue('ws.ping'),
        shard.fetchClientValue('guilds.cache.size'),
      ]),
      timeout,
    ])) as [number, number, number];
    return { id, status: statusName(status), ...(ping >= 0 ? { ping } : {}), guilds };
  } catch {
    return { id, status: shard.ready ? 'not answering' : 'starting', guilds: 0 };
  } finally {
    clearTimeout(timer);
  }
}

/** Stops every shard process the clean way (SIGTERM: it flushes and logs out), killing any that hangs. */
async function stopShards(manager: ShardingManager): Promise<void> {
  await Promise.all(
    [...manager.shards.values()].map(async (shard) => {
      const child = shard.process;
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }),
  );
}
