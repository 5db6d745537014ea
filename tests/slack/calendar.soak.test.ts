import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.ts';
import type { Actor } from '../../src/core/command.ts';
import type { ChannelRef } from '../../src/core/platform.ts';
import { memoryStorage } from '../../src/store/doc/index.ts';
import { FakeSlack } from '../fakes/slack/server.ts';
import { simulateBerlinYear } from '../helpers/calendar.ts';
import { REAL_CONTENT } from '../helpers/deps.ts';
import { type Harness, startHarness } from './harness.ts';

/**
 * A year of daily posts and half a year of weekly quiz nights, in Europe/Berlin, through the real
 * Bolt adapter and the fake Slack Web API, restarting every month. The clock is injected and the
 * scheduler ticked at the minutes that matter.
 */
const storage = memoryStorage();
const channel: ChannelRef = { platform: 'slack', workspaceId: 'T0TEAM', channelId: 'C0STUDY' };
const GROUP = 'S0QUIZCLUB';
let fake: FakeSlack;
let h: Harness;
let now = Date.parse('2026-01-01T00:00:00Z');
const content = loadContent(REAL_CONTENT);
const start = () =>
  startHarness('http', { fakeSlack: fake, storage, content, services: { now: () => new Date(now) } });

beforeAll(async () => {
  fake = await new FakeSlack().start();
  fake.addChannel({ id: 'C0STUDY', name: 'study', isMember: true });
  h = await start();
  await storage.daily.subscribe({
    channel,
    time: '08:00',
    timezone: 'Europe/Berlin',
    days: 'every',
    createdAt: '2026-01-01T00:00:00Z',
    createdBy: { id: 'U0HOST', displayName: 'Hal' },
  });
  await storage.nights.add({
    id: 'fri',
    channel,
    weekday: 5,
    time: '20:00',
    timezone: 'Europe/Berlin',
    questions: 3,
    seconds: 30,
    ping: { id: GROUP, label: 'quiz-club' },
    createdAt: '2026-01-01T00:00:00Z',
    createdBy: { id: 'U0HOST', displayName: 'Hal' },
    runs: {},
  });
});
afterAll(async () => {
  await h?.close();
  await fake?.close();
});

const host: Actor = {
  user: { platform: 'slack', id: 'U0HOST', displayName: 'Hal' },
  channel,
  isAdmin: true,
  isHost: true,
  inServer: true,
};

describe('a year on Slack', () => {
  it('posts the daily post once per local day and runs the quiz night once a week, across DST and restarts', async () => {
    const { restarts, fridays } = await simulateBerlinYear({
      setNow: (ms) => {
        now = ms;
      },
      // The minute's work without the clock's hourly retention, which would drop the year's
      // deliveries and night runs this test reads back at the end.
      tick: async () => {
        await h.deps.daily.tick();
        await h.deps.quizNights.tick();
      },
      endQuiz: () => h.deps.quiz.stop(host),
      restart: async () => {
        await h.close();
        h = await start();
        await h.deps.daily.recover();
      },
    });
    const posts = fake.callsTo('chat.postMessage').filter((c) => c.body.channel === 'C0STUDY');
    const text = (c: (typeof posts)[number]) => String(c.body.text ?? '');
    const daily = posts.filter((c) => /^(On this day|This week in history|Topic spotlight)/.test(text(c)));
    expect(restarts).toBe(12);
    expect(daily).toHaveLength(365);
    const markers = daily.map((c) => JSON.stringify(c.body.metadata));
    expect(new Set(markers).size).toBe(365);
    const deliveries = await storage.daily.deliveries(channel, 1000);
    expect(deliveries.filter((d) => d.delivery.status === 'sent')).toHaveLength(365);

    expect(fridays).toBe(26);
    const reminders = posts.filter((c) => text(c).includes('Quiz night in 10 minutes'));
    const starts = posts.filter((c) => text(c).startsWith('Quiz night!'));
    expect(reminders).toHaveLength(fridays);
    expect(starts).toHaveLength(fridays);
    // The reminder mentions exactly the configured user group; nothing else mentions anyone.
    for (const r of reminders) expect(JSON.stringify(r.body)).toContain(`<!subteam^${GROUP}>`);
    for (const other of posts.filter((c) => !reminders.includes(c))) {
      expect(JSON.stringify(other.body)).not.toMatch(/<!subteam|<!here|<!channel|<!everyone|<@U/);
    }
    const started = Object.values((await storage.nights.inChannel(channel))[0]?.runs ?? {}).filter(
      (r) => r.started,
    );
    expect(started).toHaveLength(fridays);
  });
});
