/**
 * Memory of sharding, in one run against the fake Discord with 2,500 guilds (20 channels, 50 members
 * each) spread over shards: resident memory per process after a forced GC, for
 * 1. a bare discord.js client (default options and caches) on one shard, and one per shard over 2;
 * 2. thawbot on one shard (one process) and over 2 shards (a manager and a process per shard,
 *    discord.js's ShardingManager), built to dist and run as production runs it, on PostgreSQL.
 * Each process is measured the same way: SIGUSR2 to the preloaded probe (a GC), then VmRSS.
 *
 * `npm run bench -- shards [--guilds N] [--runs N]`
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { FakeDiscord, makeGuild, spreadSnowflake } from '../tests/fakes/discord/index.ts';

const APPLICATION_ID = '800000000000000001';
const TOKEN = 'bench-token';
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CONTENT_DIR = path.join(ROOT, 'content');
const PROBE = fileURLToPath(new URL('./_probe.mjs', import.meta.url));
const BARE = fileURLToPath(new URL('./_bare-discord.mjs', import.meta.url));
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const PROD_FLAGS = (
  JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts['start:prod']!.split(' ').filter((word) => word.startsWith('--'));

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : Number.NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** A started process: resolves once every line in `waitFor` has been seen on standard error. */
function launch(args: string[], env: Record<string, string>, waitFor: (line: string) => boolean, lines = 1) {
  const proc = spawn(process.execPath, ['--expose-gc', '--import', pathToFileURL(PROBE).href, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...env },
  });
  let log = '';
  let seen = 0;
  const ready = new Promise<string>((resolve, reject) => {
    proc.once('exit', (code) => reject(new Error(`exited early (${code}): ${log.slice(-1500)}`)));
    proc.stderr?.setEncoding('utf8');
    let buffered = '';
    proc.stderr?.on('data', (chunk: string) => {
      log += chunk;
      buffered += chunk;
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      for (const line of parts) if (waitFor(line) && ++seen === lines) resolve(log);
    });
  });
  return { proc, ready, log: () => log };
}

/** Resident size of a process after a GC (the probe collects on SIGUSR2), in bytes. */
async function rssOf(pid: number): Promise<number> {
  process.kill(pid, 'SIGUSR2');
  await sleep(500);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1]);
  return kib * 1024;
}

async function stop(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  proc.removeAllListeners('exit');
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  proc.kill('SIGTERM');
  await exited;
}

/** bare discord.js, one process per shard (discord.js reads SHARDS / SHARD_COUNT from the environment). */
async function bare(apiUrl: string, count: number): Promise<number[]> {
  const procs = Array.from({ length: count }, (_, id) =>
    launch([BARE, apiUrl, TOKEN], count > 1 ? { SHARDS: String(id), SHARD_COUNT: String(count) } : {}, (l) =>
      l.startsWith('ready '),
    ),
  );
  try {
    await Promise.all(procs.map((p) => p.ready));
    return await Promise.all(procs.map((p) => rssOf(p.proc.pid as number)));
  } finally {
    for (const p of procs) await stop(p.proc);
  }
}

/** thawbot from dist; with `shards` > 1 a manager and its shard processes: [manager, ...shards]. */
async function thawbot(
  apiUrl: string,
  distDir: string,
  databaseUrl: string,
  shards: number,
): Promise<number[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'thawbot-bench-shards-'));
  const msg = (line: string) =>
    line.startsWith('{') ? (JSON.parse(line) as { msg?: string }).msg : undefined;
  const run = launch(
    [...PROD_FLAGS, path.join(distDir, 'src/main.js')],
    {
      LOG_LEVEL: 'info',
      CONTENT_DIR,
      DATA_FILE: path.join(dir, 'thawbot.json'),
      DATABASE_URL: databaseUrl,
      DISCORD_TOKEN: TOKEN,
      DISCORD_APPLICATION_ID: APPLICATION_ID,
      DISCORD_API_URL: apiUrl,
      ...(shards > 1 ? { DISCORD_SHARDS: String(shards) } : {}),
    },
    // One process: its summary line. Sharded: the line of each shard process, once it serves.
    (line) => msg(line) === (shards > 1 ? 'shard running' : 'thawbot running'),
    Math.max(shards, 1),
  );
  try {
    const log = await run.ready;
    const pids = [
      run.proc.pid as number,
      ...log
        .split('\n')
        .filter((l) => l.startsWith('{') && msg(l) === 'shard process started')
        .map((l) => (JSON.parse(l) as { pid: number }).pid),
    ];
    const sizes: number[] = [];
    for (const pid of pids) sizes.push(await rssOf(pid));
    return sizes;
  } finally {
    await stop(run.proc);
    await rm(dir, { recursive: true, force: true });
  }
}

