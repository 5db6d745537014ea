/**
 * The health verdicts, as pure functions of what the process knows about itself: liveness (is the
 * process working at all) and readiness (can it do its job: adapters connected, store writable,
 * scheduler ticking). The HTTP side is in server.ts, the gathering of inputs in monitor.ts.
 */

export interface Check {
  ok: boolean;
  detail: string;
}

export type Phase = 'starting' | 'running' | 'stopping';

/** `ready`: every check passes. `degraded`: something fails but the bot still works somewhere. `down`: it does not. */
export type ReadinessStatus = 'ready' | 'degraded' | 'down';

export interface AdapterState {
  platform: string;
  mode: string;
  ready: boolean;
  /** Says more than connected / not connected: retrying, refused, REST failing. */
  detail?: string;
}

export interface ReadinessInputs {
  phase: Phase;
  adapters: readonly AdapterState[];
  store: Check;
  /** The daily scheduler's last tick; undefined before its first. */
  lastTick: Date | undefined;
  now: Date;
  /** A tick older than this means the scheduler is stuck (it ticks every minute). */
  maxTickAgeMs?: number;
  /** False when another process runs the scheduled work (SCHEDULED_WORK=off): no tick is expected. */
  schedulerRuns?: boolean;
  /** With several processes on one database: whether this one holds the scheduler lease. */
  leaseHeld?: boolean;
  /** Each gateway shard of this process (Discord); every one must be ready. */
  shards?: readonly ShardReport[];
}

/** A shard as /readyz lists it. */
export interface ShardReport {
  platform: string;
  id: number;
  status: string;
  ping?: number;
  guilds: number;
}

export interface ReadinessReport {
  status: ReadinessStatus;
  checks: Record<string, Check>;
  shards?: ShardReport[];
}

export const MAX_TICK_AGE_MS = 3 * 60_000;

export function readiness(inputs: ReadinessInputs): ReadinessReport {
  const checks: Record<string, Check> = {};
  checks.process = {
    ok: inputs.phase === 'running',
    detail: { starting: 'starting up', running: 'running', stopping: 'shutting down' }[inputs.phase],
  };
  for (const adapter of inputs.adapters) {
    checks[adapter.platform] = {
      ok: adapter.ready,
      detail: adapter.detail ?? `${adapter.ready ? 'connected' : 'not connected'} (${adapter.mode})`,
    };
  }
  for (const shard of inputs.shards ?? []) {
    const ping = shard.ping === undefined ? '' : `, ping ${Math.round(shard.ping)} ms`;
    checks[`${shard.platform} shard ${shard.id}`] = {
      ok: shard.status === 'ready',
      detail: `${shard.status}${ping}, ${shard.guilds} guild${shard.guilds === 1 ? '' : 's'}`,
    };
  }
  checks.store = inputs.store;
  checks.scheduler =
    inputs.schedulerRuns === false
      ? { ok: true, detail: 'runs in another process (SCHEDULED_WORK=off)' }
      : withLease(schedulerCheck(inputs), inputs.leaseHeld);

  const failing = Object.values(checks).filter((c) => !c.ok).length;
  const noAdapterWorks = inputs.adapters.length === 0 || inputs.adapters.every((a) => !a.ready);
  const status: ReadinessStatus =
    failing === 0 ? 'ready' : !checks.process.ok || !checks.store.ok || noAdapterWorks ? 'down' : 'degraded';
  return { status, checks, ...(inputs.shards?.length ? { shards: [...inputs.shards] } : {}) };
}

/** Which process does the scheduled work, when several share it: said, never a failure. */
function withLease(check: Check, held: boolean | undefined): Check {
  if (held === undefined) return check;
  return {
    ...check,
    detail: `${check.detail}; ${held ? 'holds the scheduler lease' : 'another process holds the scheduler lease'}`,
  };
}

function schedulerCheck(inputs: ReadinessInputs): Check {
  if (!inputs.lastTick) return { ok: false, detail: 'not started' };
  const age = inputs.now.getTime() - inputs.lastTick.getTime();
  const max = inputs.maxTickAgeMs ?? MAX_TICK_AGE_MS;
  const seconds = Math.max(0, Math.round(age / 1000));
  return age > max
    ? { ok: false, detail: `last tick ${seconds} s ago (more than ${Math.round(max / 1000)} s)` }
    : { ok: true, detail: `last tick ${seconds} s ago` };
}

export interface LivenessReport {
  status: 'ok' | 'down';
  uptimeSeconds: number;
  checks: { eventLoop: Check };
}

/** Event-loop stalls longer than this mean the process is stuck, not just busy. */
export const MAX_LOOP_LAG_MS = 5_000;

/** Alive when the event loop answers in time. An endpoint that answers at all shows the process is up. */
export function liveness(
  inputs: { lagMs: number; uptimeMs: number },
  maxLagMs = MAX_LOOP_LAG_MS,
): LivenessReport {
  const lag = Math.round(inputs.lagMs);
  const ok = lag <= maxLagMs;
  return {
    status: ok ? 'ok' : 'down',
    uptimeSeconds: Math.floor(inputs.uptimeMs / 1000),
    checks: {
      eventLoop: {
        ok,
        detail: ok ? `responsive (lag ${lag} ms)` : `stalled for ${lag} ms (more than ${maxLagMs} ms)`,
      },
    },
  };
}
