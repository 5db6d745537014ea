import { describe, expect, it } from 'vitest';
import { memoryStorage } from '../../src/store/doc/index.ts';
import { RecordingPoster } from '../helpers/poster.ts';
import { Clock, postTimes, scheduler, sub, subscribe } from './daily-fixtures.ts';

describe('daily scheduler over a year', () => {
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
  });
});
