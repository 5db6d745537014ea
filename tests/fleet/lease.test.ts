/**
 * The coordination a fleet relies on, on the real PostgreSQL with one pool per "process": the
 * scheduler lease (taken by one, taken over when its holder is gone), quiz steps stored once, the
 * shared memory of Slack request signatures, and the request pace shared by all processes (slots
 * evenly spaced whoever books them; a request waits for its slot).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Logger, silentLogger } from '../../src/core/log.ts';
import { Lease } from '../../src/fleet/lease.ts';
import { sharedPace } from '../../src/fleet/pace.ts';
import { newSession } from '../../src/quiz/machine.ts';
import type { FleetRepo, Storage } from '../../src/store/ports.ts';
import { type TestSchema, testSchema } from '../helpers/pg.ts';

let schema: TestSchema;
const open: Storage[] = [];

async function storage(): Promise<Storage & { fleet: FleetRepo }> {
  const s = await schema.open({ poolSize: 1 });
  open.push(s);
  return s as Storage & { fleet: FleetRepo };
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

function lease(repo: FleetRepo, holder: string, ttlMs: number, events: string[] = []): Lease {
  return new Lease({
    repo,
    name: 'scheduler',
    holder,
    ttlMs,
    log: silentLogger,
    onTaken: () => events.push(`${holder} taken`),
    onLost: () => events.push(`${holder} lost`),
  });
}

describe('scheduler lease', () => {
  it('is held by one process at a time, and released on a clean stop to the next', async () => {
    const [a, b] = [await storage(), await storage()];
    const events: string[] = [];
    const first = lease(a.fleet, 'a', 60_000, events);
    const second = lease(b.fleet, 'b', 60_000, events);
    await first.renew();
    await second.renew();
    expect([first.held(), second.held()]).toEqual([true, false]);
    expect((await b.fleet.lease('scheduler'))?.holder).toBe('a');
    await first.renew();
    expect(first.held()).toBe(true);
    await first.stop();
    expect(first.held()).toBe(false);
    await second.renew();
    expect(second.held()).toBe(true);
    expect(events).toEqual(['a taken', 'b taken']);
    await second.stop();
  });

  it('is taken over once the holder stops renewing (its process died), and the holder stops trusting it first', async () => {
    const [a, b] = [await storage(), await storage()];
    let mono = 0;
    const ttlMs = 1_500;
    const holder = new Lease({
      repo: a.fleet,
      name: 'scheduler',
      holder: 'a',
      ttlMs,
      log: silentLogger,
      monotonic: () => mono,
    });
    await holder.renew();
    expect(holder.held()).toBe(true);
    // Its own clock says the lease is near its end: it stops acting before anyone may take over.
    mono = ttlMs - ttlMs / 6;
    expect(holder.held()).toBe(false);
    await a.close();
    const survivor = lease(b.fleet, 'b', ttlMs);
    await survivor.renew();
    expect(survivor.held()).toBe(false);
    await expect
      .poll(
        async () => {
          await survivor.renew();
          return survivor.held();
        },
        { timeout: 5_000, interval: 200 },
      )
      .toBe(true);
    expect((await b.fleet.lease('scheduler'))?.holder).toBe('b');
    await survivor.stop();
  });
});

describe('quiz steps across processes', () => {
  it('stores each step of a game once, whichever process takes it', async () => {
    const [a, b] = [await storage(), await storage()];
    const channel = { platform: 'discord' as const, workspaceId: 'g1', channelId: 'c1' };
    const { session } = newSession(
      {
        id: 'game01',
        channel,
        startedBy: { id: 'u1', displayName: 'Host' },
        mode: 'race',
        seconds: 20,
        questionIds: ['q1', 'q2'],
        at: Date.parse('2026-03-05T10:00:00Z'),
      },
      { random: () => 0.5, pauseMs: 5_000 },
    );
    expect(await a.games.create(session)).toBe(true);
    const revealed = { ...session, rounds: session.rounds.map((r) => ({ ...r, revealed: true })) };
    const results = await Promise.all([
      a.games.saveStep?.(revealed, 'reveal:0'),
      b.games.saveStep?.(revealed, 'reveal:0'),
    ]);
    expect(results.sort()).toEqual([false, true]);
    expect(await b.games.saveStep?.(revealed, 'ask:1')).toBe(true);
    expect((await b.games.get(channel))?.rounds[0]?.revealed).toBe(true);
    await a.games.remove(channel, session.id);
    expect(await a.games.saveStep?.(revealed, 'reveal:1')).toBe(false);
  });
});

describe('Slack request signatures across processes', () => {
  it('accepts a signature once until it expires, whichever process sees it', async () => {
    const [a, b] = [await storage(), await storage()];
    const now = new Date('2026-03-05T10:00:00Z');
    const until = new Date(now.getTime() + 300_000);
    expect(await a.fleet.rememberSignature('sig1', until, now)).toBe(true);
    expect(await b.fleet.rememberSignature('sig1', until, now)).toBe(false);
    expect(await b.fleet.rememberSignature('sig2', until, now)).toBe(true);
    const later = new Date(until.getTime() + 1);
    expect(await b.fleet.rememberSignature('sig1', new Date(later.getTime() + 300_000), later)).toBe(true);
  });
});

describe('shared request pace', () => {
  it('gives each booking its own slot, one interval apart, across processes', async () => {
    const [a, b] = [(await storage()).fleet, (await storage()).fleet];
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
    const repo = (await storage()).fleet;
    expect(await repo.paceSlot('discord', 10)).toBe(0);
    await new Promise((r) => setTimeout(r, 30));
    expect(await repo.paceSlot('discord', 10)).toBe(0);
  });

  it('makes a request wait for its slot', async () => {
    const repo = (await storage()).fleet;
    const pace = sharedPace(repo, 'discord', 20, silentLogger);
    const started = performance.now();
    await Promise.all(Array.from({ length: 5 }, () => pace()));
    // Five slots 50 ms apart: the last one 200 ms after the first.
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('gives up the wait when the request is aborted', async () => {
    const repo = (await storage()).fleet;
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
