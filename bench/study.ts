/**
 * Study benchmark: picking a learner's next review card, and what review decks cost to store.
 *
 *   npm run bench -- study [--reads N] [--learners N]
 *
 * 1. One learner holding 5,000 cards (half of them due, due times spread over 120 days): the time
 *    for `study.due(limit 1)` (the next due card) and for the whole `StudyService.next` (which
 *    also counts what is due), p50 and p99 over N reads. Baseline: the same on memory documents
 *    (no file, no network), measured in the same run; the engines are reported against it.
 * 2. Storage per 1,000 learners with 300 cards each and 2 log entries per card: bytes of the
 *    learner files in thawbot.study/ (backups left out) on the file engine; pg_total_relation_size
 *    of the study tables (indexes included) on PostgreSQL. Also the cost of one answer at that size
 *    on both (on files each answer rewrites its own learner's file).
 * 3. A start of the file engine with those learners on disk: time to open, heap after GC and files
 *    written. Baseline, in the same run: the heap of every learner's file parsed and held, which is
 *    what a start holding every deck would keep.
 *
 * PostgreSQL: BENCH_DATABASE_URL, or the local test server; a schema of its own, dropped after.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { silentLogger } from '../src/core/log.ts';
import { type DocStorage, memoryStorage } from '../src/store/doc/index.ts';
import { emptyDocs, type FeatureDocs } from '../src/store/doc/shapes.ts';
import type { StudyFiles } from '../src/store/doc/study-files.ts';
import { userKey } from '../src/store/keys.ts';
import { openFileStorage, studyDirFor } from '../src/store/open.ts';
import { openPgStorage } from '../src/store/pg/index.ts';
import type { Storage, StudyCard, StudyLogEntry, WorkspaceRef } from '../src/store/ports.ts';
import { StudyService } from '../src/study/service.ts';
import { quizContent } from '../tests/helpers/quiz-content.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : Number.NaN;
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
}

const READS = arg('reads', 2000);
const LEARNERS = arg('learners', 1000);
const BIG_DECK = 5000;
const CARDS_EACH = 300;
const LOG_PER_CARD = 2;
const DAY = 86_400_000;
const NOW = new Date(Date.UTC(2026, 5, 1, 8, 0));
const WS: WorkspaceRef = { platform: 'discord', workspaceId: '190000000000000001' };
const URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SCHEMA = `thawbot_bench_study_${process.pid}`;
const STUDY_TABLES = ['study_learners', 'study_cards', 'study_log', 'study_reminded'];

/** A deterministic pseudo-random sequence, so every engine gets the same deck. */
function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

function card(i: number, random: () => number): StudyCard {
  const due = NOW.getTime() + Math.round((random() - 0.5) * 120 * DAY);
  const last = due - Math.round(1 + random() * 30) * DAY;
  return {
    questionId: `q-${String(i).padStart(5, '0')}`,
    due: new Date(due).toISOString(),
    stability: 1 + random() * 60,
    difficulty: 1 + random() * 9,
    elapsedDays: Math.floor(random() * 30),
    scheduledDays: Math.floor(1 + random() * 60),
    learningSteps: 0,
    reps: Math.floor(1 + random() * 10),
    lapses: Math.floor(random() * 3),
    state: 'review',
    lastReview: new Date(last).toISOString(),
    addedAt: new Date(last - 30 * DAY).toISOString(),
    addedBy: 'quiz',
  };
}

/** Learners `u0`... with `cards` cards and `logPerCard` log entries per card. */
function seed(learners: number, cards: number, logPerCard: number): FeatureDocs {
  const docs = emptyDocs();
  const random = seeded(42);
  for (let u = 0; u < learners; u++) {
    const userId = `u${u}`;
    const deck: Record<string, StudyCard> = {};
    const log: StudyLogEntry[] = [];
    for (let i = 0; i < cards; i++) {
      const c = card(i, random);
      deck[c.questionId] = c;
      for (let k = 0; k < logPerCard; k++)
        log.push({
          questionId: c.questionId,
          at: new Date(Date.parse(c.addedAt) + k * DAY).toISOString(),
          rating: 3,
          correct: k > 0,
          source: 'quiz',
        });
    }
    log.sort((a, b) => a.at.localeCompare(b.at));
    docs.study.learners[userKey(WS, userId)] = {
      ...WS,
      userId,
      profile: { newPerDay: 5, topics: ['alpha', 'beta'] },
      cards: deck,
      log,
      reminded: {},
    };
  }
  return docs;
}

