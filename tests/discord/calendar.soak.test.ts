import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelRef } from '../../src/core/platform.ts';
import { memoryStorage } from '../../src/store/doc/index.ts';
import type { FakeDiscord } from '../fakes/discord/index.ts';
import { simulateBerlinYear } from '../helpers/calendar.ts';
import { type Running, startFake, startServices, studyGuild } from './services.ts';

/**
 * A year of daily posts and half a year of weekly quiz nights, in Europe/Berlin, through the real
 * discord.js adapter and the fake Discord, with a restart every few weeks. The clock is injected
 * and the scheduler ticked at the minutes that matter.
 */
const { guild, host } = studyGuild();
const storage = memoryStorage();
const channel: ChannelRef = {
  platform: 'discord',
  workspaceId: guild.id,
  channelId: guild.channels[0]?.id as string,
};
const ROLE = '720000000000000077';
let fake: FakeDiscord;
let now = Date.parse('2026-01-01T00:00:00Z');
let running: Running;

beforeAll(async () => {
  fake = await startFake([guild]);
  running = await startServices(fake, { storage, guild, host, now: () => new Date(now) });
  await storage.daily.subscribe({
    channel,
    time: '08:00',
    timezone: 'Europe/Berlin',
    days: 'every',
    createdAt: '2026-01-01T00:00:00Z',
    createdBy: { id: host.id, displayName: 'Ada' },
  });
  await storage.nights.add({
    id: 'fri',
    channel,
    weekday: 5,
    time: '20:00',
    timezone: 'Europe/Berlin',
    questions: 3,
    seconds: 30,
    ping: { id: ROLE, label: 'Quiz Club' },
    createdAt: '2026-01-01T00:00:00Z',
    createdBy: { id: host.id, displayName: 'Ada' },
    runs: {},
  });
});
afterAll(async () => {
  await running?.stop();
  await fake?.close();
});

function channelPosts() {
  return fake.calls.filter(
    (c) => c.method === 'POST' && c.path.endsWith(`/channels/${channel.channelId}/messages`),
  );
}
function title(call: { body: unknown }): string {
  return ((call.body as { embeds?: { title?: string }[] }).embeds?.[0]?.title ?? '') as string;
}

describe('a year on Discord', () => {
  it('posts the daily post once per local day and runs the quiz night once a week, across DST and restarts', async () => {
    const { restarts, fridays } = await simulateBerlinYear({
      setNow: (ms) => {
        now = ms;
      },
      // The minute's work without the clock's hourly retention, which would drop the year's
      // deliveries and night runs this test reads back at the end.
      tick: async () => {
        await running.deps.daily.tick();
        await running.deps.quizNights.tick();
      },
      endQuiz: () =>
        running.deps.quiz.stop({
          user: { platform: 'discord', id: host.id, displayName: 'Ada' },
          channel,
          isAdmin: true,
          isHost: true,
          inServer: true,
        }),
      restart: async () => {
        await running.stop();
        running = await startServices(fake, { storage, guild, host, now: () => new Date(now) });
        await running.deps.daily.recover();
      },
    });
    const posts = channelPosts();
    const daily = posts.filter(
      (c) =>
        title(c).startsWith('On this day') ||
        title(c).startsWith('This week in history') ||
        title(c).startsWith('Topic spotlight'),
    );
    expect(restarts).toBe(12);
    expect(daily).toHaveLength(365);
    const nonces = daily.map((c) => (c.body as { nonce?: string }).nonce);
    expect(new Set(nonces).size).toBe(365);
    expect(daily.every((c) => (c.body as { enforce_nonce?: boolean }).enforce_nonce === true)).toBe(true);
    const deliveries = await storage.daily.deliveries(channel, 1000);
    expect(deliveries.filter((d) => d.delivery.status === 'sent')).toHaveLength(365);

    expect(fridays).toBe(26);
    const reminders = posts.filter((c) => title(c) === 'Quiz night in 10 minutes');
    const starts = posts.filter((c) => title(c) === 'Quiz night!');
    expect(reminders).toHaveLength(fridays);
    expect(starts).toHaveLength(fridays);
    // The reminder pings exactly the configured role; no other message may ping anyone.
    for (const r of reminders) {
      expect((r.body as { content?: string }).content).toContain(`<@&${ROLE}>`);
      expect((r.body as { allowed_mentions?: unknown }).allowed_mentions).toEqual({
        parse: [],
        roles: [ROLE],
      });
    }
    for (const other of posts.filter((c) => !reminders.includes(c))) {
      expect((other.body as { allowed_mentions?: unknown }).allowed_mentions).toEqual({ parse: [] });
    }
    const runs = (await storage.nights.inChannel(channel))[0]?.runs ?? {};
    const local = (iso?: string) =>
      iso ? new Date(iso).toLocaleString('sv-SE', { timeZone: 'Europe/Berlin' }).slice(11, 16) : '';
    const started = Object.values(runs).filter((r) => r.started);
    expect(started).toHaveLength(fridays);
    expect(new Set(started.map((r) => local(r.started)))).toEqual(new Set(['20:00']));
  });
});
