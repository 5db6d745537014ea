/**
 * Two shards against the fake Discord, in one process (two clients, as two shard processes would
 * run them): each identifies with its [id, count], receives only its guilds, and answers the
 * interactions of its guilds. The multi-process version is tests/discord/sharding.soak.test.ts.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { commands } from '../../commands/index.ts';
import { startDiscord } from '../../src/adapters/discord/index.ts';
import { buildApp } from '../../src/app.ts';
import type { RunningAdapter } from '../../src/core/adapter.ts';
import { HealthMonitor } from '../../src/health/index.ts';
import { memoryStorage } from '../../src/store/doc/index.ts';
import { FakeDiscord, makeGuild, shardOf, spreadSnowflake } from '../fakes/discord/index.ts';
import { APPLICATION_ID, type LogEntry, recordingLogger, TOKEN, testContent } from './harness.ts';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

const content = testContent();

async function startShard(fake: FakeDiscord, id: number, count: number) {
  const logs: LogEntry[] = [];
  const log = recordingLogger(logs);
  const { deps, router } = buildApp({ content, storage: memoryStorage(), log, commands });
  const adapter: RunningAdapter = await startDiscord(
    { router, deps, log },
    { token: TOKEN, applicationId: APPLICATION_ID, apiUrl: fake.apiUrl, shards: { ids: [id], count } },
  );
  stops.push(() => adapter.stop());
  return { adapter, logs };
}

describe('Discord shards', () => {
  it('identify with [id, count], hold their own guilds and answer their interactions', async () => {
    const guilds = Array.from({ length: 6 }, () =>
      makeGuild({ id: spreadSnowflake(), channels: 1, members: 1 }),
    );
    expect(new Set(guilds.map((g) => shardOf(g.id, 2)))).toEqual(new Set([0, 1]));
    const fake = await FakeDiscord.start({
      applicationId: APPLICATION_ID,
      token: TOKEN,
      guilds,
      recommendedShards: 2,
      maxConcurrency: 2,
    });
    stops.push(() => fake.close());
    const shards = await Promise.all([startShard(fake, 0, 2), startShard(fake, 1, 2)]);

    expect([...fake.identified].sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    for (const [id, shard] of shards.entries()) {
      const mine = guilds.filter((g) => shardOf(g.id, 2) === id).map((g) => g.id);
      expect(shard.adapter.workspaces?.().sort()).toEqual(mine.sort());
      // No ping before the first heartbeat.
      expect(await shard.adapter.shards?.()).toEqual([{ id, status: 'ready', guilds: mine.length }]);
    }

    // The health endpoint's view: both shards listed, ready.
    const health = new HealthMonitor({
      storage: { probe: async () => {} },
      clock: { lastTick: new Date() },
      probe: { check: async () => ({ ok: true, detail: 'writable' }) },
    });
    health.phase = 'running';
    for (const shard of shards) health.addAdapter(shard.adapter);
    const report = await health.readiness();
    expect(report.status).toBe('ready');
    expect(report.shards?.map((s) => [s.id, s.status, s.guilds])).toEqual([
      [0, 'ready', 3],
      [1, 'ready', 3],
    ]);

    for (const guild of guilds) {
      const user = guild.members[0]?.user ?? { id: '1', username: 'x' };
      const injected = fake.chatInput({ guild, user, name: 'help' });
      const callback = await fake.callback(injected);
      expect(callback.status).toBeLessThan(300);
      const owner = shardOf(guild.id, 2);
      expect(fake.interactionShards.get(injected.id)).toBe(owner);
      // Only the owning shard saw and answered it (it logs just after answering).
      const handledBy = () =>
        shards.map(
          (s) => s.logs.filter((l) => l.msg === 'interaction handled' && l.obj?.guild === guild.id).length,
        );
      await vi.waitFor(() => expect(handledBy()).toEqual(owner === 0 ? [1, 0] : [0, 1]));
    }
  });
});
