/**
 * Store benchmark: group commit against writing the whole file for every update, in the same run,
 * with the same durable adapter (temp file, fsync, rename, directory fsync).
 *
 *   npm run bench -- store [seconds-per-scenario]
 *
 * Prints sustained updates/s, file writes and p50/p99 time for an update to resolve, for a small
 * file and for the retention bound of 2,000 subscriptions; a burst of 1,000 updates at once; and
 * the file size with 2,000 subscriptions after a year of daily deliveries.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { silentLogger } from '../src/core/log.ts';
import type { ChannelRef } from '../src/core/platform.ts';
import { DurableJsonFile } from '../src/store/adapter.ts';
import { emptyData } from '../src/store/data.ts';
import { channelKey } from '../src/store/keys.ts';
import { loadCandidate, openStore } from '../src/store/open.ts';
import { prune } from '../src/store/retention.ts';
import { validateData } from '../src/store/schema.ts';
import type { Data } from '../src/store/types.ts';

const SECONDS = Number(process.argv[2] ?? 3);
const CLIENTS = 50;
const SUBSCRIPTIONS = 2000;
const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 1, 7, 0);

interface Target {
  name: string;
  update(fn: (d: Data) => void): Promise<void>;
  writes(): number;
  close(): Promise<void>;
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'thawbot-bench-store-'));
let fileNo = 0;
const nextFile = () => path.join(dir, `bench-${fileNo++}.json`);

async function groupCommit(seed: Data): Promise<Target> {
  const file = nextFile();
  await new DurableJsonFile(file).write(seed);
  const store = await openStore({ file, log: silentLogger, now: () => new Date(START + 300 * DAY) });
  const base = store.stats.writes;
  return {
    name: 'group commit',
    update: (fn) => store.update(fn),
    writes: () => store.stats.writes - base,
    close: () => store.close(),
  };
}

/** What a plain lowdb `db.update()` does, made durable: one whole-file write per update, in order. */
async function writePerUpdate(seed: Data): Promise<Target> {
  const adapter = new DurableJsonFile(nextFile());
  const data = structuredClone(seed);
  let queue: Promise<void> = Promise.resolve();
  return {
    name: 'write per update',
    update: (fn) => {
      fn(data);
      const write = queue.then(() => adapter.write(data));
      queue = write.catch(() => {});
      return write;
    },
    writes: () => adapter.writes,
    close: async () => {
      await queue;
    },
  };
}

