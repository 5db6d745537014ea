/**
 * The pieces of a fleet's daily fan-out that need no test runner (the soak tests and the benchmark
 * share them): a fake Discord with the global rate limit and N subscriptions due at once, their time
 * the minute just past, so the first tick finds them all due without waiting for a minute.
 */
import { DateTime } from 'luxon';
import type { ChannelRef } from '../../src/core/platform.ts';
import { FakeDiscord, makeGuild, type RestCall } from '../fakes/discord/index.ts';
import type { TestSchema } from '../helpers/pg.ts';

export const APPLICATION_ID = '700000000000000021';
export const TOKEN = 'fake-fleet-token';
const CHANNELS_PER_GUILD = 50;

export interface FanOut {
  fake: FakeDiscord;
  channels: ChannelRef[];
  /** The local date the posts are for. */
  date: string;
  /** What every process needs to reach the fake Discord. */
  env: Record<string, string>;
}

/** Starts the fake Discord (global limit, no nonce window) and stores `count` subscriptions due now. */
export async function prepareFanOut(schema: TestSchema, count: number, limit = 50): Promise<FanOut> {
  const guilds = Array.from({ length: Math.ceil(count / CHANNELS_PER_GUILD) }, () =>
    makeGuild({ channels: CHANNELS_PER_GUILD, members: 2 }),
  );
  const fake = await FakeDiscord.start({
    applicationId: APPLICATION_ID,
    guilds,
    token: TOKEN,
    globalRateLimit: limit,
    // No help from Discord's nonce: a post sent twice shows as two messages.
    nonceWindowMs: 0,
  });
  const storage = await schema.open({ poolSize: 4 });
  const due = DateTime.utc().minus({ minutes: 1 });
  const channels: ChannelRef[] = guilds
    .flatMap((g) =>
      g.channels.map((c) => ({ platform: 'discord' as const, workspaceId: g.id, channelId: c.id })),
    )
    .slice(0, count);
  for (let i = 0; i < channels.length; i += 200)
    await Promise.all(
      channels.slice(i, i + 200).map((channel) =>
        storage.daily.subscribe({
          channel,
          time: due.toFormat('HH:mm'),
          timezone: 'UTC',
          days: 'every',
          createdAt: due.minus({ days: 1 }).toISO() as string,
          createdBy: { id: '1', displayName: 'Host' },
        }),
      ),
    );
  await storage.close();
  return {
    fake,
    channels,
    date: due.toISODate() as string,
    env: { DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: APPLICATION_ID, DISCORD_API_URL: fake.apiUrl },
  };
}

export function isDailyPost(call: RestCall): boolean {
  return call.method === 'POST' && /^\/channels\/\d+\/messages$/.test(call.path);
}

/** Channels without a post yet. */
export function missing(fan: FanOut): number {
  return fan.channels.filter((c) => !fan.fake.postsPerChannel.get(c.channelId)).length;
}

/** Per channel: how many posts it got; the span from the first daily post to the last; 429s. */
export function tally(fan: FanOut) {
  const counts = fan.channels.map((c) => fan.fake.postsPerChannel.get(c.channelId) ?? 0);
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  let limited = 0;
  for (const c of fan.fake.calls) {
    if (c.status === 429) limited++;
    if (!isDailyPost(c) || c.status !== 200) continue;
    first = Math.min(first, c.at);
    last = Math.max(last, c.at);
  }
  return {
    delivered: counts.filter((n) => n >= 1).length,
    duplicates: counts.reduce((sum, n) => sum + Math.max(0, n - 1), 0),
    missing: counts.filter((n) => n === 0).length,
    seconds: (last - first) / 1000,
    limited,
  };
}
