import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChannelRef, Platform } from '../../src/core/platform.ts';
import { emptyData, SCHEMA_VERSION } from '../../src/store/data.ts';
import {
  forgetWorkspace,
  markWorkspaceAdded,
  markWorkspaceRemoved,
  pendingRemovals,
  purgeRemovedWorkspaces,
  reconcileWorkspaces,
  workspaceFootprint,
  workspaceHooks,
} from '../../src/store/lifecycle.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { MIGRATIONS } from '../../src/store/migrations.ts';
import { openStore } from '../../src/store/open.ts';
import { validateData } from '../../src/store/schema.ts';
import type { Data } from '../../src/store/types.ts';
import { recordingLogger, tempDir } from './helpers.ts';

const DAY = 86_400_000;
const T0 = new Date('2026-11-01T10:00:00Z');
const at = (days: number) => new Date(T0.getTime() + days * DAY);

const A = { platform: 'discord', workspaceId: '730000000000000001' } as const;
/** Its id is a prefix of A's: deletion must go by whole key segments. */
const A_PREFIX = { platform: 'discord', workspaceId: '73000000000000000' } as const;
const B = { platform: 'slack', workspaceId: 'T0B' } as const;
/** The same id as A on another platform. */
const A_ON_SLACK = { platform: 'slack', workspaceId: A.workspaceId } as const;

/** One of everything a workspace can store, shaped as the schema wants it. */
function seed(data: Data, ref: { platform: Platform; workspaceId: string }): void {
  const ws = `${ref.platform}:${ref.workspaceId}`;
  const channel: ChannelRef = { ...ref, channelId: 'C1' };
  const user = { id: 'U1', displayName: 'Ana' };
  const iso = T0.toISOString();
  data.settings[ws] = { hostUserIds: ['U1'], timezone: 'Europe/Berlin' };
  data.subscriptions[`${ws}:C1`] = {
    channel,
    time: '08:00',
    timezone: 'Europe/Berlin',
    days: 'every',
    createdAt: iso,
    createdBy: user,
  };
  data.deliveries[`${ws}:C1`] = { '2026-11-01': { status: 'sent', at: iso, messageId: 'm1' } };
  data.quizSessions[`${ws}:C1`] = {
    id: 'g1',
    channel,
    startedBy: user,
    startedAt: iso,
    updatedAt: iso,
    mode: 'race',
    seconds: 20,
    questionIds: ['q1'],
    current: 0,
    rounds: [],
    streaks: {},
  };
  data.quizResults[`${ws}:C1:g0`] = {
    id: 'g0',
    channel,
    startedBy: user,
    startedAt: iso,
    endedAt: iso,
    mode: 'race',
    practice: false,
    stopped: false,
    rounds: [],
    players: [],
  };
  data.scores[`${ws}:all`] = { ...ref, period: 'all', users: {} };
  data.study[`${ws}:U1`] = {
    ...ref,
    userId: 'U1',
    displayName: 'Ana',
    games: 1,
    practiceGames: 0,
    topics: {},
    history: [],
    updatedAt: iso,
  };
  data.claims[`${ws}:C1:2026-11-01`] = { at: iso };
  // A collection a later feature adds: deletion must reach it too.
  const extra = data as unknown as { quizSchedules?: Record<string, unknown> };
  extra.quizSchedules ??= {};
  extra.quizSchedules[`${ws}:C1:night`] = { at: '20:00' };
}

function storeWith(...refs: { platform: Platform; workspaceId: string }[]): MemoryStore {
  const data = emptyData();
  for (const ref of refs) seed(data, ref);
  return new MemoryStore(data);
}

/** Every key in every collection, for before/after comparisons. */
function keysOf(data: Readonly<Data>): string[] {
  return Object.entries(data).flatMap(([name, value]) =>
    typeof value === 'object' && value !== null ? Object.keys(value).map((k) => `${name}/${k}`) : [],
  );
}

const EVERYTHING = {
  settings: 1,
  subscriptions: 1,
  deliveries: 1,
  quizSessions: 1,
  quizResults: 1,
  scores: 1,
  study: 1,
  claims: 1,
  quizSchedules: 1,
};

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

describe('forgetWorkspace', () => {
  it('deletes every collection entry of the workspace and nothing of any other', async () => {
    const store = storeWith(A, A_PREFIX, B, A_ON_SLACK);
    const others = keysOf(store.read()).filter(
      (k) => !k.includes(`discord:${A.workspaceId}:`) && !k.endsWith(`/discord:${A.workspaceId}`),
    );
    expect(workspaceFootprint(store.read(), A)).toEqual(EVERYTHING);

    const report = await forgetWorkspace(store, A);

    expect(report).toEqual(EVERYTHING);
    expect(workspaceFootprint(store.read(), A)).toEqual({});
    expect(keysOf(store.read())).toEqual(others);
    for (const ref of [A_PREFIX, B, A_ON_SLACK])
      expect(workspaceFootprint(store.read(), ref)).toEqual(EVERYTHING);
  });

  it('reports nothing for a workspace with no data', async () => {
    const store = storeWith(B);
    expect(await forgetWorkspace(store, A)).toEqual({});
    expect(workspaceFootprint(store.read(), B)).toEqual(EVERYTHING);
  });
});

