import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.ts';
import type { Actor } from '../../src/core/command.ts';
import type { ChannelRef } from '../../src/core/platform.ts';
import { dueInstant } from '../../src/schedule/due.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { FakeSlack } from '../fakes/slack/server.ts';
import { REAL_CONTENT } from '../helpers/deps.ts';
import { type Harness, startHarness } from './harness.ts';

/**
 * A year of daily posts and half a year of weekly quiz nights, in Europe/Berlin, through the real
 * Bolt adapter and the fake Slack Web API, restarting every month. The clock is injected and the
 * scheduler ticked at the minutes that matter.
 */
const store = new MemoryStore();
const channel: ChannelRef = { platform: 'slack', workspaceId: 'T0TEAM', channelId: 'C0STUDY' };
const GROUP = 'S0QUIZCLUB';
let fake: FakeSlack;
let h: Harness;
let now = Date.parse('2026-01-01T00:00:00Z');
const content = loadContent(REAL_CONTENT);
const start = () =>
  startHarness('http', { fakeSlack: fake, store, content, services: { now: () => new Date(now) } });

beforeAll(async () => {
  fake = await new FakeSlack().start();
  fake.addChannel({ id: 'C0STUDY', name: 'study', isMember: true });
  h = await start();
  await store.update((d) => {
    d.subscriptions['slack:T0TEAM:C0STUDY'] = {
      channel,
      time: '08:00',
      timezone: 'Europe/Berlin',
      days: 'every',
      createdAt: '2026-01-01T00:00:00Z',
      createdBy: { id: 'U0HOST', displayName: 'Hal' },
    };
    d.quizNights['slack:T0TEAM:C0STUDY:fri'] = {
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
    };
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
    let restarts = 0;
    for (let day = 0; day < 365; day++) {
      const date = new Date(Date.UTC(2026, 0, 1 + day)).toISOString().slice(0, 10);
      const due = dueInstant(date, { hour: 8, minute: 0 }, 'Europe/Berlin').getTime();
      for (const offset of [-60_000, 30_000, 90_000]) {
        now = due + offset;
        await h.deps.daily.tick();
      }
      if (day < 181 && new Date(`${date}T12:00:00Z`).getUTCDay() === 5) {
        const startAt = dueInstant(date, { hour: 20, minute: 0 }, 'Europe/Berlin').getTime();
        for (const offset of [-11 * 60_000, -9.5 * 60_000, -5 * 60_000, 30_000, 90_000]) {
          now = startAt + offset;
          await h.deps.daily.tick();
        }
        await h.deps.quiz.stop(host); // the quiz itself is tested elsewhere
      }
      if (day % 30 === 29) {
        await h.close();
        h = await start();
        await h.deps.daily.recover();
        restarts++;
      }
    }
    const posts = fake.callsTo('chat.postMessage').filter((c) => c.body.channel === 'C0STUDY');
    const text = (c: (typeof posts)[number]) => String(c.body.text ?? '');
    const daily = posts.filter((c) => /^(On this day|This week in history|Topic spotlight)/.test(text(c)));
    expect(restarts).toBe(12);
    expect(daily).toHaveLength(365);
    const markers = daily.map((c) => JSON.stringify(c.body.metadata));
    expect(new Set(markers).size).toBe(365);
    expect(
      Object.values(store.read().deliveries['slack:T0TEAM:C0STUDY'] ?? {}).filter((d) => d.status === 'sent'),
    ).toHaveLength(365);

    const fridays = Array.from({ length: 181 }, (_, d) => new Date(Date.UTC(2026, 0, 1 + d))).filter(
      (d) => d.getUTCDay() === 5,
    ).length;
    const reminders = posts.filter((c) => text(c).includes('Quiz night in 10 minutes'));
    const starts = posts.filter((c) => text(c).startsWith('Quiz night!'));
    expect(reminders).toHaveLength(fridays);
    expect(starts).toHaveLength(fridays);
    // The reminder mentions exactly the configured user group; nothing else mentions anyone.
    for (const r of reminders) expect(JSON.stringify(r.body)).toContain(`<!subteam^${GROUP}>`);
    for (const other of posts.filter((c) => !reminders.includes(c))) {
      expect(JSON.stringify(other.body)).not.toMatch(/<!subteam|<!here|<!channel|<!everyone|<@U/);
    }
    const started = Object.values(Object.values(store.read().quizNights)[0]?.runs ?? {}).filter(
      (r) => r.started,
    );
    expect(started).toHaveLength(fridays);
  }, 120_000);
});
