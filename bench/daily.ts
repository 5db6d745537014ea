/**
 * Daily fan-out benchmark: N Discord subscriptions due in the same minute, sent by the real
 * DailyScheduler through the real adapter (discord.js REST queue) and the lowdb feature files in a temp dir,
 * against a fake Discord that allows 50 requests a second globally (429 with retry-after and the
 * global flag beyond it). The floor is N / 50 seconds.
 *
 * `npm run bench -- daily [--subs N] [--concurrency N] [--limit N]`
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { commands } from '../commands/index.ts';
import { GLOBAL_REQUESTS_PER_SECOND } from '../src/adapters/discord/client.ts';
import { startDiscord } from '../src/adapters/discord/index.ts';
import { buildApp } from '../src/app.ts';
import { ContentIndex } from '../src/content/index.ts';
import { readContent } from '../src/content/load.ts';
import { silentLogger } from '../src/core/log.ts';
import type { ChannelRef } from '../src/core/platform.ts';
import { Posters } from '../src/core/posters.ts';
import { DailyScheduler } from '../src/schedule/scheduler.ts';
import type { DocFile } from '../src/store/doc/file.ts';
import { openFileStorage } from '../src/store/open.ts';
import { FakeDiscord, makeGuild } from '../tests/fakes/discord/index.ts';

const APPLICATION_ID = '800000000000000003';
const TOKEN = 'bench-daily-token';
const CONTENT_DIR = fileURLToPath(new URL('../content', import.meta.url));
const CHANNELS_PER_GUILD = 50;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : Number.NaN;
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
}

async function main(): Promise<void> {
  const subs = arg('subs', 2000);
  const concurrency = arg('concurrency', 8);
  const limit = arg('limit', 50);
  const guilds = Array.from({ length: Math.ceil(subs / CHANNELS_PER_GUILD) }, () =>
    makeGuild({ channels: CHANNELS_PER_GUILD, members: 2 }),
  );
  const fake = await FakeDiscord.start({
    applicationId: APPLICATION_ID,
    guilds,
    token: TOKEN,
    globalRateLimit: limit,
  });
  const dir = await mkdtemp(path.join(tmpdir(), 'thawbot-bench-daily-'));
  // 08:00 UTC on a day with events; the tick runs 10 seconds into the minute.
  const clock = Date.parse('2026-03-05T08:00:10Z');
  const now = () => new Date(clock);
  const storage = await openFileStorage({ file: path.join(dir, 'data.json'), log: silentLogger, now });
  const content = new ContentIndex(readContent(CONTENT_DIR).library);
  const { deps, router } = buildApp({ content, storage, log: silentLogger, now, commands });
  const adapter = await startDiscord(
    { router, deps, log: silentLogger },
    { token: TOKEN, applicationId: APPLICATION_ID, apiUrl: fake.apiUrl },
  );
  // Its own scheduler (the app's runs with the default concurrency), over the same storage.
  const posters = new Posters();
  posters.register('discord', adapter.poster);
  const scheduler = new DailyScheduler({
    daily: storage.daily,
    posters,
    content,
    log: silentLogger,
    now,
    concurrency,
  });

  const channels: ChannelRef[] = guilds
    .flatMap((g) =>
      g.channels.map((c) => ({ platform: 'discord' as const, workspaceId: g.id, channelId: c.id })),
    )
    .slice(0, subs);
  await Promise.all(
    channels.map((channel) =>
      storage.daily.subscribe({
        channel,
        time: '08:00',
        timezone: 'UTC',
        days: 'every',
        createdAt: '2026-03-05T00:00:00.000Z',
        createdBy: { id: '1', displayName: 'Host' },
      }),
    ),
  );
  const dailyFile = storage.docs.daily as DocFile<unknown>;
  const before = { ...dailyFile.stats };

  const callsBefore = fake.calls.length;
  const started = performance.now();
  const report = await scheduler.tick();
  const seconds = (performance.now() - started) / 1000;

  const posts = fake.calls
    .slice(callsBefore)
    .filter((c) => c.method === 'POST' && c.path.startsWith('/channels/'));
  const limited = posts.filter((c) => c.status === 429).length;
  const perChannel = new Map<string, number>();
  for (const channel of channels)
    perChannel.set(channel.channelId, fake.channelMessages(channel.channelId).length);
  const delivered = [...perChannel.values()].filter((n) => n >= 1).length;
  const duplicates = [...perChannel.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);
  const sent = Object.values(storage.docs.daily.read().deliveries).filter(
    (d) => d['2026-03-05']?.status === 'sent',
  ).length;
  const floor = subs / limit;

  console.log(
    `Daily fan-out: ${subs} Discord subscriptions due at once, fake Discord allowing ${limit} requests/s globally`,
  );
  console.log(
    `  scheduler concurrency ${concurrency}; discord.js REST queue (globalRequestsPerSecond ${GLOBAL_REQUESTS_PER_SECOND})`,
  );
  console.log(
    `  total time:       ${seconds.toFixed(1)} s  (floor ${floor.toFixed(1)} s, ratio ${(seconds / floor).toFixed(2)}x; goal <= 1.2x)`,
  );
  console.log(`  429s received:    ${limited}  (goal < 10)`);
  console.log(
    `  posts delivered:  ${delivered} of ${subs} channels, ${duplicates} duplicates; deliveries recorded sent: ${sent}; tick report ${JSON.stringify(report)}`,
  );
  console.log(
    `  requests sent:    ${posts.length} POSTs; daily file writes ${dailyFile.stats.writes - before.writes} (avg ${Math.round((dailyFile.stats.bytesWritten - before.bytesWritten) / Math.max(1, dailyFile.stats.writes - before.writes))} bytes)`,
  );

  await adapter.stop();
  await storage.close();
  await fake.close();
  await rm(dir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
