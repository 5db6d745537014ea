/**
 * The crash test on PostgreSQL: a writer claiming deliveries and recording answers in a burst is
 * killed with SIGKILL; every call that had resolved is in the database, and nothing else is.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_DATABASE_URL, testSchema } from '../helpers/pg.ts';
import { GAME_ID, GAMES, gameChannel, SUBSCRIPTIONS, stepFor } from './crash-plan.ts';
import { crashChild } from './crash-run.ts';

const RUNS = Number(process.env.CRASH_RUNS ?? 3);
const schemas: ReturnType<typeof testSchema>[] = [];
afterAll(async () => {
  for (const s of schemas) await s.drop();
});

describe('crash safety on PostgreSQL', () => {
  it(
    `keeps every resolved call when the writer is killed with SIGKILL mid-burst (${RUNS} runs)`,
    async () => {
      for (let run = 0; run < RUNS; run++) {
        const db = testSchema();
        schemas.push(db);
        await (await db.open()).close(); // the schema and tables, before the child starts
        const killAfter = { reports: 200 + Math.floor(Math.random() * 1500), delayMs: Math.random() * 12 };
        const resolved = await crashChild([TEST_DATABASE_URL, db.schema], killAfter);
        const storage = await db.open();
        const missing: number[] = [];
        for (const id of resolved) {
          const step = stepFor(id);
          if (step.kind === 'claim') {
            if ((await storage.daily.delivery(step.channel, step.date))?.status !== 'pending')
              missing.push(id);
          }
        }
        const answers = new Map<string, string[]>();
        for (let g = 0; g < GAMES; g++) {
          const game = await storage.games.get(gameChannel(g));
          expect(game?.id).toBe(GAME_ID);
          answers.set(String(g), Object.keys(game?.rounds[0]?.answers ?? {}));
        }
        const stored = new Set([...answers.values()].flat());
        for (const id of resolved)
          if (stepFor(id).kind === 'answer' && !stored.has(`u${id}`)) missing.push(id);
        expect(
          missing,
          `run ${run}: killed ${killAfter.delayMs.toFixed(1)} ms after ${killAfter.reports}`,
        ).toEqual([]);
        // Nothing made up: every stored answer is one the child sent.
        expect(
          [...stored].every((u) => /^u\d+$/.test(u) && stepFor(Number(u.slice(1))).kind === 'answer'),
        ).toBe(true);
        expect(await storage.daily.subscriptions('9999-12-31')).toHaveLength(SUBSCRIPTIONS);
        await storage.close();
      }
    },
    RUNS * 30_000 + 10_000,
  );
});
