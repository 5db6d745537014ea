/**
 * Quiz benchmark against the fake Discord on loopback. The fake (and the clock that measures) runs
 * in this process; each bot runs alone in a child process, so its CPU and memory are its own.
 * 1. Burst: 1,000 distinct users answer one question within one second, through thawbot (real
 *    adapter + quiz service + lowdb feature files in a temp dir) and through a bare discord.js client whose
 *    acknowledgement awaits one fsynced write of the same size. Click -> acknowledgement latency.
 * 2. Load: 20 games at once in 20 channels, 50 players each, 3 questions: p99 acknowledgement and
 *    the bot's CPU and memory.
 *
 * 3. Sustained (`--sustained`, instead of 1 and 2): 20 games of 30 players in 20 channels for 2
 *    minutes; each game plays 10 questions in learner mode (a round ends once all have answered) and
 *    the next game starts when one ends. Per 20 s window: acknowledgement p50/p99 and the bot's RSS
 *    after a forced GC; at the end, clicks, acknowledgements and answers lost (acknowledged "Locked
 *    in" but not stored). On the feature files, or on PostgreSQL with `--pg` (BENCH_DATABASE_URL, or
 *    the local test database, in a schema of its own dropped after).
 *
 * `npm run bench -- quiz [--users N] [--rounds N] [--games N] [--players N]`
 * `npm run bench -- quiz --sustained [--seconds 120] [--games 20] [--players 30] [--window 20]
 *    [--spread 4] [--pg]` (--spread: seconds over which a question's clicks arrive)
 * (BENCH_PROF=DIR writes a CPU profile of each bot process into DIR.)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Client, Events, GatewayIntentBits, MessageFlags } from 'discord.js';
import pg from 'pg';
import { commands } from '../commands/index.ts';
import { startDiscord } from '../src/adapters/discord/index.ts';
import { buildApp } from '../src/app.ts';
import { ContentIndex } from '../src/content/index.ts';
import { readContent } from '../src/content/load.ts';
import { silentLogger } from '../src/core/log.ts';
import { paceThrough } from '../src/fleet/pace.ts';
import type { DocFile } from '../src/store/doc/file.ts';
import { withGames } from '../src/store/doc/result-files.ts';
import { FEATURES } from '../src/store/doc/shapes.ts';
import { openFileStorage } from '../src/store/open.ts';
import { openPgStorage } from '../src/store/pg/index.ts';
import {
  FakeDiscord,
  type FakeGuild,
  type FakeUser,
  makeGuild,
  type RestCall,
} from '../tests/fakes/discord/index.ts';

const APPLICATION_ID = '800000000000000002';
const TOKEN = 'bench-quiz-token';
const CONTENT_DIR = fileURLToPath(new URL('../content', import.meta.url));
const SELF = fileURLToPath(import.meta.url);

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : Number.NaN;
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

// ---- child: one bot -------------------------------------------------------------------------

interface ChildStats {
  cpuUserMs: number;
  cpuSystemMs: number;
  wallMs: number;
  rssMb: number;
  peakRssMb: number;
  heapUsedMb: number;
  writes: number;
  bytesWritten: number;
  answers: number;
  /** Writes and bytes by feature file (or folder), where the engine counts them. */
  byFeature?: Record<string, { writes: number; bytes: number }>;
}

type ToChild =
  | { type: 'mark' }
  | { type: 'stats'; gc?: boolean }
  | { type: 'stop' }
  | { type: 'size'; bytes: number };

