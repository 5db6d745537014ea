/**
 * Store benchmark: the old whole-document path against the storage engines, in one run, on the same
 * data and the same durable adapter (temp file, fsync, rename, directory fsync).
 *
 *   npm run bench -- store [--samples N] [--reads N]
 *
 * Baseline: ONE `DocFile` holding every feature in the old single-file shape (schema 4), changed the
 * old way (`update(fn)` on the whole document, group commit), so every write re-serialises
 * everything. Against it: the lowdb feature files through the repositories (`openFileStorage`).
 * Another engine (PostgreSQL) is one more entry in ENGINES: a `StorageFactory` that loads the seed.
 *
 * Measured on a realistic state: 2,000 daily subscriptions with a year of deliveries under the
 * 60-day retention (61 days kept), a server with 500 players and 1,000 finished games, 21 running
 * games.
 * 1. 1,000 quiz answers arriving within 1 s in one channel, then spread over 20 channels: all must
 *    be recorded; p50/p99 time for each `recordAnswer` to resolve, writes, bytes per write.
 * 2. Claiming and marking one delivery (`claimDelivery` + `recordDelivery`): p50/p99, bytes per write.
 * 3. `results.leaderboard` of the 500-player server: p99 over many reads.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { silentLogger } from '../src/core/log.ts';
import { type ChannelRef, channelKey } from '../src/core/platform.ts';
import { DurableJsonFile } from '../src/store/doc/adapter.ts';
import { DocFile } from '../src/store/doc/file.ts';
import { DocStorage, memoryStorage } from '../src/store/doc/index.ts';
import { FEATURES, type FeatureDocs } from '../src/store/doc/shapes.ts';
import { writeFileDurable } from '../src/store/files.ts';
import { scoreKey } from '../src/store/keys.ts';
import { LEGACY_VERSION, type LegacyData, parseLegacy } from '../src/store/legacy.ts';
import { backupPathFor, featureFileFor, openFileStorage } from '../src/store/open.ts';
import { openPgStorage } from '../src/store/pg/index.ts';
import type { LeaderboardRow, Storage, WorkspaceRef } from '../src/store/ports.ts';
import type { DeliveryStatus, QuizAnswer, QuizResult, QuizSession } from '../src/store/schema.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : Number.NaN;
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
}

const SAMPLES = arg('samples', 20);
const READS = arg('reads', 2000);
const SUBSCRIPTIONS = 2000;
const KEPT_DAYS = 61;
const PLAYERS = 500;
const GAMES = 1000;
const PLAYERS_PER_GAME = 10;
const ROUNDS = 5;
const ANSWERS = 1000;
const SPREAD_CHANNELS = 20;
const DAY = 86_400_000;
/** The benchmark's "now": the last day of a year of daily posts. */
const NOW = new Date(Date.UTC(2026, 11, 31, 7, 0));
const TODAY = NOW.toISOString().slice(0, 10);
const SERVER: WorkspaceRef = { platform: 'discord', workspaceId: '190000000000000001' };
const BURST_CHANNEL: ChannelRef = { ...SERVER, channelId: '290000000000000000' };
const SPREAD: ChannelRef[] = Array.from({ length: SPREAD_CHANNELS }, (_, i) => ({
  ...SERVER,
  channelId: `29000000000000${String(i + 1).padStart(4, '0')}`,
}));
const GAME_ID = 'bench-game';

// ---- what is measured ---------------------------------------------------------------------------

/** The operations measured, on any engine. */
interface Subject {
  recordAnswer(channel: ChannelRef, gameId: string, round: number, answer: QuizAnswer): Promise<boolean>;
  answersIn(channel: ChannelRef): Promise<number>;
  claimDelivery(channel: ChannelRef, date: string, at: Date): Promise<boolean>;
  recordDelivery(
    channel: ChannelRef,
    date: string,
    status: DeliveryStatus,
    at: Date,
    extra: { messageId?: string },
  ): Promise<void>;
  leaderboard(ws: WorkspaceRef, period: string, limit: number): Promise<LeaderboardRow[]>;
  /** File writes and bytes written so far, when the engine writes files. */
  io(): { writes: number; bytes: number } | undefined;
  close(): Promise<void>;
}

