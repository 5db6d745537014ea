import { afterEach, describe, expect, it } from 'vitest';
import type { ChannelRef, Platform } from '../../src/core/platform.ts';
import { type DocStorage, memoryStorage } from '../../src/store/doc/index.ts';
import { FEATURES, featureSchemas } from '../../src/store/doc/shapes.ts';
import { purgeRemovedWorkspaces, reconcileWorkspaces, workspaceHooks } from '../../src/store/lifecycle.ts';
import { openFileStorage } from '../../src/store/open.ts';
import type { Footprint, WorkspacesRepo } from '../../src/store/ports.ts';
import {
  featureOnDisk,
  nightFor,
  recordingLogger,
  resultFor,
  sessionFor,
  subscriptionFor,
  tempDir,
} from './helpers.ts';

const DAY = 86_400_000;
const T0 = new Date('2026-11-01T10:00:00Z');
const at = (days: number) => new Date(T0.getTime() + days * DAY);

type Ref = { platform: Platform; workspaceId: string };
const A = { platform: 'discord', workspaceId: '730000000000000001' } as const;
/** Its id is a prefix of A's: deletion must go by whole key segments. */
const A_PREFIX = { platform: 'discord', workspaceId: '73000000000000000' } as const;
const B = { platform: 'slack', workspaceId: 'T0B' } as const;
/** The same id as A on another platform. */
const A_ON_SLACK = { platform: 'slack', workspaceId: A.workspaceId } as const;

/** One of everything a workspace can store, through the documents as the repositories store it. */
async function seed(storage: DocStorage, ref: Ref): Promise<void> {
  const ws = `${ref.platform}:${ref.workspaceId}`;
  const channel: ChannelRef = { ...ref, channelId: 'C1' };
  const iso = T0.toISOString();
  await storage.settings.change(ref, (s) => {
    s.hostUserIds.push('U1');
    s.timezone = 'Europe/Berlin';
  });
  await storage.daily.subscribe(subscriptionFor(channel));
  await storage.daily.recordDelivery(channel, '2026-11-01', 'sent', T0, { messageId: 'm1' });
  await storage.games.create(sessionFor(channel, 'g1', 1, iso));
  // A practice game: a result and a player record, but no leaderboard.
  await storage.results.record(
    resultFor(channel, 'g0', iso, [{ userId: 'U1', points: 10 }], { practice: true }),
    () => [],
  );
  await storage.docs.results.update((d) => {
    d.scores[`${ws}:all`] = { ...ref, period: 'all', users: {} };
  });
  await storage.nights.add(nightFor(channel, 'night'));
}

async function storageWith(...refs: Ref[]): Promise<DocStorage> {
  const storage = memoryStorage();
  for (const ref of refs) await seed(storage, ref);
  return storage;
}

/** Every key in every collection of every feature document, for before/after comparisons. */
function keysOf(storage: DocStorage): string[] {
  return FEATURES.flatMap((feature) =>
    Object.entries(storage.docs[feature].read()).flatMap(([name, value]) =>
      typeof value === 'object' && value !== null
        ? Object.keys(value).map((k) => `${feature}.${name}/${k}`)
        : [],
    ),
  );
}

const EVERYTHING: Footprint = {
  settings: 1,
  subscriptions: 1,
  deliveries: 1,
  quizSessions: 1,
  quizResults: 1,
  scores: 1,
  study: 1,
  quizNights: 1,
};

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

