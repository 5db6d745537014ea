/**
 * The whole app on PostgreSQL while the database goes away and comes back, through a TCP proxy in
 * front of the local server: a quiz in progress and a daily fan-out. While it is gone, commands and
 * clicks answer "storage is unavailable", the readiness probe fails and nothing is half-written;
 * when it returns, the bot goes on by itself, with every answer and every post counted once.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { commands } from '../../commands/index.ts';
import { buildApp } from '../../src/app.ts';
import type { Actor } from '../../src/core/command.ts';
import { silentLogger } from '../../src/core/log.ts';
import { seededRandom } from '../../src/core/random.ts';
import type { Reply } from '../../src/core/reply.ts';
import { StoreProbe } from '../../src/health/monitor.ts';
import { openPgStorage } from '../../src/store/pg/index.ts';
import type { Storage } from '../../src/store/ports.ts';
import { fixtureEvent, fixtureLibrary, fixtureTopic, SOURCE } from '../helpers/library.ts';
import { TEST_DATABASE_URL, testSchema } from '../helpers/pg.ts';
import { RecordingPoster } from '../helpers/poster.ts';
import { quizContent } from '../helpers/quiz-content.ts';
import { TcpProxy } from '../helpers/tcp-proxy.ts';
import { recordingLogger } from '../store/helpers.ts';

const db = testSchema();
let proxy: TcpProxy;
const opened: Storage[] = [];

beforeAll(async () => {
  await (await db.open()).close(); // creates the schema and tables through the real server
  const target = new URL(TEST_DATABASE_URL);
  proxy = await new TcpProxy({ host: target.hostname, port: Number(target.port || 5432) }).start();
});

afterAll(async () => {
  for (const s of opened) await s.close().catch(() => undefined);
  await proxy?.close();
  await db.drop();
});

/** A storage engine whose every connection goes through the proxy. */
async function throughProxy(): Promise<Storage> {
  const url = new URL(TEST_DATABASE_URL);
  url.host = proxy.url;
  const storage = await openPgStorage({ url: url.toString(), schema: db.schema, log: silentLogger });
  opened.push(storage);
  return storage;
}

const channel = { platform: 'discord' as const, workspaceId: 'g-outage', channelId: 'c1' };
function person(id: string, host = false): Actor {
  return {
    user: { platform: 'discord', id, displayName: id.toUpperCase() },
    channel,
    isAdmin: host,
    isHost: host,
    inServer: true,
  };
}

const UNAVAILABLE = 'Storage is unavailable right now, so nothing was changed. Please try again in a minute.';