interface Result {
  updates: number;
  seconds: number;
  writes: number;
  p50: number;
  p99: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function answer(d: Data, client: number, n: number): void {
  const key = `discord:g1:u${client}`;
  d.study[key] ??= {
    platform: 'discord',
    workspaceId: 'g1',
    userId: `u${client}`,
    displayName: `player ${client}`,
    games: 0,
    practiceGames: 0,
    topics: {},
    history: [],
    updatedAt: '',
  };
  const record = d.study[key];
  record.history.push({ questionId: `q${n % 300}`, correct: n % 3 !== 0, at: new Date(START).toISOString() });
  if (record.history.length > 50) record.history.shift();
  record.updatedAt = new Date(START).toISOString();
}

/** CLIENTS concurrent clients, each awaiting its update before sending the next, for SECONDS. */
async function sustained(target: Target): Promise<Result> {
  const latencies: number[] = [];
  const started = performance.now();
  const until = started + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      for (let n = 0; performance.now() < until; n++) {
        const t = performance.now();
        await target.update((d) => answer(d, client, n));
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    updates: latencies.length,
    seconds,
    writes: target.writes(),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

/** 1,000 updates issued in the same instant (a quiz question's answers), until the last resolves. */
async function burst(target: Target): Promise<Result> {
  const before = target.writes();
  const started = performance.now();
  const latencies = await Promise.all(
    Array.from({ length: 1000 }, (_, i) =>
      target.update((d) => answer(d, i, i)).then(() => performance.now() - started),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    updates: 1000,
    seconds,
    writes: target.writes() - before,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

function channel(i: number): ChannelRef {
  return {
    platform: 'discord',
    workspaceId: `1${String(i % 400).padStart(17, '0')}`,
    channelId: `2${String(i).padStart(17, '0')}`,
  };
}

/** 2,000 subscriptions with daily deliveries for `days` days, pruned daily by the store's retention. */
function subscriptionsWithDeliveries(days: number, retention: boolean): Data {
  const data = emptyData();
  for (let i = 0; i < SUBSCRIPTIONS; i++) {
    const c = channel(i);
    data.subscriptions[channelKey(c)] = {
      channel: c,
      time: '08:00',
      timezone: 'Europe/Berlin',
      days: 'every',
      createdAt: new Date(START).toISOString(),
      createdBy: { id: `3${String(i).padStart(17, '0')}`, displayName: `Teacher ${i}` },
    };
  }
  for (let day = 0; day < days; day++) {
    const now = new Date(START + day * DAY);
    const date = now.toISOString().slice(0, 10);
    for (let i = 0; i < SUBSCRIPTIONS; i++) {
      const key = channelKey(channel(i));
      data.deliveries[key] ??= {};
      const byDate = data.deliveries[key];
      byDate[date] = {
        status: 'sent',
        at: now.toISOString(),
        messageId: String(1_300_000_000_000_000_000n + BigInt(day * SUBSCRIPTIONS + i)),
      };
    }
    if (retention) prune(data, now);
  }
  return data;
}

function smallData(): Data {
  const data = emptyData();
  data.settings['discord:g1'] = { hostUserIds: ['u1'], timezone: 'Europe/Berlin' };
  return data;
}

const fmt = (n: number, digits = 1) => n.toFixed(digits);
const mb = (bytes: number) =>
  bytes < 1_048_576 ? `${fmt(bytes / 1024, 1)} KiB` : `${fmt(bytes / 1_048_576, 2)} MiB`;

function row(label: string, r: Result): string {
  return `  ${label.padEnd(18)} ${String(r.updates).padStart(7)} updates  ${fmt(r.updates / r.seconds, 0).padStart(7)}/s  ${String(r.writes).padStart(6)} writes  p50 ${fmt(r.p50).padStart(7)} ms  p99 ${fmt(r.p99).padStart(7)} ms`;
}

async function compare(title: string, seed: Data, run: (t: Target) => Promise<Result>): Promise<void> {
  console.log(`\n${title} (file ${mb(Buffer.byteLength(JSON.stringify(seed)))})`);
  const results: Result[] = [];
  for (const make of [groupCommit, writePerUpdate]) {
    const target = await make(seed);
    const result = await run(target);
    await target.close();
    results.push(result);
    console.log(row(target.name, result));
  }
  const [group, naive] = results as [Result, Result];
  console.log(
    `  ratio: ${fmt(group.updates / group.seconds / (naive.updates / naive.seconds))}x the updates/s, ` +
      `${fmt(group.writes / group.updates, 3)} vs ${fmt(naive.writes / naive.updates, 3)} writes per update, ` +
      `p99 ${fmt(naive.p99 / group.p99)}x lower`,
  );
}

try {
  console.log(
    `store benchmark: ${CLIENTS} concurrent clients, ${SECONDS} s per sustained run, durable writes to ${os.tmpdir()}`,
  );
  const bound = subscriptionsWithDeliveries(365, true);
  await compare('Sustained, small file', smallData(), sustained);
  await compare('Burst of 1,000 updates at once, small file', smallData(), burst);
  await compare(
    'Sustained, 2,000 subscriptions with 61 days of deliveries (the retention bound)',
    bound,
    sustained,
  );

  console.log('\nFile size, 2,000 subscriptions with a daily delivery each for a year');
  const file = nextFile();
  await new DurableJsonFile(file).write(bound);
  const deliveries = Object.values(bound.deliveries).reduce((n, byDate) => n + Object.keys(byDate).length, 0);
  console.log(`  with retention (60 days):  ${mb(statSync(file).size)}, ${deliveries} deliveries kept`);
  const unbounded = subscriptionsWithDeliveries(365, false);
  const all = Object.values(unbounded.deliveries).reduce((n, byDate) => n + Object.keys(byDate).length, 0);
  console.log(
    `  without retention:         ${mb(Buffer.byteLength(JSON.stringify(unbounded)))}, ${all} deliveries`,
  );

  let t = performance.now();
  const loaded = await loadCandidate(file);
  console.log(
    `  open (read, parse, validate) of the bounded file: ${fmt(performance.now() - t, 0)} ms (${loaded.kind})`,
  );
  t = performance.now();
  const text = JSON.stringify(bound);
  console.log(`  JSON.stringify per write: ${fmt(performance.now() - t, 0)} ms`);
  t = performance.now();
  validateData(JSON.parse(text));
  console.log(
    `  backup check (parse + validate), once per backup interval: ${fmt(performance.now() - t, 0)} ms`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