describe('workspaces.footprint and forget', () => {
  it('deletes every entry of the workspace, its removal mark included, and nothing of any other', async () => {
    const storage = await storageWith(A, A_PREFIX, B, A_ON_SLACK);
    await storage.workspaces.markRemoved(A, T0);
    await storage.workspaces.markRemoved(B, T0);
    const others = keysOf(storage).filter(
      (k) => !k.includes(`/discord:${A.workspaceId}:`) && !k.endsWith(`/discord:${A.workspaceId}`),
    );
    expect(await storage.workspaces.footprint(A)).toEqual(EVERYTHING);

    const report = await storage.workspaces.forget(A);

    expect(report).toEqual(EVERYTHING);
    expect(await storage.workspaces.footprint(A)).toEqual({});
    expect(keysOf(storage)).toEqual(others);
    expect(Object.keys(storage.docs.workspaces.read().removed)).toEqual(['slack:T0B']);
    for (const ref of [A_PREFIX, B, A_ON_SLACK])
      expect(await storage.workspaces.footprint(ref)).toEqual(EVERYTHING);
    expect(await storage.workspaces.forget(A)).toEqual({}); // a repeat finds nothing
  });

  it('reports nothing for a workspace with no data', async () => {
    const storage = await storageWith(B);
    expect(await storage.workspaces.footprint(A)).toEqual({});
    expect(await storage.workspaces.forget(A)).toEqual({});
    expect(await storage.workspaces.footprint(B)).toEqual(EVERYTHING);
  });

  it('counts each kind separately', async () => {
    const storage = await storageWith(B);
    await storage.daily.recordDelivery({ ...B, channelId: 'C2' }, '2026-11-02', 'failed', T0);
    await storage.results.noteAnswer(
      B,
      { id: 'U2', displayName: 'Bo' },
      {
        questionId: 'q',
        topics: [],
        correct: true,
        at: T0.toISOString(),
        source: 'daily',
      },
    );
    expect(await storage.workspaces.footprint(B)).toEqual({ ...EVERYTHING, deliveries: 2, study: 2 });
  });

  it('lists the ids of a platform that have anything stored, from any collection', async () => {
    const storage = await storageWith(A, B);
    await storage.nights.add(nightFor({ platform: 'discord', workspaceId: '799', channelId: 'C9' }));
    await storage.settings.change({ platform: 'slack', workspaceId: 'T0C' }, () => undefined);
    expect((await storage.workspaces.storedIds('discord')).sort()).toEqual([A.workspaceId, '799']);
    expect((await storage.workspaces.storedIds('slack')).sort()).toEqual(['T0B', 'T0C']);
    expect(await storage.workspaces.storedIds('console')).toEqual([]);
  });
});

