/**
 * Discord adapter benchmark, against the fake Discord on loopback, in one run:
 * 1. interaction -> callback latency (median, p99 over 1,000 slash commands) for /thaw through thawbot
 *    and for a bare discord.js client answering a fixed embed;
 * 2. resident memory after a forced GC once serving, with 1,000 guilds (20 channels, 50 members
 *    each), and the time from spawn to READY, for: a bare discord.js client with default caches on
 *    plain Node, thawbot as `npm start` runs it (tsx src/main.ts) and thawbot built to dist as
 *    production runs it (the Node flags of `npm run start:prod`); each in its own process, configured
 *    by environment like a deployment, runs alternating.
 *
 * `npm run bench -- discord [--interactions N] [--guilds N] [--runs N] [--memory-only]`
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Client, Events, GatewayIntentBits } from 'discord.js';
import { commands } from '../commands/index.ts';
import { startDiscord } from '../src/adapters/discord/index.ts';
import { buildApp } from '../src/app.ts';
import { ContentIndex } from '../src/content/index.ts';
import { readContent } from '../src/content/load.ts';
import type { RunningAdapter } from '../src/core/adapter.ts';
import { silentLogger } from '../src/core/log.ts';
import { memoryStorage } from '../src/store/doc/index.ts';
import { FakeDiscord, type FakeGuild, makeGuild } from '../tests/fakes/discord/index.ts';

const APPLICATION_ID = '800000000000000001';
const TOKEN = 'bench-token';
const CONTENT_DIR = fileURLToPath(new URL('../content', import.meta.url));

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : Number.NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** The library as it is, even with problems the content check would report: the bench needs /thaw. */
function content(): ContentIndex {
  return new ContentIndex(readContent(CONTENT_DIR).library);
}

async function startThawbot(apiUrl: string): Promise<RunningAdapter> {
  const { deps, router } = buildApp({
    content: content(),
    storage: memoryStorage(),
    log: silentLogger,
    commands,
  });
  return startDiscord(
    { router, deps, log: silentLogger },
    { token: TOKEN, applicationId: APPLICATION_ID, apiUrl },
  );
}

/** The baseline: default options and caches, answering every slash command with one fixed embed. */
async function startBare(apiUrl: string, answer: boolean): Promise<Client> {
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: apiUrl } });
  if (answer) {
    client.on(Events.InteractionCreate, (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      interaction
        .reply({
          embeds: [
            {
              title: 'The Thaw',
              description: 'A fixed answer.',
              fields: [{ name: 'Sources', value: '- [A book](https://example.org)' }],
            },
          ],
          allowedMentions: { parse: [] },
        })
        .catch(() => {});
    });
  }
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(TOKEN);
  await ready;
  return client;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function measureOne(
  fake: FakeDiscord,
  guild: FakeGuild,
  name: string,
  options: Record<string, string>,
): Promise<number> {
  const user = guild.members[0]?.user ?? { id: '1', username: 'x' };
  const started = performance.now();
  const injected = fake.chatInput({ guild, user, name, options });
  const call = await fake.callback(injected);
  return call.at - started;
}