/** Opens an engine in `dir` holding `seed` (the feature documents). The hook for more engines. */
export type StorageFactory = (dir: string, seed: FeatureDocs) => Promise<Storage>;

/** The lowdb feature files: the seed written as the files, then opened as the bot opens them. */
const featureFiles: StorageFactory = async (dir, seed) => {
  const file = path.join(dir, 'thawbot.json');
  for (const feature of FEATURES) {
    const text = JSON.stringify(seed[feature]);
    await writeFileDurable(featureFileFor(file, feature), text);
    await writeFileDurable(backupPathFor(featureFileFor(file, feature)), text);
  }
  return openFileStorage({ file, log: silentLogger, now: () => NOW });
};

/**
 * PostgreSQL (BENCH_DATABASE_URL, or the local test server): a schema of its own, loaded with the
 * seed, dropped when the storage closes.
 */
const postgres: StorageFactory = async (_dir, seed) => {
  const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `thawbot_bench_${process.pid}`;
  const storage = await openPgStorage({ url, schema, log: silentLogger, now: () => NOW });
  await storage.load(seed, { replace: true });
  return {
    ...storage,
    close: async () => {
      await storage.close();
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.end();
    },
  };
};

/** Engines compared with the baseline. */
const ENGINES: { name: string; make: StorageFactory }[] = [
  { name: 'feature files', make: featureFiles },
  { name: 'PostgreSQL', make: postgres },
];

function fromStorage(storage: Storage): Subject {
  const files =
    storage instanceof DocStorage
      ? FEATURES.map((f): unknown => storage.docs[f]).filter(
          (d): d is DocFile<unknown> => d instanceof DocFile,
        )
      : [];
  return {
    recordAnswer: (c, g, r, a) => storage.games.recordAnswer(c, g, r, a),
    answersIn: async (c) => Object.keys((await storage.games.get(c))?.rounds[0]?.answers ?? {}).length,
    claimDelivery: (c, d, at) => storage.daily.claimDelivery(c, d, at),
    recordDelivery: (c, d, s, at, extra) => storage.daily.recordDelivery(c, d, s, at, extra),
    leaderboard: (ws, period, limit) => storage.results.leaderboard(ws, period, limit),
    io: () =>
      files.length === 0
        ? undefined
        : {
            writes: files.reduce((n, f) => n + f.stats.writes, 0),
            bytes: files.reduce((n, f) => n + f.stats.bytesWritten, 0),
          },
    close: () => storage.close(),
  };
}

type WholeData = LegacyData & { claims: Record<string, unknown> };

