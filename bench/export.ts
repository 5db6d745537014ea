/**
 * Export benchmark: `/quiz export` for a term on a 500-learner server.
 *
 *   npm run bench -- export [--learners N] [--runs N]
 *
 * Each learner has 300 cards of the real library and three answers per card spread over the last
 * year (about a third of them in the 120-day term), and a player record with a long display name.
 * On the file engine and on PostgreSQL, p50 / p99 over N runs of:
 *   - baseline: reading the term's data learner by learner (`study.logs` + `study.cards`, what
 *     /progress reads), ten learners at a time, with no CSV;
 *   - aggregated read: `study.activity` + `results.playerNames`, the reads the export makes;
 *   - the whole command through the router (settings, reads, rows, CSV with BOM and neutralised cells).
 * Reported with the CSV's size against Discord's 8 MiB upload limit and the 2 s goal.
 *
 * PostgreSQL: BENCH_DATABASE_URL, or the local test server; a schema of its own, dropped after.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pLimit from 'p-limit';
import pg from 'pg';
import { buildApp } from '../src/app.ts';
import { loadContent } from '../src/content/load.ts';
import { FILE_LIMITS, formatBytes } from '../src/core/files.ts';
import { silentLogger } from '../src/core/log.ts';
import { seededRandom } from '../src/core/random.ts';
import { MASTERED_DAYS } from '../src/export/progress.ts';
import { emptyDocs, type FeatureDocs } from '../src/store/doc/shapes.ts';
import { userKey } from '../src/store/keys.ts';
import { openFileStorage } from '../src/store/open.ts';
import { openPgStorage } from '../src/store/pg/index.ts';
import type { Storage, StudyCard, StudyLogEntry, WorkspaceRef } from '../src/store/ports.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : Number.NaN;
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
}

const LEARNERS = arg('learners', 500);
const RUNS = arg('runs', 10);
const CARDS_EACH = 300;
const ANSWERS_PER_CARD = 3;
const DAY = 86_400_000;
const NOW = new Date('2026-06-01T08:00:00Z');
const TERM_FROM = new Date(NOW.getTime() - 120 * DAY);
const WS: WorkspaceRef = { platform: 'discord', workspaceId: '190000000000000001' };
const URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SCHEMA = `thawbot_bench_export_${process.pid}`;
const content = loadContent(path.join(import.meta.dirname, '..', 'content'));

function seed(): FeatureDocs {
  const docs = emptyDocs();
  const random = seededRandom(42);
  const questions = content.questions().map((q) => q.id);
  for (let u = 0; u < LEARNERS; u++) {
    const userId = `${100000000000000000n + BigInt(u)}`;
    const cards: Record<string, StudyCard> = {};
    const log: StudyLogEntry[] = [];
    const start = Math.floor(random() * questions.length);
    for (let i = 0; i < Math.min(CARDS_EACH, questions.length); i++) {
      const questionId = questions[(start + i) % questions.length] as string;
      const stability = random() * 60;
      for (let k = 0; k < ANSWERS_PER_CARD; k++)
        log.push({
          questionId,
          at: new Date(NOW.getTime() - Math.floor(random() * 365 * DAY)).toISOString(),
          rating: 3,
          correct: random() < 0.7,
          source: k === 0 ? 'quiz' : k === 1 ? 'review' : 'learn',
        });
      cards[questionId] = {
        questionId,
        due: new Date(NOW.getTime() + Math.floor(stability * DAY)).toISOString(),
        stability,
        difficulty: 5,
        elapsedDays: 3,
        scheduledDays: Math.ceil(stability),
        learningSteps: 0,
        reps: ANSWERS_PER_CARD,
        lapses: 0,
        state: stability >= MASTERED_DAYS ? 'review' : 'learning',
        lastReview: new Date(NOW.getTime() - 3 * DAY).toISOString(),
        addedAt: new Date(NOW.getTime() - 365 * DAY).toISOString(),
        addedBy: 'quiz',
      };
    }
    log.sort((a, b) => a.at.localeCompare(b.at));
    docs.study.learners[userKey(WS, userId)] = {
      ...WS,
      userId,
      profile: { newPerDay: 5, topics: [] },
      cards,
      log,
      reminded: {},
    };
    docs.results.study[userKey(WS, userId)] = {
      ...WS,
      userId,
      displayName: `=Learner number ${u} with a long display name, "quoted" 🦊`,
      games: 3,
      practiceGames: 0,
      topics: {},
      history: [],
      updatedAt: NOW.toISOString(),
    };
  }
  return docs;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function time(fn: () => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  await fn(); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    globalThis.gc?.();
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p99: percentile(ms, 99) };
}

async function measure(name: string, storage: Storage): Promise<void> {
  const app = buildApp({ content, storage, log: silentLogger, now: () => NOW, random: seededRandom(1) });
  const ids = Array.from({ length: LEARNERS }, (_, u) => `${100000000000000000n + BigInt(u)}`);
  const topicsOf = new Map(content.questions().map((q) => [q.id, q.topics]));
  // Ten learners at a time: the pool's size, so no query waits long for a connection.
  const tenAtATime = pLimit(10);
  const baseline = await time(() =>
    Promise.all(
      ids.map((id) =>
        tenAtATime(async () => [
          await storage.study.logs(WS, id, TERM_FROM),
          await storage.study.cards(WS, id),
        ]),
      ),
    ),
  );
  const reads = await time(() =>
    Promise.all([
      storage.study.activity(WS, { from: TERM_FROM, to: NOW, topicsOf, masteredDays: MASTERED_DAYS }),
      storage.results.playerNames(WS),
    ]),
  );
  let bytes = 0;
  let text = '';
  const host = {
    user: { platform: 'discord' as const, id: 'teacher', displayName: 'Teacher' },
    channel: { ...WS, channelId: 'c1' },
    isAdmin: true,
    isHost: true,
    inServer: true,
  };
  const command = await time(async () => {
    const reply = await app.router.handle({
      ...host,
      command: 'quiz',
      input: { kind: 'text', text: 'export' },
    });
    bytes = reply.files?.[0]?.data.byteLength ?? 0;
    text = reply.text ?? '';
  });
  const limit = FILE_LIMITS.discord.maxBytes;
  const f = (n: number) => n.toFixed(1).padStart(8);
  console.log(`\n${name}: ${text.split(' for ')[0]}`);
  console.log(`  baseline, per-learner reads  p50 ${f(baseline.p50)} ms  p99 ${f(baseline.p99)} ms`);
  console.log(`  aggregated reads             p50 ${f(reads.p50)} ms  p99 ${f(reads.p99)} ms`);
  console.log(
    `  /quiz export (whole command) p50 ${f(command.p50)} ms  p99 ${f(command.p99)} ms  ` +
      `(${(command.p50 / baseline.p50).toFixed(2)}x the baseline at p50)`,
  );
  console.log(
    `  CSV ${formatBytes(bytes)} (${((bytes / limit) * 100).toFixed(1)}% of Discord's 8 MiB); ` +
      `under 2 s: ${command.p99 < 2000 ? 'yes' : 'NO'}; under the limit: ${bytes < limit ? 'yes' : 'NO'}`,
  );
}

const docs = seed();
const learnerLog = Object.values(docs.study.learners).reduce((n, l) => n + l.log.length, 0);
console.log(
  `export benchmark: ${LEARNERS} learners, ${CARDS_EACH} cards and ${learnerLog / LEARNERS} answers each over a year, ` +
    `${content.questions().length} questions in ${content.topics.length} topics; ${RUNS} runs after a warm-up`,
);

const dir = mkdtempSync(path.join(os.tmpdir(), 'thawbot-bench-export-'));
const files = await openFileStorage({
  file: path.join(dir, 'thawbot.json'),
  log: silentLogger,
  now: () => NOW,
});
try {
  await files.load(docs);
  await measure('lowdb files', files);
} finally {
  await files.close();
  rmSync(dir, { recursive: true, force: true });
}

const postgres = await openPgStorage({ url: URL, schema: SCHEMA, log: silentLogger, now: () => NOW });
const admin = new pg.Client({ connectionString: URL });
await admin.connect();
try {
  await postgres.load(docs, { replace: true });
  await admin.query(`SET search_path = "${SCHEMA}"`);
  await admin.query('VACUUM ANALYZE study_learners, study_cards, study_log, study_records');
  await measure('PostgreSQL', postgres);
} finally {
  await postgres.close();
  await admin.query(`DROP SCHEMA IF EXISTS "${SCHEMA}" CASCADE`);
  await admin.end();
}