describe('removal and the 30-day purge', () => {
  it('keeps a removed workspace for 30 days, then deletes it and leaves the others', async () => {
    const store = storeWith(A, B);
    expect(await markWorkspaceRemoved(store, A, T0)).toBe(true);
    expect(store.read().removedWorkspaces).toEqual({ [`discord:${A.workspaceId}`]: T0.toISOString() });

    expect(await purgeRemovedWorkspaces(store, at(29.9))).toEqual([]);
    expect(workspaceFootprint(store.read(), A)).toEqual(EVERYTHING);

    const purged = await purgeRemovedWorkspaces(store, at(30.01));
    expect(purged).toEqual([{ ref: A, removedAt: T0.toISOString(), deleted: EVERYTHING }]);
    expect(workspaceFootprint(store.read(), A)).toEqual({});
    expect(store.read().removedWorkspaces).toEqual({});
    expect(workspaceFootprint(store.read(), B)).toEqual(EVERYTHING);
  });

  it('counts from the first removal: a repeated event does not extend the grace', async () => {
    const store = storeWith(A);
    await markWorkspaceRemoved(store, A, T0);
    const writes = store.updates;
    expect(await markWorkspaceRemoved(store, A, at(20))).toBe(false);
    expect(store.updates).toBe(writes);
    expect((await purgeRemovedWorkspaces(store, at(31))).map((p) => p.ref)).toEqual([A]);
  });

  it('keeps everything when the bot is added back within the grace', async () => {
    const store = storeWith(A);
    await markWorkspaceRemoved(store, A, T0);
    expect(await markWorkspaceAdded(store, A)).toBe(true);
    expect(await purgeRemovedWorkspaces(store, at(400))).toEqual([]);
    expect(workspaceFootprint(store.read(), A)).toEqual(EVERYTHING);
  });

  it('writes nothing when an added workspace was never marked or nothing is due', async () => {
    const store = storeWith(A, B);
    expect(await markWorkspaceAdded(store, A)).toBe(false);
    await markWorkspaceRemoved(store, B, at(10));
    const writes = store.updates;
    expect(await purgeRemovedWorkspaces(store, at(20))).toEqual([]);
    expect(store.updates).toBe(writes);
  });

  it('purges only the workspaces past their grace, oldest listed first', async () => {
    const store = storeWith(A, B, A_ON_SLACK);
    await markWorkspaceRemoved(store, B, at(5));
    await markWorkspaceRemoved(store, A, T0);
    expect(pendingRemovals(store.read()).map((p) => p.key)).toEqual([
      `discord:${A.workspaceId}`,
      'slack:T0B',
    ]);
    const purged = await purgeRemovedWorkspaces(store, at(32));
    expect(purged.map((p) => p.ref)).toEqual([A]);
    expect(workspaceFootprint(store.read(), B)).toEqual(EVERYTHING);
    expect(workspaceFootprint(store.read(), A_ON_SLACK)).toEqual(EVERYTHING);
    expect(Object.keys(store.read().removedWorkspaces)).toEqual(['slack:T0B']);
  });

  it('never deletes on a removal date it cannot read', async () => {
    const data = emptyData();
    seed(data, A);
    data.removedWorkspaces[`discord:${A.workspaceId}`] = 'not a date';
    const store = new MemoryStore(data);
    expect(await purgeRemovedWorkspaces(store, at(1000))).toEqual([]);
    expect(workspaceFootprint(store.read(), A)).toEqual(EVERYTHING);
  });

  it('purges durably in the data file, which stays valid', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const data = emptyData();
    seed(data, A);
    seed(data, B);
    data.removedWorkspaces[`discord:${A.workspaceId}`] = T0.toISOString();
    writeFileSync(t.file, JSON.stringify(data));
    // The store's own clock stays at T0 so retention leaves the seeded game alone.
    const store = await openStore({ file: t.file, log: recordingLogger(), now: () => T0 });
    await purgeRemovedWorkspaces(store, at(31));
    await store.close();
    const saved = JSON.parse(readFileSync(t.file, 'utf8'));
    expect(validateData(saved).ok).toBe(true);
    expect(workspaceFootprint(saved, A)).toEqual({});
    expect(workspaceFootprint(saved, B)).toEqual(EVERYTHING);
    expect(saved.removedWorkspaces).toEqual({});
  });
});