async function runChild(variant: string): Promise<void> {
  const apiUrl = process.env.BENCH_API_URL as string;
  const dataFile = process.env.BENCH_DATA_FILE as string;
  const writeSize = Number(process.env.BENCH_WRITE_SIZE ?? 0);
  let stop: () => Promise<void>;
  let counters: () => Pick<ChildStats, 'writes' | 'bytesWritten' | 'answers' | 'byFeature'>;
  /** Reads what `counters` reports when that needs I/O (PostgreSQL). */
  let refresh = async () => {};

  if (variant === 'thawbot-pg') {
    const url = process.env.BENCH_DATABASE_URL as string;
    const schema = process.env.BENCH_SCHEMA as string;
    const storage = await openPgStorage({ url, schema, log: silentLogger });
    const { deps, router } = buildApp({
      content: new ContentIndex(readContent(CONTENT_DIR).library),
      storage,
      log: silentLogger,
      commands,
      quizPauseMs: 500,
    });
    // As in production on PostgreSQL: requests under Discord's global limit book a shared slot.
    const sharedPace = storage.fleet && paceThrough(storage.fleet, silentLogger);
    const adapter = await startDiscord(
      { router, deps, log: silentLogger, ...(sharedPace ? { sharedPace } : {}) },
      { token: TOKEN, applicationId: APPLICATION_ID, apiUrl },
    );
    deps.posters.register('discord', adapter.poster);
    const inspect = new pg.Client({ connectionString: url });
    await inspect.connect();
    stop = async () => {
      await deps.quiz.shutdown();
      await adapter.stop();
      await storage.close();
      await inspect.end();
    };
    // Answers of running games have a row each; a finished game's are in its result.
    let answers = 0;
    counters = () => ({ writes: 0, bytesWritten: 0, answers });
    refresh = async () => {
      const { rows } = await inspect.query<{ n: string }>(
        `SELECT (SELECT count(*) FROM "${schema}".quiz_answers) + COALESCE((SELECT sum(jsonb_array_length(r->'answers'))
           FROM "${schema}".quiz_results, jsonb_array_elements(data->'rounds') r), 0) AS n`,
      );
      answers = Number(rows[0]?.n ?? 0);
    };
  } else if (variant === 'thawbot') {
    const storage = await openFileStorage({ file: dataFile, log: silentLogger });
    const { deps, router } = buildApp({
      content: new ContentIndex(readContent(CONTENT_DIR).library),
      storage,
      log: silentLogger,
      commands,
      quizPauseMs: 500,
    });
    const adapter = await startDiscord(
      { router, deps, log: silentLogger },
      { token: TOKEN, applicationId: APPLICATION_ID, apiUrl },
    );
    deps.posters.register('discord', adapter.poster);
    stop = async () => {
      await deps.quiz.shutdown();
      await adapter.stop();
      await storage.close();
    };
    // Writes of every feature file (a quiz writes games, results at the end of a game).
    const files = FEATURES.map((f) => storage.docs[f] as DocFile<unknown>);
    // Finished games are held on disk only: their answers are counted by reading them back.
    let finished = 0;
    refresh = async () => {
      finished = await withGames(storage.docs.results, () => {
        let n = 0;
        for (const r of Object.values(storage.docs.results.read().results))
          for (const round of r.rounds) n += round.answers.length;
        return n;
      });
    };
    counters = () => {
      let answers = finished;
      for (const s of Object.values(storage.docs.games.read().sessions))
        for (const r of s.rounds) answers += Object.keys(r.answers).length;
      return {
        writes: files.reduce((n, f) => n + f.stats.writes, 0),
        bytesWritten: files.reduce((n, f) => n + f.stats.bytesWritten, 0),
        answers,
        byFeature: Object.fromEntries(
          FEATURES.map((f, i) => [
            f,
            { writes: files[i]?.stats.writes ?? 0, bytes: files[i]?.stats.bytesWritten ?? 0 },
          ]),
        ),
      };
    };
  } else {
    // The baseline: acknowledge each click once one fsynced write of the same size is on disk.
    const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: apiUrl } });
    let payload = Buffer.alloc(Math.max(1, writeSize), 'x');
    process.on('message', (message: ToChild) => {
      if (message.type !== 'size') return;
      payload = Buffer.alloc(Math.max(1, message.bytes), 'x');
      process.send?.({ type: 'sized' });
    });
    let writes = 0;
    let answers = 0;
    const seen = new Set<string>();
    client.on(Events.InteractionCreate, (interaction) => {
      if (!interaction.isButton()) return;
      void (async () => {
        const fresh = !seen.has(interaction.user.id);
        seen.add(interaction.user.id);
        const handle = await open(dataFile, 'w');
        try {
          await handle.writeFile(payload);
          await handle.sync();
        } finally {
          await handle.close();
        }
        writes++;
        if (fresh) answers++;
        await interaction.reply({ content: 'Locked in', flags: MessageFlags.Ephemeral });
      })().catch(() => {});
    });
    const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
    await client.login(TOKEN);
    await ready;
    stop = async () => {
      await client.destroy();
    };
    counters = () => ({ writes, bytesWritten: writes * payload.length, answers });
    // Each round has new buttons; the same users answer again.
    process.on('message', (message: ToChild) => {
      if (message.type !== 'mark') return;
      seen.clear();
      writes = 0;
      answers = 0;
    });
  }

  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 100);
  let mark = { cpu: process.cpuUsage(), at: performance.now() };
  const send = (message: unknown) => process.send?.(message);
  process.on('message', (message: ToChild) => {
    if (message.type === 'mark') {
      peakRss = process.memoryUsage().rss;
      mark = { cpu: process.cpuUsage(), at: performance.now() };
      send({ type: 'marked' });
    } else if (message.type === 'stats') {
      void (async () => {
        // Counting first: what it reads back is garbage by the time the heap is measured.
        await refresh();
        if (message.gc) (globalThis as { gc?: () => void }).gc?.();
        const cpu = process.cpuUsage(mark.cpu);
        const memory = process.memoryUsage();
        send({
          type: 'stats',
          stats: {
            cpuUserMs: cpu.user / 1000,
            cpuSystemMs: cpu.system / 1000,
            wallMs: performance.now() - mark.at,
            rssMb: memory.rss / 2 ** 20,
            peakRssMb: Math.max(peakRss, memory.rss) / 2 ** 20,
            heapUsedMb: memory.heapUsed / 2 ** 20,
            ...counters(),
          } satisfies ChildStats,
        });
      })();
    } else if (message.type === 'stop') {
      clearInterval(sampler);
      void stop().finally(() => process.exit(0));
    }
  });
  send({ type: 'ready' });
}

