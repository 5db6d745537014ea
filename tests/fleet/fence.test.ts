/**
 * The lease's fence in the daily fan-out and the minute clock: a process that loses the scheduler
 * lease midway claims nothing more, leaving the rest to the new holder, and a clock without the
 * lease ticks without running its jobs.
 */
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/log.ts';
import { readiness } from '../../src/health/checks.ts';
import { MinuteClock } from '../../src/schedule/clock.ts';
import { memoryStorage } from '../../src/store/doc/index.ts';
import { RecordingPoster } from '../helpers/poster.ts';
import { Clock, scheduler, sub, subscribe } from '../schedule/daily-fixtures.ts';

describe('the scheduler lease as a fence', () => {
  it('stops a fan-out when the lease is lost: the posts left are unclaimed, and the next holder sends them once', async () => {
    const store = memoryStorage();
    await subscribe(store, ...Array.from({ length: 20 }, (_, i) => sub(`c${i}`, '08:00', 'UTC')));
    const clock = new Clock(Date.parse('2026-03-05T08:00:00Z'));
    const poster = new RecordingPoster();
    const first = scheduler(store, clock, poster);
    first.mayRun = () => poster.posts.length < 5;
    await first.tick();
    const sent = poster.posts.length;
    expect(sent).toBeGreaterThanOrEqual(5);
    expect(sent).toBeLessThan(20);
    const deliveries = Object.values(store.docs.daily.read().deliveries);
    // Nothing claimed and left behind: every claim made was sent.
    expect(deliveries.filter((d) => d['2026-03-05'])).toHaveLength(sent);

    const next = scheduler(store, clock, poster);
    next.mayRun = () => true;
    await next.tick();
    expect(poster.posts).toHaveLength(20);
    expect(new Set(poster.posts.map((p) => p.channel.channelId)).size).toBe(20);
  });

  it('ticks without running its jobs while the gate is closed', async () => {
    const clock = new MinuteClock({ log: silentLogger, now: () => new Date('2026-03-05T08:00:00Z') });
    let runs = 0;
    clock.add('job', async () => {
      runs++;
    });
    let held = false;
    clock.gate = () => held;
    await clock.tick();
    expect(runs).toBe(0);
    expect(clock.lastTick).toBeDefined();
    held = true;
    await clock.tick();
    expect(runs).toBe(1);
  });
});

describe('readiness with several processes', () => {
  const base = {
    phase: 'running' as const,
    adapters: [],
    store: { ok: true, detail: 'ok' },
    lastTick: new Date('2026-03-05T08:00:00Z'),
    now: new Date('2026-03-05T08:00:05Z'),
  };
  it('says whether this process holds the scheduler lease, and stays ready either way', () => {
    expect(readiness({ ...base, leaseHeld: true }).checks.scheduler).toEqual({
      ok: true,
      detail: 'last tick 5 s ago; holds the scheduler lease',
    });
    expect(readiness({ ...base, leaseHeld: false }).checks.scheduler).toEqual({
      ok: true,
      detail: 'last tick 5 s ago; another process holds the scheduler lease',
    });
    expect(readiness(base).checks.scheduler).toEqual({ ok: true, detail: 'last tick 5 s ago' });
  });
});
