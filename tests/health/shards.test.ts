import { describe, expect, it } from 'vitest';
import type { ShardState } from '../../src/core/adapter.ts';
import { HealthMonitor } from '../../src/health/index.ts';

const NOW = new Date('2026-11-26T12:00:00Z');

function monitor(states: ShardState[] | (() => Promise<ShardState[]>), schedulerRuns?: boolean) {
  const health = new HealthMonitor({
    storage: { probe: async () => {} },
    clock: { lastTick: schedulerRuns === false ? undefined : new Date(NOW.getTime() - 5_000) },
    now: () => NOW,
    probe: { check: async () => ({ ok: true, detail: 'writable' }) },
    ...(schedulerRuns === undefined ? {} : { schedulerRuns }),
  });
  health.phase = 'running';
  health.addAdapter({
    platform: 'discord',
    mode: '2 of 2 shards (0, 1)',
    ready: () => true,
    shards: typeof states === 'function' ? states : async () => states,
  });
  return health;
}

describe('readiness with shards', () => {
  it('lists every shard and is ready when all are', async () => {
    const report = await monitor([
      { id: 0, status: 'ready', ping: 41.6, guilds: 1250 },
      { id: 1, status: 'ready', guilds: 1 },
    ]).readiness();
    expect(report.status).toBe('ready');
    expect(report.shards).toEqual([
      { platform: 'discord', id: 0, status: 'ready', ping: 41.6, guilds: 1250 },
      { platform: 'discord', id: 1, status: 'ready', guilds: 1 },
    ]);
    expect(report.checks['discord shard 0']).toEqual({ ok: true, detail: 'ready, ping 42 ms, 1250 guilds' });
    expect(report.checks['discord shard 1']).toEqual({ ok: true, detail: 'ready, 1 guild' });
  });

  it('is not ready while one shard is not', async () => {
    const report = await monitor([
      { id: 0, status: 'ready', guilds: 3 },
      { id: 1, status: 'process not running', guilds: 0 },
    ]).readiness();
    expect(report.status).toBe('degraded');
    expect(report.checks['discord shard 1']).toEqual({ ok: false, detail: 'process not running, 0 guilds' });
  });

  it('still answers when the shards cannot be asked', async () => {
    const report = await monitor(() => Promise.reject(new Error('gone'))).readiness();
    expect(report.status).toBe('ready');
    expect(report.shards).toBeUndefined();
  });

  it('expects no scheduler tick in a process that leaves scheduled work to another', async () => {
    const report = await monitor([{ id: 0, status: 'ready', guilds: 1 }], false).readiness();
    expect(report.checks.scheduler).toEqual({
      ok: true,
      detail: 'runs in another process (SCHEDULED_WORK=off)',
    });
    expect(report.status).toBe('ready');
  });
});