describe('PostgreSQL going away and coming back', () => {
  it('keeps a quiz going: clicks during the outage are refused politely, the rest count once', async () => {
    const storage = await throughProxy();
    const { router, deps } = buildApp({
      content: quizContent(),
      storage,
      log: silentLogger,
      random: seededRandom(4),
      commands,
      quizPauseMs: 60_000,
    });
    const poster = new RecordingPoster();
    deps.posters.register('discord', poster);
    const run = (who: Actor, text: string) =>
      router.handle({ ...who, command: 'quiz', input: { kind: 'text', text } });
    const click = async (who: Actor, right: boolean): Promise<Reply> => {
      const q = [...poster.posts].reverse().find((p) => p.reply.title?.startsWith('Question'));
      if (!q) throw new Error('no question posted');
      const options = (q.reply.text ?? '').split('\n').filter((l) => /^\*\*[A-D]\.\*\*/.test(l));
      const index = options.findIndex((l) => l.includes('right'));
      const id = q.reply.actions?.[right ? index : (index + 1) % 4]?.id as string;
      return (await router.handleAction({ ...who, actionId: id })).reply;
    };
    const host = person('host', true);

    // Long question times: nothing here waits for a timer; the host moves the game on.
    expect((await run(host, 'start questions:3 seconds:120')).title).toBe('Quiz time!');
    await expect.poll(() => poster.posts.filter((p) => p.reply.title === 'Question 1 of 3').length).toBe(1);
    expect((await click(person('ann'), true)).text).toMatch(/^Locked in/);

    await proxy.cut();
    expect((await click(person('bob'), true)).text).toBe(UNAVAILABLE);
    expect((await run(host, 'skip')).text).toBe(UNAVAILABLE);
    const probe = new StoreProbe(storage, { intervalMs: 0 });
    expect((await probe.check()).ok).toBe(false);

    await proxy.restore();
    // The pool reconnects on its own: the same click now counts, and only once.
    expect((await click(person('bob'), true)).text).toMatch(/^Locked in/);
    expect((await click(person('bob'), false)).text).toMatch(/already answered/);
    expect((await probe.check()).ok).toBe(true);
    const live = await storage.games.get(channel);
    expect(Object.keys(live?.rounds[0]?.answers ?? {}).sort()).toEqual(['ann', 'bob']);

    await run(host, 'stop');
    await expect.poll(async () => (await storage.results.leaderboard(channel, 'all', 10)).length).toBe(2);
    const board = await storage.results.leaderboard(channel, 'all', 10);
    expect(board.map((r) => [r.userId, r.games, r.correct])).toEqual([
      ['ann', 1, 1],
      ['bob', 1, 1],
    ]);
    expect(await storage.games.get(channel)).toBeUndefined();
  }, 60_000);

  it('closes a question whose timer fired during the outage once the database is back', async () => {
    const storage = await throughProxy();
    vi.useFakeTimers({
      now: new Date('2026-03-10T19:00:00Z'),
      toFake: ['setTimeout', 'clearTimeout', 'Date'],
    });
    try {
      const log = recordingLogger();
      const { router, deps } = buildApp({
        content: quizContent(),
        storage,
        log,
        random: seededRandom(4),
        commands,
        quizPauseMs: 2000,
      });
      const poster = new RecordingPoster();
      deps.posters.register('discord', poster);
      const titles = () => poster.posts.map((p) => p.reply.title ?? '');
      /** Moves the quiz clock half a second per look, giving the database real time in between. */
      const until = (done: () => boolean) =>
        expect
          .poll(
            async () => {
              if (!done()) await vi.advanceTimersByTimeAsync(500);
              return done();
            },
            { timeout: 30_000, interval: 20 },
          )
          .toBe(true);
      const timed = { ...channel, workspaceId: 'g-timer' };
      const host = { ...person('host', true), channel: timed };
      const ann = { ...person('ann'), channel: timed };
      expect(
        (
          await router.handle({
            ...host,
            command: 'quiz',
            input: { kind: 'text', text: 'start questions:3 seconds:10' },
          })
        ).title,
      ).toBe('Quiz time!');
      await until(() => titles().includes('Question 1 of 3'));
      const gameId = (await storage.games.get(timed))?.id as string;
      const q = poster.posts.find((p) => p.reply.title === 'Question 1 of 3');
      const lines = (q?.reply.text ?? '').split('\n').filter((l) => /^\*\*[A-D]\.\*\*/.test(l));
      const right = q?.reply.actions?.[lines.findIndex((l) => l.includes('right'))]?.id as string;
      expect((await router.handleAction({ ...ann, actionId: right })).reply.text).toMatch(/^Locked in/);

      await proxy.cut();
      await vi.advanceTimersByTimeAsync(10_000); // time is up while the database is gone
      await until(() => log.entries.some((e) => e.msg === 'quiz step could not be saved; trying again'));
      expect(titles()).toEqual(['Question 1 of 3']);

      await proxy.restore();
      await until(() => titles().some((t) => t.startsWith('Answer: ')));
      await until(() => titles().includes('Final scores'));
      // One player: a practice game, so the scores are on the scoreboard and in the stored result.
      expect(poster.posts.at(-1)?.reply.text?.split('\n')[0]).toMatch(
        /^1\. \*\*ANN\*\*: [\d,]+ points \(1\/3 right\)$/,
      );
      expect(await storage.results.has(timed, gameId)).toBe(true);
      expect(await storage.games.get(timed)).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  }, 60_000);

  it('finishes a daily fan-out cut off by an outage, every post sent exactly once', async () => {
    const storage = await throughProxy();
    const content = fixtureLibrary({
      topics: [fixtureTopic('alpha', 'Alpha', 'A.')],
      events: [fixtureEvent('1956-02-25-speech', 'The speech.')],
      facts: [{ id: 'alpha-fun-1', kind: 'fun', text: 'A fun fact.', topics: ['alpha'], sources: SOURCE }],
    });
    let now = new Date('2026-02-25T07:59:00Z');
    const { deps } = buildApp({ content, storage, log: silentLogger, now: () => now, commands });
    const poster = new RecordingPoster();
    deps.posters.register('discord', poster);
    const channels = Array.from({ length: 12 }, (_, i) => ({
      ...channel,
      workspaceId: 'g-fan',
      channelId: `d${i}`,
    }));
    for (const ch of channels)
      await storage.daily.subscribe({
        channel: ch,
        time: '08:00',
        timezone: 'UTC',
        days: 'every',
        createdAt: '2026-02-01T00:00:00.000Z',
        createdBy: { id: 'host', displayName: 'Host' },
      });

    now = new Date('2026-02-25T08:00:00Z');
    // The database goes away after the first posts went out.
    let sent = 0;
    const original = poster.post.bind(poster);
    poster.post = async (...args) => {
      const ref = await original(...args);
      if (++sent === 4) await proxy.cut();
      return ref;
    };
    await deps.daily.tick().catch(() => undefined);
    await proxy.restore();
    // Cut off mid-way: some posts went out, the rest could not even be claimed, and the post whose
    // "sent" could not be recorded is still pending (its message is found by its marker, not resent).
    expect(poster.posts.length).toBeGreaterThanOrEqual(4);
    expect(poster.posts.length).toBeLessThan(channels.length);
    expect((await storage.daily.pending()).length).toBeGreaterThan(0);

    now = new Date('2026-02-25T08:01:00Z');
    await deps.daily.tick();
    now = new Date('2026-02-25T08:02:00Z');
    await deps.daily.tick();

    const byChannel = new Map<string, number>();
    for (const p of poster.posts)
      byChannel.set(p.channel.channelId, (byChannel.get(p.channel.channelId) ?? 0) + 1);
    expect([...byChannel.keys()].sort()).toEqual(channels.map((c) => c.channelId).sort());
    expect([...byChannel.values()].every((n) => n === 1)).toBe(true);
    for (const ch of channels) expect((await storage.daily.delivery(ch, '2026-02-25'))?.status).toBe('sent');
  }, 60_000);
});
