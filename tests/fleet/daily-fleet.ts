/**
 * A fleet's daily fan-out for the soak tests: real bot processes on one PostgreSQL schema against
 * the fake Discord of `fanout.ts`.
 */
import type { Bot } from '../helpers/bot-process.ts';
import { startFleet } from '../helpers/fleet.ts';
import type { TestSchema } from '../helpers/pg.ts';
import { type FanOut, missing, prepareFanOut } from './fanout.ts';

export { tally } from './fanout.ts';

export interface DailyFleet extends FanOut {
  bots: Bot[];
}

/** Starts the fake Discord and `processes` bots with `subscriptions` due now; per-process env by index. */
export async function startDailyFleet(options: {
  schema: TestSchema;
  subscriptions: number;
  processes: number;
  leaseSeconds?: number;
  envOf?: (i: number) => Record<string, string>;
}): Promise<DailyFleet> {
  const fan = await prepareFanOut(options.schema, options.subscriptions);
  const bots = startFleet({
    schema: options.schema,
    count: options.processes,
    env: { ...fan.env, SCHEDULER_LEASE_SECONDS: String(options.leaseSeconds ?? 30) },
    envOf: options.envOf,
  });
  return { ...fan, bots };
}

/** Resolves when every channel has at least one post (or rejects after `timeoutMs`, with logs). */
export async function allPosted(fleet: DailyFleet, timeoutMs: number): Promise<void> {
  const started = Date.now();
  for (;;) {
    const left = missing(fleet);
    if (left === 0) return;
    if (Date.now() - started > timeoutMs)
      throw new Error(
        `${left} channels without a post after ${timeoutMs} ms; the processes' last logs:\n${fleet.bots
          .map(
            (b, i) =>
              `#${i}: ${b.logs
                .slice(-12)
                .map((l) => JSON.stringify(l))
                .join('\n')}`,
          )
          .join('\n')}`,
      );
    await new Promise((r) => setTimeout(r, 250));
  }
}