function build(): string {
  const out = path.join(ROOT, '.tmp', 'bench-dist');
  const result = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs'), '--out-dir', out], {
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('npm run build failed');
  return out;
}

async function withDatabase<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const name = `thawbot_bench_shards_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(DATABASE_URL);
  url.pathname = `/${name}`;
  try {
    return await fn(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

const guildCount = arg('guilds', 2500);
const runs = arg('runs', 1);
const distDir = build();
const guilds = Array.from({ length: guildCount }, () =>
  makeGuild({ id: spreadSnowflake(), channels: 20, members: 50 }),
);
const fake = await FakeDiscord.start({
  applicationId: APPLICATION_ID,
  guilds,
  token: TOKEN,
  recommendedShards: 2,
  maxConcurrency: 16,
});
const best = {
  bare1: [] as number[][],
  bare2: [] as number[][],
  thaw1: [] as number[][],
  thaw2: [] as number[][],
};
try {
  await withDatabase(async (url) => {
    // Alternating, so each sees the same machine; the lowest total of each is reported (least noise).
    for (let i = 0; i < runs; i++) {
      best.bare1.push(await bare(fake.apiUrl, 1));
      best.thaw1.push(await thawbot(fake.apiUrl, distDir, url, 1));
      best.bare2.push(await bare(fake.apiUrl, 2));
      best.thaw2.push(await thawbot(fake.apiUrl, distDir, url, 2));
    }
  });
} finally {
  await fake.close();
}
const sum = (list: number[]) => list.reduce((a, b) => a + b, 0);
const lowest = (list: number[][]) => list.reduce((a, b) => (sum(a) <= sum(b) ? a : b));
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`.padStart(10);
const [bare1] = lowest(best.bare1) as [number];
const bare2 = lowest(best.bare2);
const [thaw1] = lowest(best.thaw1) as [number];
const [manager, ...thaw2] = lowest(best.thaw2) as [number, ...number[]];
const perBareShard = sum(bare2) / bare2.length;
const perThawShard = sum(thaw2) / thaw2.length;
console.log(
  `\nResident memory after a GC, ${guildCount} guilds (20 channels, 50 members each), lowest of ${runs} run${runs === 1 ? '' : 's'}:`,
);
console.log(`  bare discord.js, 1 shard                   ${mib(bare1)}`);
console.log(
  `  thawbot (dist, PostgreSQL), 1 shard        ${mib(thaw1)}  ${(thaw1 / bare1).toFixed(2)}x bare`,
);
console.log(
  `  bare discord.js, per shard of 2            ${mib(perBareShard)}  (${bare2.map(mib).join(',')})`,
);
console.log(
  `  thawbot, per shard process of 2            ${mib(perThawShard)}  ${(perThawShard / perBareShard).toFixed(2)}x bare per shard  (${thaw2.map(mib).join(',')})`,
);
console.log(`  thawbot, manager process                   ${mib(manager)}`);
console.log(
  `  thawbot, 2 shards in all (manager + shards) ${mib(manager + sum(thaw2))}  ${((manager + sum(thaw2)) / sum(bare2)).toFixed(2)}x bare's 2 processes`,
);