/** The baseline: the old single data file, every change an update of the whole document. */
async function wholeDocument(dir: string, seed: FeatureDocs): Promise<Subject> {
  const file = path.join(dir, 'thawbot.json');
  const data: WholeData = {
    schemaVersion: LEGACY_VERSION,
    settings: seed.settings.settings,
    subscriptions: seed.daily.subscriptions,
    deliveries: seed.daily.deliveries,
    quizSessions: seed.games.sessions,
    quizResults: seed.results.results,
    scores: seed.results.scores,
    study: seed.results.study,
    claims: {},
    removedWorkspaces: seed.workspaces.removed,
    quizNights: seed.nights.nights,
  };
  const text = JSON.stringify(data);
  await writeFileDurable(file, text);
  await writeFileDurable(backupPathFor(file), text);
  const doc = new DocFile<WholeData>({
    adapter: new DurableJsonFile<WholeData>(file),
    data,
    log: silentLogger,
    now: () => NOW,
    backupFile: backupPathFor(file),
    check: (value) => {
      const parsed = parseLegacy(value);
      return parsed.ok ? undefined : parsed.error;
    },
    backupIntervalMs: 600_000,
  });
  return {
    // As the old quiz service did: find the game in the whole document and add the answer.
    recordAnswer: (channel, gameId, round, answer) =>
      doc.update((d) => {
        const session = d.quizSessions[channelKey(channel)];
        const target = session?.id === gameId ? session.rounds[round] : undefined;
        if (!session || !target || target.answers[answer.userId]) return false;
        target.answers[answer.userId] = { ...answer };
        if (answer.at > session.updatedAt) session.updatedAt = answer.at;
        return true;
      }),
    answersIn: async (c) =>
      Object.keys(doc.read().quizSessions[channelKey(c)]?.rounds[0]?.answers ?? {}).length,
    // src/store/deliveries.ts before the split.
    claimDelivery: (channel, date, at) =>
      doc.update((d) => {
        const key = channelKey(channel);
        d.deliveries[key] ??= {};
        const byDate = d.deliveries[key];
        if (byDate[date]) return false;
        byDate[date] = { status: 'pending', at: at.toISOString() };
        return true;
      }),
    recordDelivery: (channel, date, status, at, extra) =>
      doc.update((d) => {
        const key = channelKey(channel);
        d.deliveries[key] ??= {};
        const byDate = d.deliveries[key];
        byDate[date] = { ...byDate[date], ...extra, status, at: at.toISOString() };
      }),
    leaderboard: async (ws, period, limit) =>
      Object.entries(doc.read().scores[scoreKey(ws, period)]?.users ?? {})
        .map(([userId, e]) => ({ userId, ...e }))
        .sort((a, b) => b.points - a.points || a.displayName.localeCompare(b.displayName))
        .slice(0, limit),
    io: () => ({ writes: doc.stats.writes, bytes: doc.stats.bytesWritten }),
    close: () => doc.close(),
  };
}

// ---- the seed -----------------------------------------------------------------------------------

function subscriptionChannel(i: number): ChannelRef {
  return {
    platform: 'discord',
    workspaceId: `1${String(i % 400).padStart(17, '0')}`,
    channelId: `2${String(i).padStart(17, '0')}`,
  };
}

