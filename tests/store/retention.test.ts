import { statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChannelRef } from '../../src/core/platform.ts';
import { type DocStorage, memoryStorage } from '../../src/store/doc/index.ts';
import { featureFileFor, openFileStorage } from '../../src/store/open.ts';
import type { PruneReport } from '../../src/store/ports.ts';
import { DEFAULT_RETENTION } from '../../src/store/retention.ts';
import type { StudyRecord } from '../../src/store/schema.ts';
import {
  channelOf,
  featureOnDisk,
  nightFor,
  recordingLogger,
  resultFor,
  sessionFor,
  subscriptionFor,
  tempDir,
} from './helpers.ts';

const NOW = new Date('2026-11-26T12:00:00Z');
const DAY = 86_400_000;
const ago = (days: number) => new Date(NOW.getTime() - days * DAY).toISOString();
const dateAgo = (days: number) => ago(days).slice(0, 10);
const c1 = channelOf('g1', 'c1');
const c2 = channelOf('g1', 'c2');
const ws = { platform: 'discord', workspaceId: 'g1' } as const;

const NOTHING: PruneReport = {
  deliveries: 0,
  quizResults: 0,
  studyEntries: 0,
  scoreBoards: 0,
  quizSessions: 0,
  nightRuns: 0,
  reviewLogs: 0,
  reminderClaims: 0,
  disputes: 0,
  assignments: 0,
};

function studyRecord(history: StudyRecord['history']): StudyRecord {
  return {
    platform: 'discord',
    workspaceId: 'g1',
    userId: 'u1',
    displayName: 'Maria',
    games: 1,
    practiceGames: 0,
    topics: {},
    history,
    updatedAt: ago(10),
  };
}

const board = (period: string) => ({ platform: 'discord' as const, workspaceId: 'g1', period, users: {} });

/** Something past its rule and something just within it, in every time-growing collection. */
async function seed(storage: DocStorage): Promise<void> {
  await storage.docs.daily.update((d) => {
    d.subscriptions['discord:g1:c1'] = subscriptionFor(c1);
    d.deliveries['discord:g1:c1'] = {
      [dateAgo(61)]: { status: 'sent', at: ago(61) },
      [dateAgo(59)]: { status: 'sent', at: ago(59) },
    };
    d.deliveries['discord:g1:c2'] = { [dateAgo(100)]: { status: 'skipped', at: ago(100) } };
  });
  await storage.docs.results.update((d) => {
    d.results['discord:g1:c1:a'] = resultFor(c1, 'a', ago(181));
    d.results['discord:g1:c1:b'] = resultFor(c1, 'b', ago(179));
    d.results['discord:g1:c1:undated'] = resultFor(c1, 'undated', 'not a date');
    d.study['discord:g1:u1'] = studyRecord([
      { questionId: 'old', correct: true, at: ago(400) },
      ...Array.from({ length: 600 }, (_, i) => ({ questionId: `q${i}`, correct: true, at: ago(10) })),
    ]);
    d.study['discord:g1:u2'] = {
      ...studyRecord([{ questionId: 'x', correct: false, at: ago(364) }]),
      userId: 'u2',
    };
    d.scores = {
      'discord:g1:all': board('all'),
      'discord:g1:2024-10': board('2024-10'),
      'discord:g1:2024-11': board('2024-11'),
    };
  });
  await storage.docs.games.update((d) => {
    d.sessions['discord:g1:c1'] = sessionFor(c1, 'stuck', 1, ago(3));
    d.sessions['discord:g1:c2'] = sessionFor(c2, 'running', 1, ago(0.5));
    d.sessions['discord:g1:c3'] = sessionFor(channelOf('g1', 'c3'), 'undated', 1, 'not a date');
  });
  await storage.docs.nights.update((d) => {
    d.nights['discord:g1:c1:n1'] = nightFor(c1, 'n1', {
      [dateAgo(61)]: { skipped: 'paused' },
      [dateAgo(59)]: { reminded: ago(59), started: ago(59) },
    });
  });
}

const EXPECTED_REPORT: PruneReport = {
  deliveries: 2,
  quizResults: 1,
  studyEntries: 101,
  scoreBoards: 1,
  quizSessions: 1,
  nightRuns: 1,
  reviewLogs: 0,
  reminderClaims: 0,
  disputes: 0,
  assignments: 0,
};

/** What is left after pruning the seed at NOW with the default policy. */
async function expectPruned(storage: DocStorage): Promise<void> {
  const daily = storage.docs.daily.read();
  expect(Object.keys(daily.deliveries)).toEqual(['discord:g1:c1']);
  expect(Object.keys(daily.deliveries['discord:g1:c1'] ?? {})).toEqual([dateAgo(59)]);
  expect(Object.keys(daily.subscriptions)).toEqual(['discord:g1:c1']); // subscriptions never expire
  const results = storage.docs.results.read();
  // On files, finished games are held on disk only: the dump reads them back.
  expect(Object.keys((await storage.dump()).results.results).sort()).toEqual([
    'discord:g1:c1:b',
    'discord:g1:c1:undated',
  ]);
  const history = (await storage.results.player(ws, 'u1'))?.history ?? [];
  expect(history).toHaveLength(DEFAULT_RETENTION.studyMaxEntries);
  expect(history.at(0)?.questionId).toBe('q100');
  expect(history.at(-1)?.questionId).toBe('q599'); // the newest stay
  expect((await storage.results.player(ws, 'u2'))?.history).toHaveLength(1);
  expect(Object.keys(results.scores).sort()).toEqual(['discord:g1:2024-11', 'discord:g1:all']);
  expect((await storage.games.all()).map((g) => g.id).sort()).toEqual(['running', 'undated']);
  const [night] = await storage.nights.all();
  expect(Object.keys(night?.runs ?? {})).toEqual([dateAgo(59)]);
}