// ---- parent: the fake and the measurements ------------------------------------------------

class Bot {
  private constructor(private readonly proc: ChildProcess) {}

  static start(variant: 'thawbot' | 'thawbot-pg' | 'bare', env: Record<string, string>): Promise<Bot> {
    const proc = spawn(
      process.execPath,
      [
        ...(process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROF] : []),
        '--import',
        'tsx',
        '--expose-gc',
        SELF,
        '--child',
        variant,
      ],
      {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        env: { ...process.env, ...env },
      },
    );
    return new Promise((resolve, reject) => {
      proc.once('error', reject);
      proc.once('exit', (code) => reject(new Error(`${variant} bot exited early (${code})`)));
      proc.once('message', () => resolve(new Bot(proc)));
    });
  }

  private ask<T>(message: ToChild, reply: string): Promise<T> {
    return new Promise((resolve) => {
      const on = (m: { type: string }) => {
        if (m.type !== reply) return;
        this.proc.off('message', on);
        resolve(m as T);
      };
      this.proc.on('message', on);
      this.proc.send(message);
    });
  }

  size(bytes: number): Promise<unknown> {
    return this.ask({ type: 'size', bytes }, 'sized');
  }

  mark(): Promise<unknown> {
    return this.ask({ type: 'mark' }, 'marked');
  }

  /** With `gc`, after a forced garbage collection in the bot. */
  async stats(gc = false): Promise<ChildStats> {
    return (await this.ask<{ stats: ChildStats }>({ type: 'stats', gc }, 'stats')).stats;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.proc.removeAllListeners('exit');
      this.proc.once('exit', () => resolve());
      this.proc.send({ type: 'stop' });
    });
  }
}