type Opened = { storage: Storage; dispose: () => Promise<void>; bytes: () => Promise<number> };

async function openFiles(docs: FeatureDocs): Promise<Opened & { file: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'thawbot-bench-study-'));
  const file = path.join(dir, 'thawbot.json');
  const storage = await openFileStorage({ file, log: silentLogger, now: () => NOW });
  await storage.load(docs);
  return {
    file,
    storage,
    bytes: async () => {
      const dir = studyDirFor(file);
      const names = readdirSync(dir).filter((n) => n.endsWith('.json'));
      return names.reduce((n, name) => n + statSync(path.join(dir, name)).size, 0);
    },
    dispose: async () => {
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Heap used after a full GC, in MB. */
function heapMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1e6;
}

/** Section 3: a start with the learners of `file` on disk, against holding every learner's file parsed. */
async function startFigures(file: string): Promise<void> {
  const dir = studyDirFor(file);
  const before = heapMb();
  const parsed = readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .map((n) => JSON.parse(readFileSync(path.join(dir, n), 'utf8')) as unknown);
  const allHeld = heapMb() - before;
  parsed.length = 0;
  const base = heapMb();
  const started = performance.now();
  const storage = (await openFileStorage({ file, log: silentLogger, now: () => NOW })) as DocStorage;
  const seconds = (performance.now() - started) / 1000;
  const held = heapMb() - base;
  const study = storage.docs.study as StudyFiles;
  console.log(
    `a start with them on disk: ${seconds.toFixed(2)} s; heap after GC +${held.toFixed(1)} MB, ${(held / allHeld).toFixed(2)}x every learner file held parsed (+${allHeld.toFixed(1)} MB); learners in memory ${Object.keys(storage.docs.study.read().learners).length}, on disk only ${study.coldCount}; learner files written ${study.stats.writes}, backups rolled ${study.stats.backups}`,
  );
  await storage.close();
}

async function openPostgres(docs: FeatureDocs): Promise<Opened> {
  const storage = await openPgStorage({ url: URL, schema: SCHEMA, log: silentLogger, now: () => NOW });
  await storage.load(docs, { replace: true });
  const admin = new pg.Client({ connectionString: URL });
  await admin.connect();
  await admin.query(`SET search_path = "${SCHEMA}"`);
  await admin.query(`VACUUM ANALYZE ${STUDY_TABLES.join(', ')}`);
  return {
    storage,
    bytes: async () => {
      const { rows } = await admin.query<{ n: string }>(
        `SELECT sum(pg_total_relation_size(format('%I.%I', $1::text, t)))::bigint AS n FROM unnest($2::text[]) t`,
        [SCHEMA, STUDY_TABLES],
      );
      return Number(rows[0]?.n ?? 0);
    },
    dispose: async () => {
      await storage.close();
      await admin.query(`DROP SCHEMA IF EXISTS "${SCHEMA}" CASCADE`);
      await admin.end();
    },
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function time(n: number, fn: (i: number) => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < Math.min(50, Math.ceil(n / 10)); i++) await fn(i); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    await fn(i);
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

const ms = (n: number) => `${n.toFixed(2)} ms`;
const content = quizContent(8);

async function pickFigures(name: string, storage: Storage) {
  const service = new StudyService({ content, study: storage.study, now: () => NOW });
  // Each read at a slightly later instant, as a learner moving through a review would ask.
  const at = (i: number) => new Date(NOW.getTime() + i * 1000);
  const due = await time(READS, (i) => storage.study.due(WS, 'u0', at(i), { limit: 1 }));
  const next = await time(READS, (i) => service.next(WS, 'u0', at(i), { timezone: 'Europe/Berlin' }));
  const count = (await storage.study.dueCounts(WS, 'u0', [NOW]))[0];
  return { name, due, next, count };
}

async function main(): Promise<void> {
  console.log(
    `study benchmark: ${READS} reads of a 5,000-card deck; storage of ${LEARNERS} learners x ${CARDS_EACH} cards`,
  );
  const big = seed(1, BIG_DECK, 0);
  const rows: Awaited<ReturnType<typeof pickFigures>>[] = [];
  rows.push(await pickFigures('memory (baseline)', memoryStorage(big)));
  for (const [name, open] of [
    ['feature files', openFiles],
    ['PostgreSQL', openPostgres],
  ] as const) {
    const opened = await open(big);
    try {
      rows.push(await pickFigures(name, opened.storage));
    } finally {
      await opened.dispose();
    }
  }
  const base = rows[0]!;
  console.log('\nnext due card of a learner with 5,000 cards');
  console.log(
    'engine              due cards  due(limit 1) p50 / p99        next() p50 / p99           p99 vs baseline',
  );
  for (const r of rows)
    console.log(
      `${r.name.padEnd(20)}${String(r.count).padStart(9)}  ${ms(r.due.p50).padStart(9)} / ${ms(r.due.p99).padStart(9)}   ${ms(r.next.p50).padStart(9)} / ${ms(r.next.p99).padStart(9)}   ${(r.due.p99 / base.due.p99).toFixed(1)}x / ${(r.next.p99 / base.next.p99).toFixed(1)}x`,
    );
  const slowest = Math.max(...rows.map((r) => r.next.p99));
  console.log(`target: next due card p99 under 20 ms on both engines: ${slowest < 20 ? 'met' : 'NOT met'}`);

  console.log(
    `\nstorage of ${LEARNERS} learners x ${CARDS_EACH} cards (${LOG_PER_CARD} log entries per card)`,
  );
  const many = seed(LEARNERS, CARDS_EACH, LOG_PER_CARD);
  const files = await openFiles(many);
  try {
    const bytes = await files.bytes();
    // One answer at this size: the group commit rewrites and fsyncs that learner's file only.
    const write = await time(200, (i) =>
      files.storage.study.changeCard(WS, `u${i % LEARNERS}`, 'q-00001', (before) => ({
        card: { ...(before ?? card(1, seeded(i))), reps: (before?.reps ?? 0) + 1 },
        log: { questionId: 'q-00001', at: NOW.toISOString(), rating: 3, correct: true, source: 'review' },
      })),
    );
    console.log(
      `feature files: thawbot.study/ ${(bytes / 1e6).toFixed(1)} MB (${(bytes / LEARNERS / 1024).toFixed(1)} KiB per learner); one answer p50 ${ms(write.p50)}, p99 ${ms(write.p99)}`,
    );
    await files.storage.close();
    await startFigures(files.file);
  } finally {
    await files.dispose();
  }
  const postgres = await openPostgres(many);
  try {
    const bytes = await postgres.bytes();
    const write = await time(200, (i) =>
      postgres.storage.study.changeCard(WS, `u${i % LEARNERS}`, 'q-00001', (before) => ({
        card: { ...(before ?? card(1, seeded(i))), reps: (before?.reps ?? 0) + 1 },
        log: { questionId: 'q-00001', at: NOW.toISOString(), rating: 3, correct: true, source: 'review' },
      })),
    );
    console.log(
      `PostgreSQL: study tables ${(bytes / 1e6).toFixed(1)} MB with indexes (${(bytes / LEARNERS / 1024).toFixed(1)} KiB per learner); one answer p50 ${ms(write.p50)}, p99 ${ms(write.p99)}`,
    );
  } finally {
    await postgres.dispose();
  }
}

await main();