async function latency(n: number): Promise<void> {
  const guildA = makeGuild({ channels: 3, members: 5 });
  const guildB = makeGuild({ channels: 3, members: 5 });
  const fakeA = await FakeDiscord.start({ applicationId: APPLICATION_ID, guilds: [guildA], token: TOKEN });
  const fakeB = await FakeDiscord.start({ applicationId: APPLICATION_ID, guilds: [guildB], token: TOKEN });
  const thawbot = await startThawbot(fakeA.apiUrl);
  const bare = await startBare(fakeB.apiUrl, true);
  const index = content();
  const hasThaw = commands.some((c) => c.name === 'thaw') && index.topic('thaw') !== undefined;
  const fallbackTopic = index.topics[0]?.id ?? 'thaw';
  const [command, options]: [string, Record<string, string>] = hasThaw
    ? ['thaw', {}]
    : ['learn', { topic: fallbackTopic }];
  if (!hasThaw)
    console.log(`(no /thaw topic in the content; measuring /learn topic:${fallbackTopic} instead)`);

  const times = { thawbot: [] as number[], bare: [] as number[] };
  const warmup = Math.min(100, n);
  for (let i = 0; i < warmup; i++) {
    await measureOne(fakeA, guildA, command, options);
    await measureOne(fakeB, guildB, 'thaw', {});
  }
  // Alternate in blocks so both clients see the same machine conditions.
  const block = 50;
  for (let done = 0; done < n; done += block) {
    const size = Math.min(block, n - done);
    for (let i = 0; i < size; i++) times.thawbot.push(await measureOne(fakeA, guildA, command, options));
    for (let i = 0; i < size; i++) times.bare.push(await measureOne(fakeB, guildB, 'thaw', {}));
  }
  await thawbot.stop();
  await bare.destroy();
  await fakeA.close();
  await fakeB.close();

  const summary = (list: number[]) => {
    const sorted = [...list].sort((a, b) => a - b);
    return { median: percentile(sorted, 50), p99: percentile(sorted, 99) };
  };
  const t = summary(times.thawbot);
  const b = summary(times.bare);
  console.log(`\nInteraction -> callback latency over ${n} slash commands (ms):`);
  console.log(
    `  ${`thawbot /${command}:`.padEnd(20)} median ${t.median.toFixed(2)}  p99 ${t.p99.toFixed(2)}`,
  );
  console.log(`  ${'bare discord.js:'.padEnd(20)} median ${b.median.toFixed(2)}  p99 ${b.p99.toFixed(2)}`);
  console.log(
    `  ${'ratio thawbot/bare:'.padEnd(20)} median ${(t.median / b.median).toFixed(2)}x  p99 ${(t.p99 / b.p99).toFixed(2)}x  (goal <= 1.5x)`,
  );
}

interface MemoryReport {
  rss: number;
  heapUsed: number;
  /** From process start to READY (thawbot: its "discord ready" log line). */
  readyMs: number;
  /** From process start to serving (thawbot: "thawbot running", after the services are armed). */
  runningMs: number;
  detail: string;
}