/** A small deterministic PRNG, so every engine gets the same data. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1_664_525 + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

function runningGame(channel: ChannelRef): QuizSession {
  const at = NOW.toISOString();
  return {
    id: GAME_ID,
    channel,
    startedBy: { id: '390000000000000001', displayName: 'Host' },
    startedAt: at,
    updatedAt: at,
    mode: 'race',
    seconds: 20,
    questionIds: ['q-secret-speech', 'q-sputnik', 'q-novy-mir'],
    current: 0,
    rounds: [{ questionId: 'q-secret-speech', order: [2, 0, 3, 1], shownAt: at, answers: {} }],
    streaks: {},
  };
}

/** The state every engine starts from, built through the repositories of a memory storage. */
async function buildSeed(): Promise<FeatureDocs> {
  const storage = memoryStorage();
  const random = prng(1953);
  const subs = Array.from({ length: SUBSCRIPTIONS }, (_, i) => subscriptionChannel(i));
  for (const [i, channel] of subs.entries()) {
    await storage.daily.subscribe({
      channel,
      time: '08:00',
      timezone: 'Europe/Berlin',
      days: 'every',
      createdAt: new Date(Date.UTC(2026, 0, 1)).toISOString(),
      createdBy: { id: `3${String(i).padStart(17, '0')}`, displayName: `Teacher ${i}` },
    });
  }
  await storage.docs.daily.update((d) => {
    for (let day = KEPT_DAYS; day >= 1; day--) {
      const at = new Date(NOW.getTime() - day * DAY);
      const date = at.toISOString().slice(0, 10);
      for (const [i, channel] of subs.entries()) {
        const key = channelKey(channel);
        d.deliveries[key] ??= {};
        const byDate = d.deliveries[key];
        byDate[date] = {
          status: 'sent',
          at: at.toISOString(),
          messageId: String(1_300_000_000_000_000_000n + BigInt(day * SUBSCRIPTIONS + i)),
        };
      }
    }
  });

  const players = Array.from({ length: PLAYERS }, (_, i) => ({
    userId: `4${String(i).padStart(17, '0')}`,
    displayName: `Player ${i}`,
  }));
  const topics = ['destalinization', 'culture', 'space', 'economy', 'foreign-policy'];
  const questionTopics = (id: string) => [topics[Number(id.slice(1)) % topics.length] as string];
  for (let g = 0; g < GAMES; g++) {
    const endedAt = new Date(NOW.getTime() - (1 + (g * 170) / GAMES) * DAY);
    const chosen = new Set<number>();
    while (chosen.size < PLAYERS_PER_GAME) chosen.add(Math.floor(random() * PLAYERS));
    const inGame = [...chosen].map((p) => players[p] as (typeof players)[number]);
    const rounds = Array.from({ length: ROUNDS }, (_, r) => ({
      questionId: `q${(g * ROUNDS + r) % 300}`,
      answers: inGame.map((p) => {
        const correct = random() < 0.6;
        const ms = Math.floor(random() * 20_000);
        return {
          userId: p.userId,
          displayName: p.displayName,
          choice: Math.floor(random() * 4),
          correct,
          ms,
          points: correct ? 1000 - Math.floor(ms / 40) : 0,
          at: new Date(endedAt.getTime() - (ROUNDS - r) * 30_000).toISOString(),
        };
      }),
    }));
    const totals = inGame
      .map((p) => {
        const mine = rounds.flatMap((r) => r.answers.filter((a) => a.userId === p.userId));
        return {
          ...p,
          points: mine.reduce((n, a) => n + a.points, 0),
          correct: mine.filter((a) => a.correct).length,
          answered: mine.length,
        };
      })
      .sort((a, b) => b.points - a.points)
      .map((p, rank) => ({ ...p, rank: rank + 1 }));
    const result: QuizResult = {
      id: `game${g}`,
      channel: SPREAD[g % SPREAD_CHANNELS] as ChannelRef,
      startedBy: { id: '390000000000000001', displayName: 'Host' },
      startedAt: new Date(endedAt.getTime() - 180_000).toISOString(),
      endedAt: endedAt.toISOString(),
      mode: 'race',
      practice: false,
      stopped: false,
      rounds,
      players: totals,
    };
    await storage.results.record(result, questionTopics);
  }

  for (const channel of [BURST_CHANNEL, ...SPREAD]) await storage.games.create(runningGame(channel));
  await storage.settings.change(SERVER, (s) => {
    s.hostUserIds.push('390000000000000001');
    s.timezone = 'Europe/Berlin';
  });
  return structuredClone(Object.fromEntries(FEATURES.map((f) => [f, storage.docs[f].read()])) as FeatureDocs);
}

// ---- scenarios ----------------------------------------------------------------------------------

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

interface Latency {
  p50: number;
  p99: number;
}

