import { silentLogger } from '../../src/core/log.ts';
import { type ChannelRef, channelKey } from '../../src/core/platform.ts';
import { Posters } from '../../src/core/posters.ts';
import { DailyScheduler } from '../../src/schedule/scheduler.ts';
import type { DocStorage } from '../../src/store/doc/index.ts';
import type { Subscription } from '../../src/store/schema.ts';
import { fixtureEvent, fixtureLibrary, fixtureTopic, SOURCE } from '../helpers/library.ts';
import type { RecordingPoster } from '../helpers/poster.ts';

/** The daily scheduler's test library, subscriptions, clock and scheduler, shared by its tests and its year-long soak. */

export const content = fixtureLibrary({
  topics: [fixtureTopic('alpha', 'Alpha', 'A.')],
  events: [
    fixtureEvent('1956-02-25-speech', 'The speech.'),
    fixtureEvent('1956-02-29-leap', 'A leap-day event.'),
    fixtureEvent('1953-03-05-death', 'Stalin died.'),
  ],
  facts: [{ id: 'alpha-fun-1', kind: 'fun', text: 'A fun fact.', topics: ['alpha'], sources: SOURCE }],
});

export function channel(id: string, platform: ChannelRef['platform'] = 'discord'): ChannelRef {
  return { platform, workspaceId: 'g', channelId: id };
}

export function sub(
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
export const today = { createdAt: '2026-03-05T00:00:00Z' };

export class Clock {
  constructor(public t: number) {}
  now = () => new Date(this.t);
  set(iso: string) {
    this.t = Date.parse(iso);
  }
}

export function scheduler(
  store: DocStorage,
  clock: Clock,
  poster: RecordingPoster,
  catchUpMs?: number,
  concurrency?: number,
) {
  const posters = new Posters();
  posters.register('discord', poster);
  const s = new DailyScheduler({
    daily: store.daily,
    posters,
    content,
    log: silentLogger,
    now: clock.now,
    catchUpMs,
    concurrency,
    sleep: async () => {},
  });
  return s;
}

export async function subscribe(store: DocStorage, ...subs: [string, Subscription][]) {
  await store.docs.daily.update((d) => {
    for (const [k, s] of subs) d.subscriptions[k] = s;
  });
}

/** Local "YYYY-MM-DD HH:MM" of each post of a channel, in its zone. */
export function postTimes(
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