describe('schema version 3', () => {
  it('migrates a version 2 file by adding the removal list, keeping everything else', async () => {
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(3);
    const t = tempDir();
    cleanups.push(t.cleanup);
    const v2: Record<string, unknown> = { ...emptyData(), schemaVersion: 2 };
    delete v2.removedWorkspaces;
    seed(v2 as unknown as Data, B);
    writeFileSync(t.file, JSON.stringify(v2));
    const store = await openStore({ file: t.file, log: recordingLogger(), now: () => T0 });
    cleanups.push(() => store.close());
    expect(store.read().schemaVersion).toBe(SCHEMA_VERSION);
    expect(store.read().removedWorkspaces).toEqual({});
    expect(workspaceFootprint(store.read(), B)).toEqual(EVERYTHING);
  });

  it('keeps a removal list that is already there', () => {
    const step = MIGRATIONS[2];
    expect(step?.({ schemaVersion: 2, removedWorkspaces: { 'slack:T1': 'x' } })).toMatchObject({
      schemaVersion: 3,
      removedWorkspaces: { 'slack:T1': 'x' },
    });
  });
});

describe('reconcileWorkspaces', () => {
  it('starts the grace for servers left while offline and cancels it for servers rejoined', async () => {
    const gone = { platform: 'discord', workspaceId: '750000000000000001' } as const;
    const back = { platform: 'discord', workspaceId: '750000000000000002' } as const;
    const store = storeWith(A, gone, back, B);
    await markWorkspaceRemoved(store, back, T0);

    const result = await reconcileWorkspaces(
      store,
      'discord',
      [A.workspaceId, back.workspaceId, '799'],
      at(1),
    );

    expect(result).toEqual({ added: [back.workspaceId], removed: [gone.workspaceId] });
    // Slack's workspace is not Discord's business.
    expect(store.read().removedWorkspaces).toEqual({ [`discord:${gone.workspaceId}`]: at(1).toISOString() });
    expect((await purgeRemovedWorkspaces(store, at(32))).map((p) => p.ref)).toEqual([gone]);
    for (const ref of [A, back, B]) expect(workspaceFootprint(store.read(), ref)).toEqual(EVERYTHING);
  });

  it('keeps the first removal date and writes nothing when all is in order', async () => {
    const store = storeWith(A, B);
    await markWorkspaceRemoved(store, A, T0);
    const writes = store.updates;
    expect(await reconcileWorkspaces(store, 'discord', [], at(5))).toEqual({ added: [], removed: [] });
    expect(await reconcileWorkspaces(store, 'slack', ['T0B'], at(5))).toEqual({ added: [], removed: [] });
    expect(store.updates).toBe(writes);
    expect(store.read().removedWorkspaces[`discord:${A.workspaceId}`]).toBe(T0.toISOString());
  });
});

describe('workspaceHooks', () => {
  it('notes removals and additions from adapter events, logs them and never throws', async () => {
    const store = storeWith(A, B);
    const log = recordingLogger();
    const hooks = workspaceHooks(store, log, () => T0);
    hooks.workspaceRemoved(A);
    await expect
      .poll(() => store.read().removedWorkspaces)
      .toEqual({ [`discord:${A.workspaceId}`]: T0.toISOString() });
    const note = log.entries.find((e) => e.msg.startsWith('removed from a workspace'));
    expect(note?.fields).toMatchObject({ workspace: `discord:${A.workspaceId}`, deleteOn: '2026-12-01' });
    hooks.workspaceAdded(A);
    await expect.poll(() => store.read().removedWorkspaces).toEqual({});

    const broken = workspaceHooks(
      Object.assign(Object.create(store) as MemoryStore, {
        update: () => Promise.reject(new Error('disk full')),
      }),
      log,
      () => T0,
    );
    expect(() => broken.workspaceRemoved(B)).not.toThrow();
    await expect
      .poll(() =>
        log.entries.some((e) => e.level === 'error' && e.msg === 'could not note a workspace removal'),
      )
      .toBe(true);
    await broken.purge();
    await broken.reconcile('discord', () => {
      throw new Error('not connected');
    });
    expect(log.entries.filter((e) => e.level === 'error').map((e) => e.msg)).toEqual([
      'could not note a workspace removal',
      'could not compare the stored workspaces with the connected ones',
    ]);
  });

  it('purges on demand and logs what went', async () => {
    const store = storeWith(A, B);
    await markWorkspaceRemoved(store, A, T0);
    const log = recordingLogger();
    await workspaceHooks(store, log, () => at(31)).purge();
    expect(workspaceFootprint(store.read(), A)).toEqual({});
    expect(
      log.entries.find((e) => e.msg === 'deleted the data of a removed workspace')?.fields,
    ).toMatchObject({
      workspace: `discord:${A.workspaceId}`,
      removedAt: T0.toISOString(),
      deleted: EVERYTHING,
    });
  });
});
