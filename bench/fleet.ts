/**
 * Fleet fan-out benchmark: N Discord subscriptions due in the same minute, shared by 1, 2 and 4 real
 * bot processes (`src/main.ts`) on one PostgreSQL schema, against a fake Discord allowing 50 requests
 * a second globally (429 with retry-after and the global flag beyond it). The process holding the
 * scheduler lease does the fan-out; the floor is N / 50 seconds.
 *
 * `npm run bench -- fleet [--subs N] [--processes 1,2,4] [--limit N]`
 * Needs PostgreSQL (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { missing, prepareFanOut, tally } from '../tests/fleet/fanout.ts';
import { TEST_DATABASE_URL, testSchema } from '../tests/helpers/pg.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CONTENT_DIR = path.join(ROOT, 'content');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

function startProcess(env: Record<string, string>, dir: string): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: dir,
      NO_COLOR: '1',
      DATA_FILE: path.join(dir, 'data', 'thawbot.json'),
      CONTENT_DIR,
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['pipe', 'ignore', 'ignore'],
  });
}

async function run(subs: number, processes: number, limit: number) {
  const schema = testSchema();
  const fan = await prepareFanOut(schema, subs, limit);
  const dir = mkdtempSync(path.join(tmpdir(), 'thawbot-bench-fleet-'));
  const children = Array.from({ length: processes }, () =>
    startProcess({ ...fan.env, DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema.schema }, dir),
  );
  const floor = subs / limit;
  const deadline = Date.now() + (floor * 3 + 120) * 1000;
  while (missing(fan) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
  // A moment more, so a late duplicate would be counted.
  await new Promise((r) => setTimeout(r, 3_000));
  const result = tally(fan);
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    ),
  );
  await fan.fake.close();
  await schema.drop();
  rmSync(dir, { recursive: true, force: true });
  return { processes, ...result, ratio: result.seconds / floor };
}

async function main(): Promise<void> {
  const subs = Number(arg('subs', '10000'));
  const limit = Number(arg('limit', '50'));
  const counts = arg('processes', '1,2,4')
    .split(',')
    .map(Number)
    .filter((n) => n > 0);
  console.log(
    `Fleet fan-out: ${subs} Discord subscriptions due at once, fake Discord allowing ${limit} requests/s globally; floor ${(subs / limit).toFixed(0)} s`,
  );
  console.log('  processes | first to last post | ratio to floor | delivered | duplicates | 429s');
  for (const n of counts) {
    const r = await run(subs, n, limit);
    console.log(
      `  ${String(r.processes).padStart(9)} | ${r.seconds.toFixed(1).padStart(16)} s | ${`${r.ratio.toFixed(3)}x`.padStart(14)} | ${String(r.delivered).padStart(9)} | ${String(r.duplicates).padStart(10)} | ${String(r.limited).padStart(4)}`,
    );
  }
  console.log('  goal: within 1.1x of the floor in every case, 0 duplicates, at most 10 answers of 429');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
