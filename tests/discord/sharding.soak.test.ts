/**
 * The sharded bot as `npm start` runs it with DISCORD_SHARDS=auto: a manager process that starts one
 * process per shard (discord.js's ShardingManager), on a PostgreSQL database of its own, against the
 * fake Discord recommending 2 shards. Each shard identifies with its [id, count] and answers its
 * guilds' interactions; /readyz lists both shards, fails while one is down and recovers when the
 * manager has started it again.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeDiscord, type FakeGuild, makeGuild, shardOf, spreadSnowflake } from '../fakes/discord/index.ts';
import { getJson, startBot, tempDir } from '../helpers/bot-process.ts';
import { adminClient, TEST_DATABASE_URL } from '../helpers/pg.ts';

const APPLICATION_ID = '700000000000000001';
const TOKEN = 'shard-token';

interface ShardsBody {
  status: string;
  checks: Record<string, { ok: boolean; detail: string }>;
  shards?: { platform: string; id: number; status: string; guilds: number; ping?: number }[];
}

let database: string;
let fake: FakeDiscord;
let guilds: FakeGuild[];

beforeEach(async () => {
  database = `thawbot_shards_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = await adminClient();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  guilds = Array.from({ length: 6 }, () => makeGuild({ id: spreadSnowflake(), channels: 1, members: 1 }));
  fake = await FakeDiscord.start({
    applicationId: APPLICATION_ID,
    token: TOKEN,
    guilds,
    recommendedShards: 2,
    maxConcurrency: 16,
  });
});

afterEach(async () => {
  await fake.close();
  const admin = await adminClient();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.end();
});

describe('sharded bot processes', () => {
  it('runs each shard in a process of its own, routes guilds and reports every shard', async () => {
    const bot = shardedBot({ LOG_LEVEL: 'debug' });
    const health = (await bot.waitForLog('health endpoint listening')).url as string;
    await bot.waitForLog('all discord shards ready');
    expect([...fake.identified].sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);

    // Each guild's interaction goes to the process of its shard, which answers it.
    for (const guild of guilds) {
      const user = guild.members[0]?.user ?? { id: '1', username: 'x' };
      const injected = fake.chatInput({ guild, user, name: 'help' });
      expect((await fake.callback(injected)).status).toBeLessThan(300);
      expect(fake.interactionShards.get(injected.id)).toBe(shardOf(guild.id, 2));
      await vi.waitFor(() => {
        const handled = bot.logs.filter((l) => l.msg === 'interaction handled' && l.guild === guild.id);
        expect(handled.map((l) => l.shard)).toEqual([String(shardOf(guild.id, 2))]);
      });
    }
    // Scheduled work runs in the manager only.
    const running = bot.logs.filter((l) => l.msg === 'shard running' || l.msg === 'thawbot running');
    expect(running.map((l) => [l.msg, l.scheduledWork]).sort()).toEqual([
      ['shard running', 'elsewhere'],
      ['shard running', 'elsewhere'],
      ['thawbot running', 'here'],
    ]);

    const ready = await getJson(`${health}/readyz`);
    const body = ready.body as ShardsBody;
    expect(ready.status).toBe(200);
    expect(body.shards?.map(({ ping: _ping, ...s }) => s)).toEqual([
      { platform: 'discord', id: 0, status: 'ready', guilds: 3 },
      { platform: 'discord', id: 1, status: 'ready', guilds: 3 },
    ]);
    expect(body.checks['discord shard 1']).toEqual({ ok: true, detail: 'ready, 3 guilds' });

    // A shard process killed: readiness fails until the manager has it back.
    const started = bot.logs.filter((l) => l.msg === 'shard process started' && l.shard === 1);
    const pid = started.at(-1)?.pid as number;
    const identifiesBefore = fake.identifies;
    process.kill(pid, 'SIGKILL');
    await vi.waitFor(
      async () => {
        const down = await getJson(`${health}/readyz`);
        expect(down.status).toBe(503);
        expect((down.body as ShardsBody).checks['discord shard 1']?.ok).toBe(false);
      },
      { timeout: 10_000, interval: 50 },
    );
    await vi.waitFor(
      async () => {
        const back = await getJson(`${health}/readyz`);
        expect(back.status).toBe(200);
      },
      { timeout: 30_000, interval: 200 },
    );
    expect(fake.identifies).toBe(identifiesBefore + 1);
    expect(fake.identified.at(-1)).toEqual([1, 2]);

    bot.child.kill('SIGTERM');
    expect(await bot.exited).toEqual({ code: 0, signal: null });
    const pids = bot.logs.filter((l) => l.msg === 'shard process started').map((l) => l.pid as number);
    for (const p of pids) expect(alive(p)).toBe(false);
  });

  it('runs only the shards it is told to, leaving scheduled work to another machine', async () => {
    const bot = shardedBot({
      DISCORD_SHARDS: '',
      DISCORD_SHARD_IDS: '1',
      DISCORD_SHARD_COUNT: '2',
      SCHEDULED_WORK: 'off',
    });
    const health = (await bot.waitForLog('health endpoint listening')).url as string;
    await bot.waitForLog('all discord shards ready');
    expect(fake.identified).toEqual([[1, 2]]);
    const ready = await getJson(`${health}/readyz`);
    expect(ready.status).toBe(200);
    const body = ready.body as ShardsBody;
    expect(body.shards?.map((s) => [s.id, s.status, s.guilds])).toEqual([[1, 'ready', 3]]);
    expect(body.checks.scheduler).toEqual({
      ok: true,
      detail: 'runs in another process (SCHEDULED_WORK=off)',
    });
    // A guild of shard 0 gets no answer from this machine; one of shard 1 does.
    const [other, mine] = [0, 1].map((id) => guilds.find((g) => shardOf(g.id, 2) === id) as FakeGuild);
    const user = (g: FakeGuild) => g.members[0]?.user ?? { id: '1', username: 'x' };
    const unanswered = fake.chatInput({
      guild: other as FakeGuild,
      user: user(other as FakeGuild),
      name: 'help',
    });
    const answered = fake.chatInput({
      guild: mine as FakeGuild,
      user: user(mine as FakeGuild),
      name: 'help',
    });
    expect((await fake.callback(answered)).status).toBeLessThan(300);
    expect(fake.interactionShards.has(unanswered.id)).toBe(false);
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toEqual({ code: 0, signal: null });
  });

  it('stops starting shards when Discord refuses the token, and says what to fix', async () => {
    const bot = shardedBot();
    await bot.waitForLog('all discord shards ready');
    const identifies = fake.identifies;
    fake.closeGateway(4004);
    // Every shard is refused; none is started again, and with nothing else configured the manager stops.
    const exited = await Promise.race([bot.exited, sleep(30_000).then(() => 'still running')]);
    expect(exited).toEqual({ code: 1, signal: null });
    expect(fake.identifies).toBe(identifies);
    const ended = bot.logs.filter((l) => l.msg === 'shard process ended');
    expect(ended.length).toBeGreaterThanOrEqual(1);
    expect(bot.logs.some((l) => l.msg === 'shard process ended; starting it again')).toBe(false);
    expect(
      bot.logs.some(
        (l) =>
          l.level === 50 && typeof l.msg === 'string' && l.msg.startsWith('Discord refused DISCORD_TOKEN'),
      ),
    ).toBe(true);
  });
});

function shardedBot(extra: Record<string, string> = {}) {
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${database}`;
  return startBot(tempDir(), {
    DISCORD_TOKEN: TOKEN,
    DISCORD_APPLICATION_ID: APPLICATION_ID,
    DISCORD_API_URL: fake.apiUrl,
    DATABASE_URL: url.toString(),
    DISCORD_SHARDS: 'auto',
    ...extra,
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
