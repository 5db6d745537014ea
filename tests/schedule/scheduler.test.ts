import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/log.ts';
import { type ChannelRef, channelKey } from '../../src/core/platform.ts';
import { Posters } from '../../src/core/posters.ts';
import { DailyScheduler } from '../../src/schedule/scheduler.ts';
import { type DocStorage, memoryStorage } from '../../src/store/doc/index.ts';
import type { Subscription } from '../../src/store/schema.ts';
import { fixtureEvent, fixtureLibrary, fixtureTopic, SOURCE } from '../helpers/library.ts';
import { RecordingPoster } from '../helpers/poster.ts';

const content = fixtureLibrary({
  topics: [fixtureTopic('alpha', 'Alpha', 'A.')],
  events: [
    fixtureEvent('1956-02-25-speech', 'The speech.'),
    fixtureEvent('1956-02-29-leap', 'A leap-day event.'),
    fixtureEvent('1953-03-05-death', 'Stalin died.'),
  ],
  facts: [{ id: 'alpha-fun-1', kind: 'fun', text: 'A fun fact.', topics: ['alpha'], sources: SOURCE }],
});

function channel(id: string, platform: ChannelRef['platform'] = 'discord'): ChannelRef {
  return { platform, workspaceId: 'g', channelId: id };
}

function sub(
  id: string,
  time: string,
  timezone: string,
  extra: Partial<Subscription> = {},
): [string, Subscription] {
  const ch = channel(id);
  return [
    channelKey(ch),
    {
      channel: ch,
      time,
      timezone,
      days: 'every',
      createdAt: '2026-01-01T00:00:00Z',
      createdBy: { id: 'u', displayName: 'U' },
      ...extra,
    },
  ];
}

/** Subscriptions made at the start of 5 March 2026, the day most cases play on. */
const today = { createdAt: '2026-03-05T00:00:00Z' };

class Clock {
  constructor(public t: number) {}
  now = () => new Date(this.t);
  set(iso: string) {
    this.t = Date.parse(iso);
  }
}

function scheduler(store: DocStorage, clock: Clock, poster: RecordingPoster, catchUpMs?: number) {
  const posters = new Posters();
  posters.register('discord', poster);
  const s = new DailyScheduler({
    daily: store.daily,
    posters,
    content,
    log: silentLogger,
    now: clock.now,
    catchUpMs,
    sleep: async () => {},
  });
  return s;
}

async function subscribe(store: DocStorage, ...subs: [string, Subscription][]) {
  await store.docs.daily.update((d) => {
    for (const [k, s] of subs) d.subscriptions[k] = s;
  });
}

/** Local "YYYY-MM-DD HH:MM" of each post of a channel, in its zone. */
function postTimes(
  poster: RecordingPoster,
  postedAt: Map<string, number>,
  id: string,
  zone: string,
): string[] {
  return poster.posts
    .filter((p) => p.channel.channelId === id)
    .map((p) =>
      new Date(postedAt.get(p.messageId) as number).toLocaleString('sv-SE', { timeZone: zone }).slice(0, 16),
    );
}

