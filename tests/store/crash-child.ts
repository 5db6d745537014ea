/**
 * Child process for the crash test: opens the feature files, preloads realistic data (2,000
 * subscriptions, 16 running games), then claims deliveries and records quiz answers through the
 * repositories forever, printing the id of each one whose promise resolved. The parent kills it
 * with SIGKILL at a random point. Writes to a pipe are synchronous on Linux, so a printed id has
 * left this process before the next line of code runs.
 */
import { silentLogger } from '../../src/core/log.ts';
import type { ChannelRef } from '../../src/core/platform.ts';
import { openFileStorage } from '../../src/store/open.ts';
import { openPgStorage } from '../../src/store/pg/index.ts';
import {
  GAME_ID,
  GAMES,
  gameChannel,
  SUBSCRIPTIONS,
  stepFor,
  stepResult,
  subscriptionChannel,
} from './crash-plan.ts';

// A data file, or a PostgreSQL URL and schema: the same burst against either engine.
const [where, schema] = process.argv.slice(2);
if (!where) throw new Error('usage: crash-child.ts FILE | crash-child.ts POSTGRES_URL SCHEMA');

const storage = where.startsWith('postgres')
  ? await openPgStorage({ url: where, schema, log: silentLogger, poolSize: 16 })
  : await openFileStorage({ file: where, log: silentLogger });
const at = '2026-11-01T00:00:00.000Z';
await Promise.all(
  Array.from({ length: SUBSCRIPTIONS }, (_, i) =>
    storage.daily.subscribe({
      channel: subscriptionChannel(i),
      time: '08:00',
      timezone: 'Europe/Berlin',
      days: 'every',
      createdAt: at,
      createdBy: { id: 'u1', displayName: 'Maria' },
    }),
  ),
);
const game = (channel: ChannelRef) => ({
  id: GAME_ID,
  channel,
  startedBy: { id: 'u1', displayName: 'Maria' },
  startedAt: at,
  updatedAt: at,
  mode: 'race' as const,
  seconds: 20,
  questionIds: ['q1'],
  current: 0,
  rounds: [{ questionId: 'q1', order: [0, 1, 2, 3], shownAt: at, answers: {} }],
  streaks: {},
});
await Promise.all(Array.from({ length: GAMES }, (_, g) => storage.games.create(game(gameChannel(g)))));
process.stdout.write('ready\n');

let next = 0;
async function worker(): Promise<void> {
  for (;;) {
    const id = next++;
    if (id > 500_000) process.exit(0);
    const step = stepFor(id);
    const now = new Date();
    const ok =
      step.kind === 'claim'
        ? await storage.daily.claimDelivery(step.channel, step.date, now)
        : step.kind === 'start'
          ? await storage.games.create(game(step.channel))
          : step.kind === 'finish'
            ? (await storage.games.create(game(step.channel))) &&
              (await storage.results.record(stepResult(id), () => ['thaw'])) &&
              (await storage.games.remove(step.channel, GAME_ID))
            : await storage.games.recordAnswer(step.channel, GAME_ID, 0, {
                userId: step.userId,
                displayName: `Player ${id}`,
                choice: id % 4,
                correct: id % 4 === 0,
                ms: id % 20_000,
                points: id % 1000,
                at: now.toISOString(),
              });
    if (!ok) throw new Error(`${step.kind} ${id} was refused`);
    process.stdout.write(`${id}\n`);
  }
}
for (let w = 0; w < 16; w++) void worker();
