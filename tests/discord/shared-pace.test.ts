/**
 * Discord's global limit counts the bot's requests from every process together. Two discord.js
 * clients (two processes of a fleet) posting at once against the fake Discord's global limit: pacing
 * themselves alone, they go over it; booking slots through the shared pace on PostgreSQL keeps them
 * under it. Interaction responses, outside the limit, book no slot.
 */
import { type Client, Routes } from 'discord.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../src/adapters/discord/client.ts';
import { silentLogger } from '../../src/core/log.ts';
import { sharedPace } from '../../src/fleet/pace.ts';
import type { FleetRepo, Storage } from '../../src/store/ports.ts';
import { FakeDiscord, makeGuild } from '../fakes/discord/index.ts';
import { type TestSchema, testSchema } from '../helpers/pg.ts';

const POSTS_EACH = 10;
/**
 * The fake's limit and the pace, scaled down from Discord's 50 and the fleet's 48 a second: the same
 * two slots of margin are then 250 ms of timer jitter, which a busy test machine cannot exceed. The
 * fleet soak test and benchmark run the real figures.
 */
const LIMIT = 10;
const PACE = 8;
let schema: TestSchema;
const open: Storage[] = [];
const clients: Client[] = [];
let fake: FakeDiscord | undefined;

beforeAll(() => {
  schema = testSchema();
});
afterEach(async () => {
  for (const c of clients.splice(0)) await c.destroy();
  await fake?.close();
  fake = undefined;
});
afterAll(async () => {
  for (const s of open) await s.close();
  await schema?.drop();
});

/** A fleet repo of its own pool (a process), counting the slots it books. */
async function process(): Promise<{ repo: FleetRepo; booked: () => number }> {
  const storage = await schema.open({ poolSize: 2 });
  open.push(storage);
  const fleet = storage.fleet as FleetRepo;
  let booked = 0;
  const repo: FleetRepo = {
    ...fleet,
    paceSlot: (name, intervalMs) => {
      booked++;
      return fleet.paceSlot(name, intervalMs);
    },
  };
  return { repo, booked: () => booked };
}

async function startFake(): Promise<{ fake: FakeDiscord; channels: string[]; spare: string }> {
  const guild = makeGuild({ channels: POSTS_EACH * 2 + 1 });
  fake = await FakeDiscord.start({ guilds: [guild], globalRateLimit: LIMIT, nonceWindowMs: 0 });
  const ids = guild.channels.map((c) => c.id);
  return { fake, channels: ids.slice(1), spare: ids[0] as string };
}

/**
 * Each client's connection is opened before the burst, and the fake's second has passed: a first
 * request slowed by its connection's set-up would start the fake's second late and let later slots
 * into it, which measures connection set-up rather than the pace.
 */
async function warmUp(pair: Client[], spare: string): Promise<void> {
  for (const c of pair) await c.rest.post(Routes.channelMessages(spare), { body: { content: 'warm-up' } });
  await new Promise((r) => setTimeout(r, 1_100));
}

function client(apiUrl: string, repo?: FleetRepo): Client {
  const c = createClient(
    apiUrl,
    undefined,
    repo ? sharedPace(repo, 'discord', PACE, silentLogger) : undefined,
  );
  c.rest.setToken('fake-token');
  clients.push(c);
  return c;
}

/** Each client posts to its half of the channels, all at once. */
async function postFromBoth(pair: Client[], channels: string[]): Promise<void> {
  await Promise.all(
    pair.flatMap((c, i) =>
      channels
        .slice(i * POSTS_EACH, (i + 1) * POSTS_EACH)
        .map((id) => c.rest.post(Routes.channelMessages(id), { body: { content: 'On this day' } })),
    ),
  );
}

describe('the global limit across processes', () => {
  it('is exceeded by two processes that pace themselves alone', async () => {
    const { fake, channels, spare } = await startFake();
    const pair = [client(fake.apiUrl), client(fake.apiUrl)];
    await warmUp(pair, spare);
    await postFromBoth(pair, channels);
    expect(fake.globalRateLimited).toBeGreaterThan(0);
  });

  it('is kept by two processes sharing the pace through the database, and every post arrives', async () => {
    await schema.reset();
    const { fake, channels, spare } = await startFake();
    const [a, b] = [await process(), await process()];
    const pair = [client(fake.apiUrl, a.repo), client(fake.apiUrl, b.repo)];
    await warmUp(pair, spare);
    const started = performance.now();
    await postFromBoth(pair, channels);
    expect(fake.globalRateLimited).toBe(0);
    expect(channels.every((id) => fake.postsPerChannel.get(id) === 1)).toBe(true);
    expect([a.booked(), b.booked()]).toEqual([POSTS_EACH + 1, POSTS_EACH + 1]);
    // 20 slots at 8 a second: the last one about 2.4 s after the first.
    expect(performance.now() - started).toBeGreaterThanOrEqual(((POSTS_EACH * 2 - 1) / PACE) * 1000 - 50);
  });

  it('books no slot for an interaction response', async () => {
    await schema.reset();
    const { fake } = await startFake();
    const a = await process();
    const c = client(fake.apiUrl, a.repo);
    await c.rest
      .post(Routes.interactionCallback('1', 'token'), {
        body: { type: 4, data: { content: 'x' } },
        auth: false,
      })
      .catch(() => {});
    expect(fake.calls.some((call) => call.path === '/interactions/1/token/callback')).toBe(true);
    expect(a.booked()).toBe(0);
  });
});
