import { describe, expect, it } from 'vitest';
import {
  type AdapterState,
  type Check,
  liveness,
  MAX_TICK_AGE_MS,
  type ReadinessInputs,
  readiness,
} from '../../src/health/checks.ts';

const NOW = new Date('2026-11-26T12:00:00Z');
const WRITABLE: Check = { ok: true, detail: 'writable' };
const discord: AdapterState = { platform: 'discord', mode: 'gateway', ready: true };
const slack: AdapterState = { platform: 'slack', mode: 'socket mode', ready: true };

function inputs(over: Partial<ReadinessInputs> = {}): ReadinessInputs {
  return {
    phase: 'running',
    adapters: [discord, slack],
    store: WRITABLE,
    lastTick: new Date(NOW.getTime() - 20_000),
    now: NOW,
    ...over,
  };
}

describe('readiness', () => {
  it('is ready when every adapter is connected, the store writes and the scheduler ticks', () => {
    const report = readiness(inputs());
    expect(report.status).toBe('ready');
    expect(report.checks).toEqual({
      process: { ok: true, detail: 'running' },
      discord: { ok: true, detail: 'connected (gateway)' },
      slack: { ok: true, detail: 'connected (socket mode)' },
      store: WRITABLE,
      scheduler: { ok: true, detail: 'last tick 20 s ago' },
    });
  });

  it('is degraded when one platform of two is disconnected', () => {
    const report = readiness(inputs({ adapters: [{ ...discord, ready: false }, slack] }));
    expect(report.status).toBe('degraded');
    expect(report.checks.discord).toEqual({ ok: false, detail: 'not connected (gateway)' });
    expect(report.checks.slack?.ok).toBe(true);
  });

  it('is degraded when the scheduler has not ticked for more than 3 minutes', () => {
    const fresh = readiness(inputs({ lastTick: new Date(NOW.getTime() - MAX_TICK_AGE_MS) }));
    expect(fresh.status).toBe('ready');
    const stale = readiness(inputs({ lastTick: new Date(NOW.getTime() - MAX_TICK_AGE_MS - 1_000) }));
    expect(stale.status).toBe('degraded');
    expect(stale.checks.scheduler).toEqual({ ok: false, detail: 'last tick 181 s ago (more than 180 s)' });
    const never = readiness(inputs({ lastTick: undefined }));
    expect(never.checks.scheduler).toEqual({ ok: false, detail: 'not started' });
    expect(never.status).toBe('degraded');
  });

  it('is down when no platform is connected', () => {
    const report = readiness(
      inputs({
        adapters: [
          { ...discord, ready: false },
          { ...slack, ready: false },
        ],
      }),
    );
    expect(report.status).toBe('down');
  });

  it('is down when the store cannot write', () => {
    const store = { ok: false, detail: 'the last write failed: ENOSPC' };
    const report = readiness(inputs({ store }));
    expect(report.status).toBe('down');
    expect(report.checks.store).toEqual(store);
  });

  it('is down while starting and while shutting down, whatever else holds', () => {
    for (const phase of ['starting', 'stopping'] as const) {
      const report = readiness(inputs({ phase }));
      expect(report.status).toBe('down');
      expect(report.checks.process?.ok).toBe(false);
    }
    expect(readiness(inputs({ phase: 'starting', adapters: [] })).checks.process?.detail).toBe('starting up');
  });
});

describe('liveness', () => {
  it('is ok while the event loop keeps up and down when it stalled', () => {
    expect(liveness({ lagMs: 12.4, uptimeMs: 65_500 })).toEqual({
      status: 'ok',
      uptimeSeconds: 65,
      checks: { eventLoop: { ok: true, detail: 'responsive (lag 12 ms)' } },
    });
    const stalled = liveness({ lagMs: 7_000, uptimeMs: 1_000 });
    expect(stalled.status).toBe('down');
    expect(stalled.checks.eventLoop.detail).toBe('stalled for 7000 ms (more than 5000 ms)');
  });
});
