import { setTimeout as sleep } from 'node:timers/promises';
import type { RestPace } from '../core/adapter.ts';
import type { Logger } from '../core/log.ts';
import type { FleetRepo } from '../store/ports.ts';

/** A failing database is logged at most this often while requests go on unpaced. */
const WARN_EVERY_MS = 60_000;

/**
 * A pace of `perSecond` requests shared by every process on the database: each request books the
 * next slot (one every 1000 / perSecond ms, on the database's clock) and waits for it. The slots are
 * evenly spaced, so no second of the platform's, however it is aligned, holds more than the pace.
 * When the database cannot be asked, the request goes at once: the client's own per-process limit
 * still holds, and a late post is worse than a rare 429.
 */
export function sharedPace(repo: FleetRepo, name: string, perSecond: number, log: Logger): RestPace {
  const intervalMs = 1000 / perSecond;
  let warnedAt = Number.NEGATIVE_INFINITY;
  return async (signal) => {
    let waitMs: number;
    try {
      waitMs = await repo.paceSlot(name, intervalMs);
    } catch (err) {
      if (Date.now() - warnedAt > WARN_EVERY_MS) {
        warnedAt = Date.now();
        log.warn({ err, pace: name }, 'could not book a request slot; sending unpaced');
      }
      return;
    }
    if (waitMs > 0) await sleep(waitMs, undefined, signal ? { signal } : {});
  };
}

/** Shared paces on this database, for AdapterContext.sharedPace. */
export function paceThrough(repo: FleetRepo, log: Logger): (name: string, perSecond: number) => RestPace {
  return (name, perSecond) => sharedPace(repo, name, perSecond, log.child({ component: 'pace' }));
}