function latency(samples: number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

interface Figures {
  burstOne: Latency & { recorded: number; writes?: number; bytesPerWrite?: number };
  burstSpread: Latency & { recorded: number; writes?: number; bytesPerWrite?: number };
  delivery: Latency & { bytesPerWrite?: number };
  leaderboard: Latency;
}

function ioDelta(subject: Subject, before: ReturnType<Subject['io']>) {
  const after = subject.io();
  if (!before || !after) return {};
  const writes = after.writes - before.writes;
  return { writes, bytesPerWrite: writes > 0 ? (after.bytes - before.bytes) / writes : 0 };
}

/** ANSWERS answers spread evenly over one second across `channels`; each one's time to resolve. */
async function answerBurst(subject: Subject, channels: ChannelRef[], prefix: string) {
  const before = subject.io();
  const started = performance.now();
  const pending: Promise<{ ms: number; ok: boolean }>[] = [];
  for (let i = 0; i < ANSWERS; i++) {
    const due = started + (i * 1000) / ANSWERS;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const channel = channels[i % channels.length] as ChannelRef;
    const at = performance.now();
    const answer: QuizAnswer = {
      userId: `${prefix}${String(i).padStart(6, '0')}`,
      displayName: `Player ${i}`,
      choice: i % 4,
      correct: i % 4 === 0,
      ms: i,
      points: i % 4 === 0 ? 900 : 0,
      at: new Date(NOW.getTime() + i).toISOString(),
    };
    pending.push(
      subject.recordAnswer(channel, GAME_ID, 0, answer).then((ok) => ({ ms: performance.now() - at, ok })),
    );
  }
  const results = await Promise.all(pending);
  let recorded = 0;
  for (const channel of channels) recorded += await subject.answersIn(channel);
  if (results.some((r) => !r.ok) || recorded !== ANSWERS)
    throw new Error(`answers lost: ${recorded} of ${ANSWERS} recorded`);
  return { ...latency(results.map((r) => r.ms)), recorded, ...ioDelta(subject, before) };
}

/** Claims and marks one delivery at a time (today's post of one channel): the time for both. */
async function deliveries(subject: Subject) {
  const before = subject.io();
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const channel = subscriptionChannel((i * 97) % SUBSCRIPTIONS);
    const t = performance.now();
    if (!(await subject.claimDelivery(channel, TODAY, NOW))) throw new Error('claim refused');
    await subject.recordDelivery(channel, TODAY, 'sent', NOW, { messageId: `9${i}` });
    times.push(performance.now() - t);
  }
  const { bytesPerWrite } = ioDelta(subject, before);
  return { ...latency(times), bytesPerWrite };
}

async function leaderboards(subject: Subject) {
  const times: number[] = [];
  const month = new Date(NOW.getTime() - 10 * DAY).toISOString().slice(0, 7);
  for (let i = 0; i < READS; i++) {
    const t = performance.now();
    const rows = await subject.leaderboard(SERVER, i % 2 === 0 ? 'all' : month, 10);
    times.push(performance.now() - t);
    if (rows.length !== 10) throw new Error(`leaderboard has ${rows.length} rows`);
  }
  return latency(times);
}