describe('removal and the 30-day purge', () => {
  it('keeps a removed workspace for 30 days, then deletes it and leaves the others', async () => {
    const storage = await storageWith(A, B);
    expect(await storage.workspaces.markRemoved(A, T0)).toBe(true);
    expect(await storage.workspaces.removed()).toEqual([{ ws: A, removedAt: T0.toISOString() }]);

    expect(await purgeRemovedWorkspaces(storage.workspaces, at(29.9))).toEqual([]);
    expect(await storage.workspaces.footprint(A)).toEqual(EVERYTHING);

    const purged = await purgeRemovedWorkspaces(storage.workspaces, at(30.01));
    expect(purged).toEqual([{ ref: A, removedAt: T0.toISOString(), deleted: EVERYTHING }]);
    expect(await storage.workspaces.footprint(A)).toEqual({});
    expect(await storage.workspaces.removed()).toEqual([]);
    expect(await storage.workspaces.footprint(B)).toEqual(EVERYTHING);
  });

  it('counts from the first removal: a repeated event does not extend the grace', async () => {
    const storage = await storageWith(A);
    await storage.workspaces.markRemoved(A, T0);
    const writes = storage.updates;
    expect(await storage.workspaces.markRemoved(A, at(20))).toBe(false);
    expect(storage.updates).toBe(writes);
    expect((await purgeRemovedWorkspaces(storage.workspaces, at(31))).map((p) => p.ref)).toEqual([A]);
  });

  it('keeps everything when the bot is added back within the grace', async () => {
    const storage = await storageWith(A);
    await storage.workspaces.markRemoved(A, T0);
    expect(await storage.workspaces.markAdded(A)).toBe(true);
    expect(await purgeRemovedWorkspaces(storage.workspaces, at(400))).toEqual([]);
    expect(await storage.workspaces.footprint(A)).toEqual(EVERYTHING);
  });

  it('writes nothing when an added workspace was never marked or nothing is due', async () => {
    const storage = await storageWith(A, B);
    const before = storage.updates;
    expect(await storage.workspaces.markAdded(A)).toBe(false);
    expect(storage.updates).toBe(before);
    await storage.workspaces.markRemoved(B, at(10));
    const writes = storage.updates;
    expect(await purgeRemovedWorkspaces(storage.workspaces, at(20))).toEqual([]);
    expect(storage.updates).toBe(writes);
  });

  it('purges only the workspaces past their grace, oldest listed first', async () => {
    const storage = await storageWith(A, B, A_ON_SLACK);
    await storage.workspaces.markRemoved(B, at(5));
    await storage.workspaces.markRemoved(A, T0);
    expect((await storage.workspaces.removed()).map((r) => r.ws)).toEqual([A, B]);
    const purged = await purgeRemovedWorkspaces(storage.workspaces, at(32));
    expect(purged.map((p) => p.ref)).toEqual([A]);
    expect(await storage.workspaces.footprint(B)).toEqual(EVERYTHING);
    expect(await storage.workspaces.footprint(A_ON_SLACK)).toEqual(EVERYTHING);
    expect(Object.keys(storage.docs.workspaces.read().removed)).toEqual(['slack:T0B']);
    // A custom grace.
    expect((await purgeRemovedWorkspaces(storage.workspaces, at(32), 7)).map((p) => p.ref)).toEqual([B]);
  });

  it('never deletes on a removal date it cannot read', async () => {
    const storage = await storageWith(A);
    await storage.docs.workspaces.update((d) => {
      d.removed[`discord:${A.workspaceId}`] = 'not a date';
    });
    expect(await purgeRemovedWorkspaces(storage.workspaces, at(1000))).toEqual([]);
    expect(await storage.workspaces.footprint(A)).toEqual(EVERYTHING);
  });

  it('purges durably in the feature files, which stay valid', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const storage = await openFileStorage({ file: t.file, log: recordingLogger(), now: () => T0 });
    await seed(storage, A);
    await seed(storage, B);
    await storage.workspaces.markRemoved(A, T0);
    await purgeRemovedWorkspaces(storage.workspaces, at(31));
    await storage.close();

    for (const feature of FEATURES) {
      const saved = featureOnDisk(t.file, feature);
      expect(featureSchemas[feature].safeParse(saved).success, feature).toBe(true);
      expect(JSON.stringify(saved), feature).not.toContain(`discord:${A.workspaceId}`);
    }
    const again = await openFileStorage({ file: t.file, log: recordingLogger(), now: () => T0 });
    cleanups.push(() => again.close());
    expect(await again.workspaces.footprint(A)).toEqual({});
    expect(await again.workspaces.footprint(B)).toEqual(EVERYTHING);
    expect(await again.workspaces.removed()).toEqual([]);
  });
});

describe('reconcileWorkspaces', () => {
  it('starts the grace for servers left while offline and cancels it for servers rejoined', async () => {
    const gone = { platform: 'discord', workspaceId: '750000000000000001' } as const;
    const back = { platform: 'discord', workspaceId: '750000000000000002' } as const;
    const storage = await storageWith(A, gone, back, B);
    await storage.workspaces.markRemoved(back, T0);

    const result = await reconcileWorkspaces(
      storage.workspaces,
      'discord',
      [A.workspaceId, back.workspaceId, '799'],
      at(1),
    );

    expect(result).toEqual({ added: [back.workspaceId], removed: [gone.workspaceId] });
    // Slack's workspace is not Discord's business.
    expect(await storage.workspaces.removed()).toEqual([{ ws: gone, removedAt: at(1).toISOString() }]);
    expect((await purgeRemovedWorkspaces(storage.workspaces, at(32))).map((p) => p.ref)).toEqual([gone]);
    for (const ref of [A, back, B]) expect(await storage.workspaces.footprint(ref)).toEqual(EVERYTHING);
  });

  it('keeps the first removal date and writes nothing when all is in order', async () => {
    const storage = await storageWith(A, B);
    await storage.workspaces.markRemoved(A, T0);
    const writes = storage.updates;
    expect(await reconcileWorkspaces(storage.workspaces, 'discord', [], at(5))).toEqual({
      added: [],
      removed: [],
    });
    expect(await reconcileWorkspaces(storage.workspaces, 'slack', ['T0B'], at(5))).toEqual({
      added: [],
      removed: [],
    });
    expect(storage.updates).toBe(writes);
    expect(await storage.workspaces.removed()).toEqual([{ ws: A, removedAt: T0.toISOString() }]);
  });
});