describe('storage.prune in memory', () => {
  it('prunes every time-growing collection past its rule and keeps the rest', async () => {
    const storage = memoryStorage();
    await seed(storage);
    expect(await storage.prune(NOW)).toEqual(EXPECTED_REPORT);
    await expectPruned(storage);
    // A second run finds nothing more.
    expect(await storage.prune(NOW)).toEqual(NOTHING);
  });

  it('follows the policy it is given', async () => {
    const storage = memoryStorage();
    await seed(storage);
    const report = await storage.prune(NOW, {
      ...DEFAULT_RETENTION,
      deliveryDays: 200,
      resultDays: 1,
      studyMaxEntries: 10,
      sessionIdleDays: 0.25,
      nightRunDays: 30,
    });
    expect(report).toEqual({
      deliveries: 0,
      quizResults: 2,
      studyEntries: 591,
      scoreBoards: 1,
      quizSessions: 2,
      nightRuns: 2,
      reviewLogs: 0,
      reminderClaims: 0,
      disputes: 0,
      assignments: 0,
    });
    expect(Object.keys(storage.docs.results.read().results)).toEqual(['discord:g1:c1:undated']);
    expect((await storage.games.all()).map((g) => g.id)).toEqual(['undated']); // never deletes what it cannot date
  });

  it('keeps deliveries bounded by subscriptions times 61 days over a simulated year', async () => {
    const storage = memoryStorage();
    const channels = Array.from({ length: 20 }, (_, i): ChannelRef => channelOf('g1', `c${i}`));
    let max = 0;
    let pruned = 0;
    for (let day = 0; day < 365; day++) {
      const now = new Date(Date.UTC(2026, 0, 1) + day * DAY + 8 * 3_600_000);
      const localDate = now.toISOString().slice(0, 10);
      for (const c of channels) {
        expect(await storage.daily.claimDelivery(c, localDate, now)).toBe(true);
        await storage.daily.recordDelivery(c, localDate, 'sent', now, { messageId: `m${day}` });
      }
      pruned += (await storage.prune(now)).deliveries;
      const count = Object.values(storage.docs.daily.read().deliveries).reduce(
        (n, byDate) => n + Object.keys(byDate).length,
        0,
      );
      max = Math.max(max, count);
    }
    expect(max).toBe(20 * (DEFAULT_RETENTION.deliveryDays + 1));
    expect(pruned).toBe(20 * 365 - max);
    // The latest deliveries are still readable, newest first.
    expect((await storage.daily.deliveries(channels[0] as ChannelRef, 2)).map((d) => d.date)).toEqual([
      '2026-12-31',
      '2026-12-30',
    ]);
  });
});

describe('storage.prune on files', () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const fn of cleanups.splice(0).reverse()) await fn();
  });

  it('prunes durably, in the feature files that hold the old entries', async () => {
    const { file, cleanup } = tempDir();
    cleanups.push(cleanup);
    const storage = await openFileStorage({ file, log: recordingLogger(), now: () => NOW });
    cleanups.push(() => storage.close());
    await seed(storage);
    await storage.settings.change(ws, (s) => {
      s.timezone = 'Europe/Berlin';
    });
    const settingsWritten = statSync(featureFileFor(file, 'settings')).mtimeMs;
    await new Promise((r) => setTimeout(r, 20));

    expect(await storage.prune(NOW)).toEqual(EXPECTED_REPORT);
    const onDisk = <F extends 'daily' | 'results' | 'games' | 'nights'>(feature: F) =>
      featureOnDisk(file, feature);
    expect(Object.keys(onDisk('daily').deliveries['discord:g1:c1'] ?? {})).toEqual([dateAgo(59)]);
    expect(Object.keys(onDisk('results').results).sort()).toEqual([
      'discord:g1:c1:b',
      'discord:g1:c1:undated',
    ]);
    expect(onDisk('results').study['discord:g1:u1']?.history).toHaveLength(DEFAULT_RETENTION.studyMaxEntries);
    expect(Object.keys(onDisk('games').sessions).sort()).toEqual(['discord:g1:c2', 'discord:g1:c3']);
    expect(Object.keys(onDisk('nights').nights['discord:g1:c1:n1']?.runs ?? {})).toEqual([dateAgo(59)]);
    expect(statSync(featureFileFor(file, 'settings')).mtimeMs).toBe(settingsWritten);

    await storage.close();
    const again = await openFileStorage({ file, log: recordingLogger(), now: () => NOW });
    cleanups.push(() => again.close());
    await expectPruned(again);
    expect(await again.prune(NOW)).toEqual(NOTHING);
  });
});