describe('daily scheduler', () => {
  it('posts exactly once per local day for a simulated year with both DST changes and restarts', async () => {
    const store = memoryStorage();
    await subscribe(
      store,
      sub('berlin', '08:00', 'Europe/Berlin'),
      sub('newyork', '08:00', 'America/New_York'),
      sub('moscow', '08:00', 'Europe/Moscow'),
      sub('gap', '02:30', 'Europe/Berlin'),
      sub('overlap', '02:30', 'Europe/Berlin', { days: 'every' }),
    );
    const clock = new Clock(Date.parse('2026-01-01T00:00:00Z'));
    const poster = new RecordingPoster();
    const postedAt = new Map<string, number>();
    const origPost = poster.post.bind(poster);
    poster.post = async (...args) => {
      const ref = await origPost(...args);
      postedAt.set(ref.messageId, clock.t);
      return ref;
    };
    let s = scheduler(store, clock, poster);
    const end = Date.parse('2027-01-01T00:00:00Z');
    let restarts = 0;
    for (; clock.t < end; clock.t += 5 * 60_000) {
      // Every due time here is a multiple of five minutes; only the hours around them are ticked, to keep the year fast.
      const m = new Date(clock.t).getUTCHours();
      if (![0, 1, 4, 5, 6, 7, 12, 13].includes(m)) continue;
      await s.tick();
      if (clock.t % (9 * 86_400_000) === 0) {
        s = scheduler(store, clock, poster); // a restart every nine days
        await s.recover();
        restarts++;
      }
    }
    expect(restarts).toBeGreaterThan(30);
    for (const [id, zone, time] of [
      ['berlin', 'Europe/Berlin', '08:00'],
      ['newyork', 'America/New_York', '08:00'],
      ['moscow', 'Europe/Moscow', '08:00'],
    ] as const) {
      const times = postTimes(poster, postedAt, id, zone);
      expect(times, id).toHaveLength(365);
      expect(new Set(times.map((t) => t.slice(0, 10))).size, id).toBe(365);
      expect(
        times.every((t) => t.endsWith(time)),
        id,
      ).toBe(true);
    }
    const gap = postTimes(poster, postedAt, 'gap', 'Europe/Berlin');
    expect(gap).toHaveLength(365);
    expect(gap.filter((t) => !t.endsWith('02:30'))).toEqual(['2026-03-29 03:00']);
    const overlap = postTimes(poster, postedAt, 'overlap', 'Europe/Berlin');
    expect(overlap.filter((t) => t.startsWith('2026-10-25'))).toEqual(['2026-10-25 02:30']);
    const overlapInstants = poster.posts
      .filter((p) => p.channel.channelId === 'overlap')
      .map((p) => new Date(postedAt.get(p.messageId) as number).toISOString())
      .filter((t) => t.startsWith('2026-10-25'));
    // The first of the two 02:30s: summer time, 00:30 UTC.
    expect(overlapInstants).toEqual(['2026-10-25T00:30:00.000Z']);
  }, 60_000);

  it('marks each post so it can be found again', async () => {
    const store = memoryStorage();
    await subscribe(store, sub('a', '08:00', 'UTC'));
    const clock = new Clock(Date.parse('2026-02-25T08:00:00Z'));
    const poster = new RecordingPoster();
    await scheduler(store, clock, poster).tick();
    expect(poster.posts).toHaveLength(1);
    expect(poster.posts[0]?.marker).toMatch(/^d[\w-]{20}$/);
    expect(poster.posts[0]?.reply.title).toBe('On this day: 25 February');
    expect(store.docs.daily.read().deliveries['discord:g:a']?.['2026-02-25']).toMatchObject({
      status: 'sent',
      messageId: 'm1',
    });
  });

  it('catches up a missed post inside the window and skips one outside it', async () => {
    const store = memoryStorage();
    await subscribe(store, sub('a', '08:00', 'UTC', today), sub('b', '01:00', 'UTC', today));
    const clock = new Clock(Date.parse('2026-03-05T13:00:00Z')); // down from before 01:00 until 13:00
    const poster = new RecordingPoster();
    const report = await scheduler(store, clock, poster).tick();
    expect(report).toEqual({ sent: 1, paused: 0, failed: 0, skipped: 1 });
    expect(poster.posts.map((p) => p.channel.channelId)).toEqual(['a']);
    expect(store.docs.daily.read().deliveries['discord:g:b']?.['2026-03-05']?.status).toBe('skipped');
    expect(await scheduler(store, clock, poster).tick()).toEqual({
      sent: 0,
      paused: 0,
      failed: 0,
      skipped: 0,
    });
  });

  it('never double-posts after a restart right after sending', async () => {
    const store = memoryStorage();
    await subscribe(store, sub('a', '08:00', 'UTC'));
    const clock = new Clock(Date.parse('2026-03-05T08:00:00Z'));
    const poster = new RecordingPoster();
    await scheduler(store, clock, poster).tick();
    clock.t += 60_000;
    const again = scheduler(store, clock, poster);
    await again.recover();
    await again.tick();
    expect(poster.posts).toHaveLength(1);
  });

  it('resolves a delivery left pending: found means sent, absent means send now', async () => {
    const store = memoryStorage();
    await subscribe(store, sub('a', '08:00', 'UTC'), sub('b', '08:00', 'UTC'));
    const clock = new Clock(Date.parse('2026-03-05T08:00:00Z'));
    const poster = new RecordingPoster();
    poster.crashAfterPost = true; // both go out, but the process "dies" before recording "sent"
    await scheduler(store, clock, poster)
      .tick()
      .catch(() => undefined);
    poster.crashAfterPost = false;
    // A post that went out although its answer was lost is found by its marker, not sent again.
    expect(store.docs.daily.read().deliveries['discord:g:a']?.['2026-03-05']?.status).toBe('sent');
    expect(poster.posts).toHaveLength(2);
    // Simulate the crash precisely: "pending" stays on disk for a; b never got out.
    await store.docs.daily.update((d) => {
      d.deliveries['discord:g:a'] = { '2026-03-05': { status: 'pending', at: '2026-03-05T08:00:00Z' } };
      d.deliveries['discord:g:b'] = { '2026-03-05': { status: 'pending', at: '2026-03-05T08:00:00Z' } };
    });
    poster.posts.splice(1); // b's message never reached the channel
    clock.t += 120_000;
    const restarted = scheduler(store, clock, poster);
    expect(await restarted.recover()).toBe(2);
    expect(poster.posts.map((p) => p.channel.channelId)).toEqual(['a', 'b']);
    expect(store.docs.daily.read().deliveries['discord:g:a']?.['2026-03-05']).toMatchObject({
      status: 'sent',
      messageId: 'm1',
    });
    expect(store.docs.daily.read().deliveries['discord:g:b']?.['2026-03-05']?.status).toBe('sent');
    await restarted.tick();
    expect(poster.posts).toHaveLength(2);
  });

  it('leaves a delivery pending when the look-up fails, and looks again at the next tick', async () => {
    const store = memoryStorage();
    await subscribe(store, sub('a', '08:00', 'UTC', today));
    await store.docs.daily.update((d) => {
      d.deliveries['discord:g:a'] = { '2026-03-05': { status: 'pending', at: '2026-03-05T08:00:00Z' } };
    });
    const poster = new RecordingPoster();
    const realFind = poster.findPost.bind(poster);
    let lookups = 0;
    poster.findPost = async (channel, marker) => {
      lookups++;
      if (lookups === 1) throw new Error('history unavailable');
      return realFind(channel, marker);
    };
    const clock = new Clock(Date.parse('2026-03-05T08:05:00Z'));
    const s = scheduler(store, clock, poster);
    await s.recover();
    expect(store.docs.daily.read().deliveries['discord:g:a']?.['2026-03-05']?.status).toBe('pending');
    expect(poster.posts).toHaveLength(0);
    clock.t += 60_000;
    await s.tick();
    expect(lookups).toBe(2);
    expect(poster.posts).toHaveLength(1);
    expect(store.docs.daily.read().deliveries['discord:g:a']?.['2026-03-05']?.status).toBe('sent');
  });

  it('skips a pending delivery found absent after the catch-up window', async () => {
    const store = memoryStorage();
    await subscribe(store, sub('a', '08:00', 'UTC'));
    await store.docs.daily.update((d) => {
      d.deliveries['discord:g:a'] = { '2026-03-05': { status: 'pending', at: '2026-03-05T08:00:00Z' } };
    });
    const poster = new RecordingPoster();
    await scheduler(store, new Clock(Date.parse('2026-03-05T15:00:00Z')), poster).recover();
    expect(poster.posts).toHaveLength(0);
    expect(store.docs.daily.read().deliveries['discord:g:a']?.['2026-03-05']?.status).toBe('skipped');
  });

  it('pauses one subscription on a lost channel or permission and keeps the others going', async () => {
    const store = memoryStorage();
    await subscribe(
      store,
      sub('a', '08:00', 'UTC', today),
      sub('b', '08:00', 'UTC', today),
      sub('c', '08:00', 'UTC', today),
    );
    const clock = new Clock(Date.parse('2026-03-05T08:00:00Z'));
    const poster = new RecordingPoster();
    poster.failuresFor.a = ['gone'];
    poster.failuresFor.b = ['transient'];
    poster.failuresFor.c = ['forbidden'];
    const posters = new Posters();
    posters.register('discord', poster);
    const s = new DailyScheduler({
      daily: store.daily,
      posters,
      content,
      log: silentLogger,
      now: clock.now,
      concurrency: 1,
      sleep: async () => {},
    });
    const report = await s.tick();
    expect(report).toEqual({ sent: 1, paused: 2, failed: 0, skipped: 0 });
    const subs = store.docs.daily.read().subscriptions;
    expect(subs['discord:g:a']?.paused?.reason).toBe(
      'the channel no longer exists or the bot was removed from it',
    );
    expect(subs['discord:g:b']?.paused).toBeUndefined();
    expect(subs['discord:g:c']?.paused?.reason).toBe('the bot lost permission to post in this channel');
    clock.t += 86_400_000;
    expect((await s.tick()).sent).toBe(1);
  });

  it('gives up after retries and tries again on the next tick', async () => {
    const store = memoryStorage();
    await subscribe(store, sub('a', '08:00', 'UTC'));
    const clock = new Clock(Date.parse('2026-03-05T08:00:00Z'));
    const poster = new RecordingPoster();
    poster.failures.push('transient', 'transient', 'transient', 'transient');
    const s = scheduler(store, clock, poster);
    expect((await s.tick()).failed).toBe(1);
    clock.t += 60_000;
    expect((await s.tick()).sent).toBe(1);
  });

  it('does not post for days before the subscription existed', async () => {
    const store = memoryStorage();
    await subscribe(store, sub('a', '08:00', 'UTC', { createdAt: '2026-03-05T09:00:00Z' }));
    const poster = new RecordingPoster();
    await scheduler(store, new Clock(Date.parse('2026-03-05T09:30:00Z')), poster).tick();
    expect(poster.posts).toHaveLength(0);
  });
});
