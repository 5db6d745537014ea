/**
 * The coordination a fleet relies on, on the real PostgreSQL with one pool per "process": the
 * scheduler lease (taken by one, taken over when its holder is gone), quiz steps stored once, and
 * the shared memory of Slack request signatures.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/log.ts';
import { Lease } from '../../src/fleet/lease.ts';
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
