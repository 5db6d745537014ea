import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { App } from '../app.ts';
import type { Logger } from '../core/log.ts';
import type { FleetRepo } from '../store/ports.ts';
import { Lease } from './lease.ts';

export { Lease } from './lease.ts';

export const SCHEDULER_LEASE = 'scheduler';
/** How often the lease holder looks for quiz games whose process stopped answering for them. */
const SWEEP_EVERY_MS = 2_000;

export interface FleetOptions {
  app: App;
  repo: FleetRepo;
  log: Logger;
  /** How long the scheduler lease lasts without renewal (SCHEDULER_LEASE_SECONDS). */
  leaseMs: number;
}

export interface Fleet {
  lease: Lease;
  /** A platform began serving: its due work need not wait for the next minute. */
  platformStarted(): void;
  stop(): Promise<void>;
}

/** A name for this process in the lease table and logs: host, pid and a random part. */
export function processName(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/**
 * Joins this process to a fleet sharing one database. Scheduled work (daily posts, quiz nights,
 * review reminders, retention) runs only in the process holding the scheduler lease; the one
 * taking it first resolves posts left pending by a holder that died, then ticks at once. The
 * holder also takes over quiz games whose timers are overdue.
 */
export function joinFleet(options: FleetOptions): Fleet {
  const { app, repo, log } = options;
  const { clock, deps } = app;
  let sweepTimer: ReturnType<typeof setInterval> | undefined;
  let sweeping: Promise<unknown> | undefined;
  const lease = new Lease({
    repo,
    name: SCHEDULER_LEASE,
    holder: processName(),
    ttlMs: options.leaseMs,
    log: log.child({ component: 'fleet' }),
    onTaken: () => {
      deps.daily.recheckPendingNextTick();
      // A tick already running may have begun before the platform could post: one more after it.
      void clock.tick().then(() => clock.tick());
    },
  });
  clock.gate = () => lease.held();
  deps.daily.mayRun = () => lease.held();
  lease.start();
  sweepTimer = setInterval(() => {
    if (!lease.held() || sweeping) return;
    sweeping = deps.quiz
      .sweep()
      .catch((err: unknown) => log.error({ err }, 'quiz sweep failed'))
      .finally(() => {
        sweeping = undefined;
      });
  }, SWEEP_EVERY_MS);
  sweepTimer.unref();
  return {
    lease,
    platformStarted() {
      if (!lease.held()) return;
      deps.daily.recheckPendingNextTick();
      void clock.tick();
    },
    async stop() {
      clearInterval(sweepTimer);
      sweepTimer = undefined;
      await sweeping;
      await lease.stop();
    },
  };
}
