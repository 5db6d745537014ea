/**
 * The request pace a fleet shares through PostgreSQL: slots booked by several "processes" (one pool
 * each) are evenly spaced whoever books them, and a request waits for its slot.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Logger, silentLogger } from '../../src/core/log.ts';
import { sharedPace } from '../../src/fleet/pace.ts';
import type { FleetRepo, Storage } from '../../src/store/ports.ts';
import { type TestSchema, testSchema } from '../helpers/pg.ts';

let schema: TestSchema;
const open: Storage[] = [];

async function fleetRepo(): Promise<FleetRepo> {
  const s = await schema.open({ poolSize: 2 });
  open.push(s);
  return s.fleet as FleetRepo;
}

beforeAll(() => {
  schema = testSchema();
});
beforeEach(async () => {
  await schema.reset();
});
afterAll(async () => {
  for (const s of open) await s.close();
  await schema?.drop();
});

describe('shared request pace', () => {
  it('gives each booking its own slot, one interval apart, across processes', async () => {
    const [a, b] = [await fleetRepo(), await fleetRepo()];
    // A long interval, so the milliseconds between bookings cannot blur the slots.
    const waits = await Promise.all(
      Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).paceSlot('discord', 1000)),
    );
    const sorted = [...waits].sort((x, y) => x - y);
    sorted.forEach((wait, k) => {
      expect(wait).toBeGreaterThan(k * 1000 - 500);
      expect(wait).toBeLessThanOrEqual(k * 1000 + 1);
    });
    // Another pace is counted apart.
    expect(await a.paceSlot('slack', 1000)).toBe(0);
  });

  it('starts at once when the pace has been idle', async () => {
    const repo = await fleetRepo();
    expect(await repo.paceSlot('discord', 10)).toBe(0);
    await new Promise((r) => setTimeout(r, 30));
    expect(await repo.paceSlot('discord', 10)).toBe(0);
  });

  it('makes a request wait for its slot', async () => {
    const repo = await fleetRepo();
    const pace = sharedPace(repo, 'discord', 20, silentLogger);
    const started = performance.now();
    await Promise.all(Array.from({ length: 5 }, () => pace()));
    // Five slots 50 ms apart: the last one 200 ms after the first.
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('gives up the wait when the request is aborted', async () => {
    const repo = await fleetRepo();
    const pace = sharedPace(repo, 'discord', 1, silentLogger);
    await pace();
    const controller = new AbortController();
    const waiting = pace(controller.signal);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('sends unpaced when the database cannot be asked, and says so once a minute', async () => {
    const warnings: string[] = [];
    const log = { ...silentLogger, warn: (_: unknown, msg?: string) => warnings.push(String(msg)) } as Logger;
    const broken = {
      paceSlot: () => Promise.reject(new Error('connection terminated')),
    } as unknown as FleetRepo;
    const pace = sharedPace(broken, 'discord', 48, log);
    await pace();
    await pace();
    expect(warnings).toEqual(['could not book a request slot; sending unpaced']);
  });
});
