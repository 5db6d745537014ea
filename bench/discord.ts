/**
 * Discord adapter benchmark, against the fake Discord on loopback, in one run:
 * 1. interaction -> callback latency (median, p99 over 1,000 slash commands) for /thaw through thawbot
 *    and for a bare discord.js client answering a fixed embed;
 * 2. resident memory at READY with 1,000 guilds (20 channels, 50 members each) for thawbot and for a
 *    bare client with default caches, each in its own child process.
 *
 * `npm run bench -- discord [--interactions N] [--guilds N]`
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
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
  guilds: number;
  channels: number;
  users: number;
  readyMs: number;
}

/** Runs one client in a child process so that each one's memory is measured alone. */
function child(variant: 'thawbot' | 'bare', apiUrl: string): Promise<MemoryReport> {
  const self = fileURLToPath(import.meta.url);
  return new Promise((resolve, reject) => {
    const proc = spawn(
      process.execPath,
      ['--import', 'tsx', '--expose-gc', self, '--child', variant, apiUrl],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    proc.on('error', reject);
    proc.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (code !== 0 || !line)
        reject(new Error(`${variant} child failed (exit ${code}): ${out.slice(0, 500)}`));
      else resolve(JSON.parse(line) as MemoryReport);
    });
  });
}

async function runChild(variant: string, apiUrl: string): Promise<void> {
  const started = performance.now();
  let stop: () => Promise<unknown>;
  let stats: () => Omit<MemoryReport, 'rss' | 'heapUsed' | 'readyMs'>;
  if (variant === 'thawbot') {
    const adapter = await startThawbot(apiUrl);
    stop = () => adapter.stop();
    // The adapter keeps its client private; the counts come from the fake's side in the parent.
    stats = () => ({ guilds: -1, channels: -1, users: -1 });
  } else {
    const client = await startBare(apiUrl, false);
    stop = () => client.destroy();
    stats = () => ({
      guilds: client.guilds.cache.size,
      channels: client.channels.cache.size,
      users: client.users.cache.size,
    });
  }
  const readyMs = performance.now() - started;
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) {
    gc?.();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const memory = process.memoryUsage();
  console.log(JSON.stringify({ rss: memory.rss, heapUsed: memory.heapUsed, readyMs, ...stats() }));
  await stop();
  process.exit(0);
}

async function memory(guildCount: number): Promise<void> {
  const guilds = Array.from({ length: guildCount }, () => makeGuild({ channels: 20, members: 50 }));
  const fake = await FakeDiscord.start({ applicationId: APPLICATION_ID, guilds, token: TOKEN });
  const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
  const runs = { thawbot: [] as MemoryReport[], bare: [] as MemoryReport[] };
  // Two runs each, alternating; the lower figure of each is reported (less noise from the machine).
  for (let i = 0; i < 2; i++) {
    runs.thawbot.push(await child('thawbot', fake.apiUrl));
    runs.bare.push(await child('bare', fake.apiUrl));
  }
  await fake.close();
  const best = (list: MemoryReport[]) => list.reduce((a, b) => (a.rss <= b.rss ? a : b));
  const t = best(runs.thawbot);
  const b = best(runs.bare);
  console.log(`\nResident memory at READY with ${guildCount} guilds (20 channels, 50 members each):`);
  console.log(
    `  thawbot:          RSS ${mib(t.rss)} MiB  heap ${mib(t.heapUsed)} MiB  ready in ${(t.readyMs / 1000).toFixed(1)} s`,
  );
  console.log(
    `  bare (defaults):  RSS ${mib(b.rss)} MiB  heap ${mib(b.heapUsed)} MiB  ready in ${(b.readyMs / 1000).toFixed(1)} s` +
      `  (caches: ${b.guilds} guilds, ${b.channels} channels, ${b.users} users)`,
  );
  console.log(
    `  ratio thawbot/bare: RSS ${(t.rss / b.rss).toFixed(2)}x  heap ${(t.heapUsed / b.heapUsed).toFixed(2)}x  (goal <= 1.0x)`,
  );
}

const childAt = process.argv.indexOf('--child');
if (childAt >= 0) {
  await runChild(process.argv[childAt + 1] ?? 'bare', process.argv[childAt + 2] ?? '');
} else {
  await latency(arg('interactions', 1000));
  await memory(arg('guilds', 1000));
}
