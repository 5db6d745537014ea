import { describe, expect, it } from 'vitest';
import { UpdateBudget } from '../../src/adapters/slack/budget.ts';
import { ReplayGuard } from '../../src/adapters/slack/replay.ts';
import { UserDirectory } from '../../src/adapters/slack/users.ts';
import { silentLogger } from '../../src/core/log.ts';

function clock(start = 1_800_000_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('ReplayGuard', () => {
  it('accepts a signature once within five minutes, then again after', () => {
    const c = clock();
    const guard = new ReplayGuard(5 * 60_000, c.now);
    const ts = c.now() / 1000;
    expect(guard.accept('v0=a', ts)).toBe(true);
    expect(guard.accept('v0=a', ts)).toBe(false);
    expect(guard.accept('v0=b', ts)).toBe(true);
    c.advance(5 * 60_000 - 1);
    expect(guard.accept('v0=a', ts)).toBe(false);
    c.advance(1);
    expect(guard.accept('v0=a', ts)).toBe(true);
  });

  it('refuses timestamps more than five minutes in the future', () => {
    const c = clock();
    const guard = new ReplayGuard(5 * 60_000, c.now);
    expect(guard.accept('v0=f', c.now() / 1000 + 301)).toBe(false);
    expect(guard.accept('v0=g', c.now() / 1000 + 60)).toBe(true);
  });

  it('forgets old signatures so memory stays bounded', () => {
    const c = clock();
    const guard = new ReplayGuard(5 * 60_000, c.now, 100);
    for (let i = 0; i < 1000; i++) guard.accept(`v0=${i}`, c.now() / 1000);
    expect(guard.size).toBeLessThanOrEqual(101);
    c.advance(6 * 60_000);
    guard.accept('v0=late', c.now() / 1000);
    expect(guard.size).toBe(1);
  });
});

describe('UpdateBudget', () => {
  it('edits one message at most every minIntervalMs', () => {
    const c = clock();
    const budget = new UpdateBudget({ now: c.now, minIntervalMs: 4_000 });
    expect(budget.tryTake('slack:T1', 'm1')).toBe(true);
    expect(budget.tryTake('slack:T1', 'm1')).toBe(false);
    expect(budget.waitMs('slack:T1', 'm1')).toBe(4_000);
    expect(budget.tryTake('slack:T1', 'm2')).toBe(true);
    c.advance(4_000);
    expect(budget.tryTake('slack:T1', 'm1')).toBe(true);
  });

  it('allows about 50 edits a minute per workspace, separately for each workspace', () => {
    const c = clock();
    const budget = new UpdateBudget({ now: c.now, perMinute: 50, minIntervalMs: 0 });
    for (let i = 0; i < 50; i++) expect(budget.tryTake('slack:T1', `m${i}`)).toBe(true);
    expect(budget.tryTake('slack:T1', 'another')).toBe(false);
    expect(budget.tryTake('slack:T2', 'm0')).toBe(true);
    expect(budget.waitMs('slack:T1', 'another')).toBe(60_000);
    c.advance(60_000);
    expect(budget.tryTake('slack:T1', 'another')).toBe(true);
  });

  it('defaults to a safe margin under Slack limits', () => {
    const c = clock();
    const budget = new UpdateBudget({ now: c.now });
    let taken = 0;
    for (let s = 0; s < 60; s++) {
      for (let m = 0; m < 5; m++) if (budget.tryTake('slack:T1', `m${m}`)) taken++;
      c.advance(1_000);
    }
    expect(taken).toBeLessThanOrEqual(50);
    expect(taken).toBeGreaterThan(30);
  });
});

describe('UserDirectory', () => {
  function fakeClient(users: Record<string, { is_admin?: boolean; is_owner?: boolean; name?: string }>) {
    const calls: string[] = [];
    const client = {
      users: {
        info: async ({ user }: { user: string }) => {
          calls.push(user);
          const u = users[user];
          if (!u) throw Object.assign(new Error('user_not_found'), { data: { error: 'user_not_found' } });
          return { ok: true, user: { id: user, ...u, profile: { display_name: u.name } } };
        },
      },
    };
    return { client: client as unknown as ConstructorParameters<typeof UserDirectory>[0], calls };
  }

  it('reads admin and owner status and caches it for the TTL', async () => {
    const c = clock();
    const { client, calls } = fakeClient({
      UA: { is_admin: true, name: 'Ada' },
      UO: { is_owner: true },
      UM: { name: 'Max' },
    });
    const dir = new UserDirectory(client, silentLogger, 60_000, c.now);
    expect(await dir.lookup('T1', 'UA', 'ada')).toEqual({ isAdmin: true, displayName: 'Ada' });
    expect((await dir.lookup('T1', 'UO', 'olga')).isAdmin).toBe(true);
    expect(await dir.lookup('T1', 'UM', 'max')).toEqual({ isAdmin: false, displayName: 'Max' });
    await dir.lookup('T1', 'UA', 'ada');
    expect(calls).toEqual(['UA', 'UO', 'UM']);
    c.advance(60_001);
    await dir.lookup('T1', 'UA', 'ada');
    expect(calls).toEqual(['UA', 'UO', 'UM', 'UA']);
  });

  it('shares one lookup between concurrent requests', async () => {
    const { client, calls } = fakeClient({ UA: { is_admin: true } });
    const dir = new UserDirectory(client, silentLogger);
    await Promise.all([
      dir.lookup('T1', 'UA', 'a'),
      dir.lookup('T1', 'UA', 'a'),
      dir.lookup('T1', 'UA', 'a'),
    ]);
    expect(calls).toEqual(['UA']);
  });

  it('treats a failed lookup as a member with the name Slack sent', async () => {
    const { client } = fakeClient({});
    const dir = new UserDirectory(client, silentLogger);
    expect(await dir.lookup('T1', 'UX', 'xavier')).toEqual({ isAdmin: false, displayName: 'xavier' });
  });
});