function users(n: number, prefix: string): FakeUser[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${prefix}${String(i).padStart(6, '0')}`,
    username: `player${i}`,
    globalName: `Player ${i}`,
  }));
}

interface Question {
  messageId: string;
  buttons: string[];
}

/** Waits for the question `n` posted in a channel after `since`, and reads its buttons. */
async function question(fake: FakeDiscord, channelId: string, n: number, since: number): Promise<Question> {
  const title = `Question ${n} of `;
  const isQuestion = (c: RestCall) =>
    c.method === 'POST' &&
    c.at >= since &&
    c.path === `/channels/${channelId}/messages` &&
    String((c.body as { embeds?: { title?: string }[] }).embeds?.[0]?.title ?? '').startsWith(title);
  await fake.waitForCall(isQuestion, 60_000);
  const message = fake
    .channelMessages(channelId)
    .reverse()
    .find((m) =>
      String((m.body as { embeds?: { title?: string }[] }).embeds?.[0]?.title ?? '').startsWith(title),
    );
  const rows = (message?.body.components ?? []) as { components: { custom_id: string }[] }[];
  return {
    messageId: message?.id as string,
    buttons: rows.flatMap((r) => r.components.map((b) => b.custom_id)),
  };
}

/** Clicks spread evenly over `spreadMs`; resolves with each click's latency to its acknowledgement. */
async function burst(
  fake: FakeDiscord,
  clicks: { guild: FakeGuild; channelId: string; user: FakeUser; customId: string; messageId: string }[],
  spreadMs: number,
): Promise<{ latencies: number[]; acked: number; lockedIn: number }> {
  const started = performance.now();
  const pending: Promise<{ ms: number; ok: boolean; locked: boolean }>[] = [];
  for (let i = 0; i < clicks.length; i++) {
    const due = started + (i * spreadMs) / clicks.length;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const click = clicks[i] as (typeof clicks)[number];
    const at = performance.now();
    const injected = fake.button(click);
    pending.push(
      fake.callback(injected, 60_000).then(
        (call) => {
          const data = (call.body as { data?: { content?: string; embeds?: { description?: string }[] } })
            .data;
          const text = data?.content ?? data?.embeds?.[0]?.description ?? '';
          return { ms: call.at - at, ok: true, locked: /Locked in/.test(text) };
        },
        () => ({ ms: Number.NaN, ok: false, locked: false }),
      ),
    );
  }
  const results = await Promise.all(pending);
  return {
    latencies: results.filter((r) => r.ok).map((r) => r.ms),
    acked: results.filter((r) => r.ok).length,
    lockedIn: results.filter((r) => r.locked).length,
  };
}

function summary(latencies: number[]) {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? Number.NaN };
}

async function startQuiz(
  fake: FakeDiscord,
  guild: FakeGuild,
  channelId: string,
  host: FakeUser,
  options: Record<string, string | number>,
): Promise<number> {
  const since = performance.now();
  const injected = fake.chatInput({
    guild,
    channelId,
    user: host,
    name: 'quiz',
    subcommand: 'start',
    options,
  });
  await fake.callback(injected, 30_000);
  return since;
}

/** Both bots answer the same bursts, alternating round by round so both see the same machine load. */
async function burstBench(dir: string, n: number, rounds: number): Promise<void> {
  const host = { id: '810000000000000001', username: 'host', globalName: 'Host' };
  const guild = makeGuild({ channels: rounds + 2, members: [{ user: host }] });
  // One fake per bot: a fake Discord serves one gateway session.
  const fake = await FakeDiscord.start({ applicationId: APPLICATION_ID, guilds: [guild], token: TOKEN });
  const bareFake = await FakeDiscord.start({ applicationId: APPLICATION_ID, guilds: [guild], token: TOKEN });
  const players = users(n, '82');
  const thawbot = await Bot.start('thawbot', {
    BENCH_API_URL: fake.apiUrl,
    BENCH_DATA_FILE: path.join(dir, 'thawbot.json'),
  });
  const bare = await Bot.start('bare', {
    BENCH_API_URL: bareFake.apiUrl,
    BENCH_DATA_FILE: path.join(dir, 'bare.json'),
  });
  const bareChannel = guild.channels[rounds + 1]?.id as string;
  const thawbotRound = async (channel: number, count: number) => {
    const channelId = guild.channels[channel]?.id as string;
    const since = await startQuiz(fake, guild, channelId, host, { questions: 3, seconds: 120 });
    const q = await question(fake, channelId, 1, since);
    await thawbot.mark();
    const before = await thawbot.stats();
    const clicks = players.slice(0, count).map((user, i) => ({
      guild,
      channelId,
      user,
      customId: q.buttons[i % 4] as string,
      messageId: q.messageId,
    }));
    const result = await burst(fake, clicks, (1000 * count) / n);
    const after = await thawbot.stats();
    const writes = after.writes - before.writes;
    return {
      ...result,
      writes,
      answers: after.answers - before.answers,
      avgWrite: Math.round((after.bytesWritten - before.bytesWritten) / Math.max(1, writes)),
    };
  };
  const bareRound = async (count: number, size: number) => {
    await bare.size(size);
    await bare.mark();
    const messageId = bareFake.addBotMessage(bareChannel);
    const clicks = players.slice(0, count).map((user, i) => ({
      guild,
      channelId: bareChannel,
      user,
      customId: `answer:${i % 4}`,
      messageId,
    }));
    const result = await burst(bareFake, clicks, (1000 * count) / n);
    return { ...result, stats: await bare.stats() };
  };
  try {
    // Warm-up: the first clicks of a fresh process include compiling code paths.
    const warm = await thawbotRound(0, Math.min(100, n));
    await bareRound(Math.min(100, n), warm.avgWrite);

    const t: number[] = [];
    const b: number[] = [];
    const perRound: string[] = [];
    let answers = 0;
    let acked = 0;
    let locked = 0;
    let writes = 0;
    let bareWrites = 0;
    let sizes = 0;
    for (let r = 1; r <= rounds; r++) {
      const tr = await thawbotRound(r, n);
      const br = await bareRound(n, tr.avgWrite);
      t.push(...tr.latencies);
      b.push(...br.latencies);
      answers += tr.answers;
      acked += tr.acked;
      locked += tr.lockedIn;
      writes += tr.writes;
      bareWrites += br.stats.writes;
      sizes += tr.avgWrite;
      perRound.push(
        `round ${r}: p99 thawbot ${summary(tr.latencies).p99.toFixed(1)} / baseline ${summary(br.latencies).p99.toFixed(1)} ms`,
      );
    }
    const ts = summary(t);
    const bs = summary(b);
    console.log(
      `\n1. ${n} distinct users answer one question within one second, ${rounds} rounds alternating (click -> acknowledgement, ms)`,
    );
    console.log(
      `  thawbot:          p50 ${ts.p50.toFixed(1)}  p99 ${ts.p99.toFixed(1)}  max ${ts.max.toFixed(1)}`,
    );
    console.log(
      `  bare + fsync:     p50 ${bs.p50.toFixed(1)}  p99 ${bs.p99.toFixed(1)}  max ${bs.max.toFixed(1)}`,
    );
    console.log(
      `  ratio:            p50 ${(ts.p50 / bs.p50).toFixed(2)}x  p99 ${(ts.p99 / bs.p99).toFixed(2)}x  (goal: p99 <= 2x and < 300 ms)`,
    );
    for (const line of perRound) console.log(`    ${line}`);
    console.log(
      `  answers recorded: ${answers / rounds} of ${n} per round (acknowledged ${acked / rounds}, "Locked in" ${locked / rounds})`,
    );
    console.log(
      `  file writes:      thawbot ${(writes / rounds).toFixed(0)} per round (group commit, avg ${Math.round(sizes / rounds)} bytes); baseline ${(bareWrites / rounds).toFixed(0)} per round`,
    );
  } finally {
    await thawbot.stop();
    await bare.stop();
    await fake.close();
    await bareFake.close();
  }
}

async function loadBench(dir: string, games: number, perGame: number): Promise<void> {
  const host = { id: '830000000000000001', username: 'host', globalName: 'Host' };
  const guild = makeGuild({ channels: games, members: [{ user: host }] });
  const fake = await FakeDiscord.start({ applicationId: APPLICATION_ID, guilds: [guild], token: TOKEN });
  try {
    const bot = await Bot.start('thawbot', {
      BENCH_API_URL: fake.apiUrl,
      BENCH_DATA_FILE: path.join(dir, 'load.json'),
    });
    await bot.mark();
    const started = performance.now();
    const channels = guild.channels.map((c) => c.id);
    const since = performance.now();
    // Learner mode: after the first question, a round ends as soon as every player has answered.
    await Promise.all(
      channels.map((channelId) =>
        startQuiz(fake, guild, channelId, host, { questions: 3, seconds: 5, mode: 'learner' }),
      ),
    );
    const latencies: number[] = [];
    let acked = 0;
    let expected = 0;
    for (let n = 1; n <= 3; n++) {
      const asked = await Promise.all(channels.map((channelId) => question(fake, channelId, n, since)));
      const clicks = channels.flatMap((channelId, g) =>
        users(perGame, `84${String(g).padStart(3, '0')}`).map((user, i) => ({
          guild,
          channelId,
          user,
          customId: asked[g]?.buttons[i % 4] as string,
          messageId: asked[g]?.messageId as string,
        })),
      );
      // Interleave the channels, as players of different games click at the same time.
      clicks.sort((a, b) => Number(a.user.id.slice(-6)) - Number(b.user.id.slice(-6)));
      expected += clicks.length;
      const result = await burst(fake, clicks, 1000);
      latencies.push(...result.latencies);
      acked += result.acked;
    }
    // Wait for every final scoreboard.
    await Promise.all(
      channels.map((channelId) =>
        fake.waitForCall(
          (c) =>
            c.method === 'POST' &&
            c.path === `/channels/${channelId}/messages` &&
            JSON.stringify(c.body).includes('Final scores'),
          60_000,
        ),
      ),
    );
    const wall = performance.now() - started;
    const stats = await bot.stats();
    await bot.stop();
    const s = summary(latencies);
    const cpuMs = stats.cpuUserMs + stats.cpuSystemMs;
    console.log(`\n2. ${games} games at once, ${perGame} players each, 3 questions (${expected} clicks)`);
    console.log(
      `  acknowledgement:  p50 ${s.p50.toFixed(1)} ms  p99 ${s.p99.toFixed(1)} ms  max ${s.max.toFixed(1)} ms`,
    );
    console.log(
      `  answers recorded: ${stats.answers} of ${expected} (acknowledged ${acked}); file writes ${stats.writes}`,
    );
    console.log(
      `  bot CPU:          ${cpuMs.toFixed(0)} ms (user ${stats.cpuUserMs.toFixed(0)}, system ${stats.cpuSystemMs.toFixed(0)}) over ${(wall / 1000).toFixed(1)} s = ${((cpuMs / wall) * 100).toFixed(1)}% of one core`,
    );
    console.log(
      `  bot memory:       RSS ${stats.rssMb.toFixed(1)} MB (peak ${stats.peakRssMb.toFixed(1)} MB), heap used ${stats.heapUsedMb.toFixed(1)} MB`,
    );
  } finally {
    await fake.close();
  }
}

interface SustainedOptions {
  seconds: number;
  games: number;
  players: number;
  windowSeconds: number;
  spreadSeconds: number;
  pg: boolean;
}

/** 3. Games back to back in every channel for a fixed time; figures per window, to show the trend. */
function harnessAt(h: { loopP99: number; loopMax: number; heapMb: number } | undefined): string {
  return h ? `${h.loopP99.toFixed(0)} / ${h.loopMax.toFixed(0)}, ${h.heapMb.toFixed(0)}` : '-';
}

async function sustainedBench(dir: string, o: SustainedOptions): Promise<void> {
  const host = { id: '850000000000000001', username: 'host', globalName: 'Host' };
  const guild = makeGuild({ channels: o.games, members: [{ user: host }] });
  // The players wait only for recent calls: the fake need not hold every call of a long run.
  const fake = await FakeDiscord.start({
    applicationId: APPLICATION_ID,
    guilds: [guild],
    token: TOKEN,
    keepCalls: 5_000,
  });
  const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `thawbot_bench_quiz_${process.pid}`;
  const dropSchema = async () => {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    } finally {
      await admin.end();
    }
  };
  const bot = await Bot.start(
    o.pg ? 'thawbot-pg' : 'thawbot',
    o.pg
      ? { BENCH_API_URL: fake.apiUrl, BENCH_DATABASE_URL: url, BENCH_SCHEMA: schema }
      : { BENCH_API_URL: fake.apiUrl, BENCH_DATA_FILE: path.join(dir, 'sustained.json') },
  );
  const windowMs = o.windowSeconds * 1000;
  const windows = Math.ceil(o.seconds / o.windowSeconds);
  const clicks: { at: number; ms: number; acked: boolean; locked: boolean }[] = [];
  const rss: number[] = [];
  const heap: number[] = [];
  let gamesStarted = 0;
  let gamesFinished = 0;
  try {
    await bot.mark();
    const started = performance.now();
    const deadline = started + o.seconds * 1000;
    const play = async (channelId: string, g: number) => {
      const players = users(o.players, `86${String(g).padStart(3, '0')}`);
      while (performance.now() < deadline) {
        const since = await startQuiz(fake, guild, channelId, host, {
          questions: 10,
          // Learner mode: the first question runs its full time, later ones end once all have answered.
          seconds: Math.min(120, Math.max(5, Math.ceil(o.spreadSeconds) + 5)),
          mode: 'learner',
        });
        gamesStarted++;
        for (let n = 1; n <= 10; n++) {
          const asked = await question(fake, channelId, n, since);
          if (performance.now() >= deadline) return;
          // Each player answers once, at a random moment within the spread.
          await Promise.all(
            players.map(async (user, i) => {
              await sleep(Math.random() * o.spreadSeconds * 1000);
              const at = performance.now();
              const injected = fake.button({
                guild,
                channelId,
                user,
                customId: asked.buttons[i % 4] as string,
                messageId: asked.messageId,
              });
              const click = await fake.callback(injected, 60_000).then(
                (call) => {
                  const data = (
                    call.body as { data?: { content?: string; embeds?: { description?: string }[] } }
                  ).data;
                  const text = data?.content ?? data?.embeds?.[0]?.description ?? '';
                  return { at: at - started, ms: call.at - at, acked: true, locked: /Locked in/.test(text) };
                },
                () => ({ at: at - started, ms: Number.NaN, acked: false, locked: false }),
              );
              clicks.push(click);
            }),
          );
        }
        await fake.waitForCall(
          (c) =>
            c.method === 'POST' &&
            c.at >= since &&
            c.path === `/channels/${channelId}/messages` &&
            JSON.stringify(c.body).includes('Final scores'),
          60_000,
        );
        gamesFinished++;
      }
    };
    // RSS after a forced GC at the end of each window; and this process's own event loop delay and
    // heap (the fake Discord and the players live here: a stall here counts in every latency).
    const harness: { loopP99: number; loopMax: number; heapMb: number }[] = [];
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const sampling = (async () => {
      for (let w = 1; w <= windows; w++) {
        await sleep(Math.max(0, started + w * windowMs - performance.now()));
        harness.push({
          loopP99: loop.percentile(99) / 1e6,
          loopMax: loop.max / 1e6,
          heapMb: process.memoryUsage().heapUsed / 2 ** 20,
        });
        loop.reset();
        const at = await bot.stats(true);
        rss.push(at.rssMb);
        heap.push(at.heapUsedMb);
      }
      loop.disable();
    })();
    await Promise.all([...guild.channels.map((c, g) => play(c.id, g)), sampling]);
    // Every acknowledged answer is stored before its acknowledgement; read the store once it settles.
    await sleep(1000);
    const stats = await bot.stats(true);
    const wall = performance.now() - started;
    const acked = clicks.filter((c) => c.acked);
    const locked = clicks.filter((c) => c.locked).length;
    const cpuMs = stats.cpuUserMs + stats.cpuSystemMs;
    console.log(
      `\n3. Sustained: ${o.games} games at once, ${o.players} players each, for ${o.seconds} s on ${o.pg ? 'PostgreSQL' : 'the feature files'}` +
        ` (10 questions a game, learner mode, answers spread over ${o.spreadSeconds} s)`,
    );
    console.log(
      '  window      clicks   p50 ms   p99 ms   max ms   RSS / heap after GC   harness loop p99 / max ms, heap MB',
    );
    for (let w = 0; w < windows; w++) {
      const inWindow = acked
        .filter((c) => c.at >= w * windowMs && c.at < (w + 1) * windowMs)
        .map((c) => c.ms);
      const sw = summary(inWindow);
      console.log(
        `  ${`${w * o.windowSeconds}-${(w + 1) * o.windowSeconds} s`.padEnd(10)} ${String(inWindow.length).padStart(7)}  ${sw.p50.toFixed(1).padStart(7)}  ${sw.p99.toFixed(1).padStart(7)}  ${sw.max.toFixed(1).padStart(7)}   ${`${rss[w]?.toFixed(1) ?? '-'} / ${heap[w]?.toFixed(1) ?? '-'} MB`.padEnd(22)}${harnessAt(harness[w])}`,
      );
    }
    const all = summary(acked.map((c) => c.ms));
    console.log(
      `  all:       ${String(acked.length).padStart(7)}  ${all.p50.toFixed(1).padStart(7)}  ${all.p99.toFixed(1).padStart(7)}  ${all.max.toFixed(1).padStart(7)}   (goal: p99 < 100 ms, flat)`,
    );
    console.log(
      `  clicks ${clicks.length}, acknowledged ${acked.length}, "Locked in" ${locked}, answers stored ${stats.answers}, lost ${Math.max(0, locked - stats.answers)}` +
        `; games started ${gamesStarted}, finished ${gamesFinished}`,
    );
    console.log(
      `  bot CPU ${((cpuMs / wall) * 100).toFixed(1)}% of one core; heap used ${stats.heapUsedMb.toFixed(1)} MB after GC` +
        (o.pg ? '' : `; file writes ${stats.writes}, ${(stats.bytesWritten / 2 ** 20).toFixed(1)} MB`),
    );
    if (stats.byFeature)
      console.log(
        `  by feature: ${Object.entries(stats.byFeature)
          .filter(([, f]) => f.writes > 0)
          .map(([name, f]) => `${name} ${f.writes} writes, ${(f.bytes / 2 ** 20).toFixed(1)} MB`)
          .join('; ')}`,
      );
  } finally {
    await bot.stop();
    await fake.close();
    if (o.pg) await dropSchema();
  }
}

async function main(): Promise<void> {
  const childAt = process.argv.indexOf('--child');
  if (childAt >= 0) {
    await runChild(process.argv[childAt + 1] ?? 'thawbot');
    return;
  }
  const n = arg('users', 1000);
  const games = arg('games', 20);
  const perGame = arg('players', 50);
  const dir = await mkdtemp(path.join(tmpdir(), 'thawbot-bench-quiz-'));
  try {
    console.log(
      `Quiz benchmark (node ${process.version}, fake Discord on loopback, bots in child processes)`,
    );
    if (process.argv.includes('--sustained'))
      await sustainedBench(dir, {
        seconds: arg('seconds', 120),
        games: arg('games', 20),
        players: arg('players', 30),
        windowSeconds: arg('window', 20),
        spreadSeconds: arg('spread', 4),
        pg: process.argv.includes('--pg'),
      });
    else {
      await burstBench(dir, n, arg('rounds', 3));
      await loadBench(dir, games, perGame);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