/** The real repository for reads; every write fails as on a full disk. */
function failingWrites(repo: WorkspacesRepo): WorkspacesRepo {
  const fail = () => Promise.reject(new Error('disk full'));
  return {
    markRemoved: fail,
    markAdded: fail,
    forget: fail,
    removed: () => repo.removed(),
    storedIds: (platform) => repo.storedIds(platform),
    footprint: (ws) => repo.footprint(ws),
    people: (ws) => repo.people(ws),
  };
}

describe('workspaceHooks', () => {
  it('notes removals and additions from adapter events and logs them', async () => {
    const storage = await storageWith(A, B);
    const log = recordingLogger();
    const hooks = workspaceHooks(storage.workspaces, log, () => T0);
    hooks.workspaceRemoved(A);
    await expect
      .poll(() => storage.docs.workspaces.read().removed)
      .toEqual({ [`discord:${A.workspaceId}`]: T0.toISOString() });
    const note = log.entries.find((e) => e.msg.startsWith('removed from a workspace'));
    expect(note?.fields).toMatchObject({ workspace: `discord:${A.workspaceId}`, deleteOn: '2026-12-01' });
    hooks.workspaceRemoved(A); // a repeat is not logged again
    hooks.workspaceAdded(A);
    await expect.poll(() => storage.docs.workspaces.read().removed).toEqual({});
    await expect
      .poll(() => log.entries.some((e) => e.msg === 'added back to a workspace: its data is kept'))
      .toBe(true);
    expect(log.entries.filter((e) => e.msg.startsWith('removed from a workspace'))).toHaveLength(1);
  });

  it('never throws: failures are logged', async () => {
    const storage = await storageWith(A, B);
    await storage.workspaces.markRemoved(B, T0);
    const log = recordingLogger();
    const broken = workspaceHooks(failingWrites(storage.workspaces), log, () => at(31));
    const errors = () => log.entries.filter((e) => e.level === 'error').map((e) => e.msg);

    expect(() => broken.workspaceRemoved(A)).not.toThrow();
    await expect.poll(errors).toEqual(['could not note a workspace removal']);
    expect(() => broken.workspaceAdded(B)).not.toThrow();
    await expect.poll(errors).toContain('could not note a workspace addition');
    await broken.purge(); // B is due, and forgetting it fails
    await broken.reconcile('discord', () => {
      throw new Error('not connected');
    });
    expect(errors()).toEqual([
      'could not note a workspace removal',
      'could not note a workspace addition',
      'could not delete the data of removed workspaces',
      'could not compare the stored workspaces with the connected ones',
    ]);
    expect(await storage.workspaces.footprint(B)).toEqual(EVERYTHING);
  });

  it('reconciles a connected platform and logs both directions', async () => {
    const storage = await storageWith(A, A_PREFIX);
    await storage.workspaces.markRemoved(A, T0);
    const log = recordingLogger();
    await workspaceHooks(storage.workspaces, log, () => at(2)).reconcile('discord', () => [A.workspaceId]);
    expect(await storage.workspaces.removed()).toEqual([{ ws: A_PREFIX, removedAt: at(2).toISOString() }]);
    expect(log.entries.find((e) => e.msg.startsWith('added back while offline'))?.fields).toMatchObject({
      platform: 'discord',
      workspaces: [A.workspaceId],
    });
    expect(log.entries.find((e) => e.msg.startsWith('removed while offline'))?.fields).toMatchObject({
      workspaces: [A_PREFIX.workspaceId],
    });
  });

  it('purges on demand and logs what went', async () => {
    const storage = await storageWith(A, B);
    await storage.workspaces.markRemoved(A, T0);
    const log = recordingLogger();
    await workspaceHooks(storage.workspaces, log, () => at(31)).purge();
    expect(await storage.workspaces.footprint(A)).toEqual({});
    expect(
      log.entries.find((e) => e.msg === 'deleted the data of a removed workspace')?.fields,
    ).toMatchObject({
      workspace: `discord:${A.workspaceId}`,
      removedAt: T0.toISOString(),
      deleted: EVERYTHING,
    });
    expect(await storage.workspaces.footprint(B)).toEqual(EVERYTHING);
  });
});