async function measure(name: string, open: (dir: string) => Promise<Subject>): Promise<Figures> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'thawbot-bench-store-'));
  try {
    (globalThis as { gc?: () => void }).gc?.();
    const started = performance.now();
    const subject = await open(dir);
    console.log(`  ${name}: seed written and opened in ${fmt(performance.now() - started, 0)} ms`);
    const burstOne = await answerBurst(subject, [BURST_CHANNEL], '5');
    const burstSpread = await answerBurst(subject, SPREAD, '6');
    const delivery = await deliveries(subject);
    const leaderboard = await leaderboards(subject);
    await subject.close();
    return { burstOne, burstSpread, delivery, leaderboard };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- the table ----------------------------------------------------------------------------------

const fmt = (n: number | undefined, digits = 1) =>
  n === undefined || Number.isNaN(n) ? 'n/a' : n.toFixed(digits);

function size(bytes: number | undefined): string {
  if (bytes === undefined) return 'n/a';
  if (bytes < 1024) return `${fmt(bytes, 0)} B`;
  return bytes < 1_048_576 ? `${fmt(bytes / 1024, 1)} KiB` : `${fmt(bytes / 1_048_576, 2)} MiB`;
}

function table(columns: { name: string; figures: Figures }[]): void {
  const rows: {
    label: string;
    value: (f: Figures) => number | undefined;
    show: (n: number | undefined) => string;
  }[] = [
    { label: '1,000 answers in 1 s, one channel: p50 ms', value: (f) => f.burstOne.p50, show: (n) => fmt(n) },
    { label: '  p99 ms', value: (f) => f.burstOne.p99, show: (n) => fmt(n) },
    { label: '  file writes', value: (f) => f.burstOne.writes, show: (n) => fmt(n, 0) },
    { label: '  bytes per write', value: (f) => f.burstOne.bytesPerWrite, show: size },
    {
      label: '1,000 answers in 1 s, 20 channels: p50 ms',
      value: (f) => f.burstSpread.p50,
      show: (n) => fmt(n),
    },
    { label: '  p99 ms', value: (f) => f.burstSpread.p99, show: (n) => fmt(n) },
    { label: '  file writes', value: (f) => f.burstSpread.writes, show: (n) => fmt(n, 0) },
    { label: '  bytes per write', value: (f) => f.burstSpread.bytesPerWrite, show: size },
    { label: 'claim + mark one delivery: p50 ms', value: (f) => f.delivery.p50, show: (n) => fmt(n) },
    { label: '  p99 ms', value: (f) => f.delivery.p99, show: (n) => fmt(n) },
    { label: '  bytes per write', value: (f) => f.delivery.bytesPerWrite, show: size },
    { label: 'leaderboard, 500 players: p50 ms', value: (f) => f.leaderboard.p50, show: (n) => fmt(n, 3) },
    { label: '  p99 ms', value: (f) => f.leaderboard.p99, show: (n) => fmt(n, 3) },
  ];
  const [baseline, ...others] = columns;
  if (!baseline) return;
  const width = 44;
  const cell = 16;
  const header = [
    ''.padEnd(width),
    baseline.name.padStart(cell),
    ...others.flatMap((o) => [o.name.padStart(cell), 'ratio'.padStart(9)]),
  ].join(' ');
  console.log(`\n${header}`);
  console.log('-'.repeat(header.length));
  for (const row of rows) {
    const base = row.value(baseline.figures);
    const cells = [row.label.padEnd(width), row.show(base).padStart(cell)];
    for (const other of others) {
      const value = row.value(other.figures);
      const r = base !== undefined && value !== undefined && value > 0 ? base / value : undefined;
      const ratio = r === undefined ? '' : `${fmt(r, r < 0.1 ? 3 : 1)}x`;
      cells.push(row.show(value).padStart(cell), ratio.padStart(9));
    }
    console.log(cells.join(' '));
  }
  console.log('(ratio: baseline / engine; above 1 means the engine is faster or writes less)');
}

async function main(): Promise<void> {
  console.log(`store benchmark (node ${process.version}), durable writes to ${os.tmpdir()}`);
  let t = performance.now();
  const seed = await buildSeed();
  const bytes = Object.fromEntries(FEATURES.map((f) => [f, Buffer.byteLength(JSON.stringify(seed[f]))]));
  const total = Object.values(bytes).reduce((n, b) => n + b, 0);
  const deliveryCount = Object.values(seed.daily.deliveries).reduce((n, d) => n + Object.keys(d).length, 0);
  console.log(
    `seed (built in ${fmt((performance.now() - t) / 1000, 1)} s): ${SUBSCRIPTIONS} subscriptions with ${deliveryCount} deliveries ` +
      `(a year under the 60-day retention), ${PLAYERS} players in ${GAMES} games, ${1 + SPREAD_CHANNELS} running games`,
  );
  console.log(
    `  whole document ${size(total)}; feature files ${FEATURES.map((f) => `${f} ${size(bytes[f])}`).join(', ')}`,
  );
  console.log(`  ${SAMPLES} delivery samples, ${READS} leaderboard reads`);

  const columns: { name: string; figures: Figures }[] = [];
  t = performance.now();
  columns.push({
    name: 'whole file',
    figures: await measure('whole file (baseline)', (dir) => wholeDocument(dir, structuredClone(seed))),
  });
  for (const engine of ENGINES) {
    columns.push({
      name: engine.name,
      figures: await measure(engine.name, async (dir) =>
        fromStorage(await engine.make(dir, structuredClone(seed))),
      ),
    });
  }
  table(columns);
  console.log(
    `\n(all recorded: ${columns.map((c) => `${c.name} ${c.figures.burstOne.recorded + c.figures.burstSpread.recorded}/${2 * ANSWERS}`).join(', ')}; ran ${fmt((performance.now() - t) / 1000, 1)} s)`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