type Variant = 'bare' | 'tsx' | 'dist';
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PROBE = fileURLToPath(new URL('./_probe.mjs', import.meta.url));
const BARE = fileURLToPath(new URL('./_bare-discord.mjs', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
/** The Node flags production runs with: those of `npm run start:prod` (the Dockerfile uses the same). */
const PROD_FLAGS = (
  JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts['start:prod']!.split(' ').filter((word) => word.startsWith('--'));

/**
 * Starts one process as it runs for real (thawbot: its entry point, configured by environment, with
 * feature files in a temporary directory), waits until it serves, then asks the preloaded probe
 * for its memory after a forced GC. Times are taken here, from spawn to the log line.
 */
async function measure(
  variant: Variant,
  apiUrl: string,
  distDir: string,
  dir: string,
): Promise<MemoryReport> {
  const node = ['--expose-gc', '--import', pathToFileURL(PROBE).href];
  const args = {
    bare: [...node, BARE, apiUrl, TOKEN],
    tsx: ['--import', TSX, ...node, path.join(ROOT, 'src/main.ts')],
    dist: [...node, ...PROD_FLAGS, path.join(distDir, 'src/main.js')],
  }[variant];
  const started = performance.now();
  // A clean environment and a directory without .env: only what is given here configures the bot.
  const proc = spawn(process.execPath, args, {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      CONTENT_DIR: CONTENT_DIR,
      DATA_FILE: path.join(dir, `${variant}-${Math.round(started)}`, 'thawbot.json'),
      DISCORD_TOKEN: TOKEN,
      DISCORD_APPLICATION_ID: APPLICATION_ID,
      DISCORD_API_URL: apiUrl,
    },
  });
  let readyMs = Number.NaN;
  let detail = '';
  let log = '';
  const running = new Promise<number>((resolve, reject) => {
    proc.once('exit', (code) => reject(new Error(`${variant} exited early (${code}): ${log.slice(-800)}`)));
    proc.stderr?.setEncoding('utf8');
    let buffered = '';
    proc.stderr?.on('data', (chunk: string) => {
      log += chunk;
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const at = performance.now() - started;
        if (line.startsWith('ready ')) {
          readyMs = at;
          const [guilds, channels, users] = line.split(' ').slice(1);
          detail = `caches: ${guilds} guilds, ${channels} channels, ${users} users`;
          resolve(at);
        }
        if (!line.startsWith('{')) continue;
        const record = JSON.parse(line) as { msg?: string; guilds?: number };
        if (record.msg === 'discord ready') {
          readyMs = at;
          detail = `${record.guilds} guilds`;
        }
        if (record.msg === 'thawbot running') resolve(at);
      }
    });
  });
  try {
    const runningMs = await running;
    const answer = new Promise<{ memory: NodeJS.MemoryUsage; gc: boolean }>((resolve) =>
      proc.once('message', (m) => resolve(m as { memory: NodeJS.MemoryUsage; gc: boolean })),
    );
    proc.send({ type: 'measure' });
    const { memory, gc } = await answer;
    if (!gc) throw new Error('the probe could not collect garbage (--expose-gc missing)');
    return { rss: memory.rss, heapUsed: memory.heapUsed, readyMs, runningMs, detail };
  } finally {
    proc.removeAllListeners('exit');
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGTERM');
    await exited;
  }
}

/** Builds thawbot as `npm run build` does, into a directory of its own (the project's dist is left alone). */
function build(): string {
  const out = path.join(ROOT, '.tmp', 'bench-dist');
  const result = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs'), '--out-dir', out], {
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('npm run build failed');
  return out;
}

async function memory(guildCount: number, runs: number): Promise<void> {
  const distDir = build();
  const guilds = Array.from({ length: guildCount }, () => makeGuild({ channels: 20, members: 50 }));
  const fake = await FakeDiscord.start({ applicationId: APPLICATION_ID, guilds, token: TOKEN });
  const dir = await mkdtemp(path.join(tmpdir(), 'thawbot-bench-discord-'));
  const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
  const reports: Record<Variant, MemoryReport[]> = { bare: [], tsx: [], dist: [] };
  try {
    // Alternating, so each sees the same machine; the lowest RSS of each is reported (least noise).
    for (let i = 0; i < runs; i++)
      for (const variant of ['bare', 'tsx', 'dist'] as const)
        reports[variant].push(await measure(variant, fake.apiUrl, distDir, dir));
  } finally {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  }
  const best = (list: MemoryReport[]) => list.reduce((a, b) => (a.rss <= b.rss ? a : b));
  const median = (list: number[]) =>
    [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)] ?? Number.NaN;
  const bare = best(reports.bare);
  console.log(
    `\nMemory at READY with ${guildCount} guilds (20 channels, 50 members each), after a forced GC; lowest of ${runs} runs:`,
  );
  const labels: Record<Variant, string> = {
    bare: 'bare discord.js (defaults)',
    tsx: 'thawbot, tsx src/main.ts',
    dist: `thawbot, node ${PROD_FLAGS.join(' ')} dist`,
  };
  for (const variant of ['bare', 'tsx', 'dist'] as const) {
    const r = best(reports[variant]);
    const ready = median(reports[variant].map((x) => x.readyMs));
    const serving = median(reports[variant].map((x) => x.runningMs));
    console.log(
      `  ${labels[variant].padEnd(44)} RSS ${mib(r.rss).padStart(6)} MiB (${(r.rss / bare.rss).toFixed(2)}x)  heap ${mib(r.heapUsed).padStart(5)} MiB (${(r.heapUsed / bare.heapUsed).toFixed(2)}x)` +
        `  start->READY ${(ready / 1000).toFixed(2)} s, serving ${(serving / 1000).toFixed(2)} s  (${r.detail})`,
    );
  }
  console.log("  goal: thawbot from dist <= 0.8x the bare client's RSS (times are medians)");
}

const only = process.argv.includes('--memory-only');
if (!only) await latency(arg('interactions', 1000));
await memory(arg('guilds', 1000), arg('runs', 2));
