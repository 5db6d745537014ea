/**
 * A fleet's daily fan-out, shared by the soak tests and the benchmark: real bot processes on one
 * PostgreSQL schema, a fake Discord with the global rate limit, and N subscriptions due at once
 * (their time is the minute just past, so the first tick finds them all due without waiting).
 */
import { DateTime } from 'luxon';
import type { ChannelRef } from '../../src/core/platform.ts';
import { FakeDiscord, type FakeGuild, makeGuild, type RestCall } from '../fakes/discord/index.ts';
import type { Bot } from '../helpers/bot-process.ts';
import { startFleet } from '../helpers/fleet.ts';
import type { TestSchema } from '../helpers/pg.ts';

export const APPLICATION_ID = '700000000000000021';
export const TOKEN = 'fake-fleet-token';
const CHANNELS_PER_GUILD = 50;

export interface DailyFleet {
  fake: FakeDiscord;
  bots: Bot[];
  channels: ChannelRef[];
  /** The local date the posts are for. */
  date: string;
}

export async function seedSubscriptions(schema: TestSchema, count: number, guilds: FakeGuild[]) {
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
  return { channels, date: due.toISODate() as string };
}

/** Starts the fake Discord and `processes` bots with `subscriptions` due now; per-process env by index. */
export async function startDailyFleet(options: {
  schema: TestSchema;
  subscriptions: number;
  processes: number;
  leaseSeconds?: number;
  limit?: number;
  envOf?: (i: number) => Record<string, string>;
}): Promise<DailyFleet> {
  const guilds = Array.from({ length: Math.ceil(options.subscriptions / CHANNELS_PER_GUILD) }, () =>
    makeGuild({ channels: CHANNELS_PER_GUILD, members: 2 }),
  );
  const fake = await FakeDiscord.start({
    applicationId: APPLICATION_ID,
    guilds,
    token: TOKEN,
    globalRateLimit: options.limit ?? 50,
    // No help from Discord's nonce: a post sent twice shows as two messages.
    nonceWindowMs: 0,
  });
  const { channels, date } = await seedSubscriptions(options.schema, options.subscriptions, guilds);
  const bots = startFleet({
    schema: options.schema,
    count: options.processes,
    env: {
      DISCORD_TOKEN: TOKEN,
      DISCORD_APPLICATION_ID: APPLICATION_ID,
      DISCORD_API_URL: fake.apiUrl,
      SCHEDULER_LEASE_SECONDS: String(options.leaseSeconds ?? 30),
    },
    envOf: options.envOf,
  });
  return { fake, bots, channels, date };
}

export function isDailyPost(call: RestCall): boolean {
  return call.method === 'POST' && /^\/channels\/\d+\/messages$/.test(call.path);
}

/** Resolves when every channel has at least one post (or rejects after `timeoutMs`). */
export async function allPosted(fleet: DailyFleet, timeoutMs: number): Promise<void> {
  const started = Date.now();
  for (;;) {
    const missing = fleet.channels.filter((c) => !fleet.fake.postsPerChannel.get(c.channelId)).length;
    if (missing === 0) return;
    if (Date.now() - started > timeoutMs)
      throw new Error(
        `${missing} channels without a post after ${timeoutMs} ms; the processes' last logs:\n${fleet.bots
          .map(
            (b, i) =>
              `#${i}: ${b.logs
                .slice(-12)
                .map((l) => JSON.stringify(l))
                .join('\n')}`,
          )
          .join('\n')}`,
      );
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Per channel: how many posts it got; and the span from the first daily post to the last. */
export function tally(fleet: DailyFleet) {
  const counts = fleet.channels.map((c) => fleet.fake.postsPerChannel.get(c.channelId) ?? 0);
  const posts = fleet.fake.calls.filter((c) => isDailyPost(c) && c.status === 200);
  const first = Math.min(...posts.map((c) => c.at));
  const last = Math.max(...posts.map((c) => c.at));
  return {
    delivered: counts.filter((n) => n >= 1).length,
    duplicates: counts.reduce((sum, n) => sum + Math.max(0, n - 1), 0),
    missing: counts.filter((n) => n === 0).length,
    seconds: (last - first) / 1000,
    limited: fleet.fake.calls.filter((c) => c.status === 429).length,
  };
}
