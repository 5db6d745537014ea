import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChannelRef } from '../../src/core/platform.ts';
import { emptyData } from '../../src/store/data.ts';
import { claimDelivery, recordDelivery } from '../../src/store/deliveries.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { openStore } from '../../src/store/open.ts';
import { DEFAULT_RETENTION, prune } from '../../src/store/retention.ts';
import type { Data, QuizResult, QuizSession } from '../../src/store/types.ts';
import { recordingLogger, tempDir } from './helpers.ts';

const NOW = new Date('2026-11-26T12:00:00Z');
const DAY = 86_400_000;
const ago = (days: number) => new Date(NOW.getTime() - days * DAY).toISOString();
const dateAgo = (days: number) => ago(days).slice(0, 10);
const channel: ChannelRef = { platform: 'discord', workspaceId: 'g1', channelId: 'c1' };
const user = { id: 'u1', displayName: 'Maria' };

function result(endedDaysAgo: number): QuizResult {
  return {
    id: `game${endedDaysAgo}`,
    channel,
    startedBy: user,
    startedAt: ago(endedDaysAgo),
    endedAt: ago(endedDaysAgo),
    mode: 'race',
    practice: false,
    stopped: false,
    rounds: [],
    players: [],
  };
}

function session(updatedDaysAgo: number): QuizSession {
  return {
    id: 's',
    channel,
    startedBy: user,
    startedAt: ago(updatedDaysAgo),
    updatedAt: ago(updatedDaysAgo),
    mode: 'race',
    seconds: 20,
    questionIds: ['q1'],
    current: 0,
    rounds: [],
    streaks: {},
  };
}

describe('retention', () => {
  it('prunes every time-growing collection past its rule and keeps the rest', () => {
    const data: Data = emptyData();
    data.deliveries['discord:g1:c1'] = {
      [dateAgo(61)]: { status: 'sent', at: ago(61) },
      [dateAgo(59)]: { status: 'sent', at: ago(59) },
    };
    data.deliveries['discord:g1:c2'] = { [dateAgo(100)]: { status: 'skipped', at: ago(100) } };
    data.claims = { old: { at: ago(61) }, recent: { at: ago(1) }, undated: { at: 'not a date' } };
    data.quizResults = { a: result(181), b: result(179) };
    data.study['discord:g1:u1'] = {
      platform: 'discord',
      workspaceId: 'g1',
      userId: 'u1',
      displayName: 'Maria',
      games: 1,
      practiceGames: 0,
      topics: {},
      history: [
        { questionId: 'old', correct: true, at: ago(400) },
        ...Array.from({ length: 600 }, (_, i) => ({ questionId: `q${i}`, correct: true, at: ago(10) })),
      ],
      updatedAt: ago(10),
    };
    const board = (period: string) => ({
      platform: 'discord' as const,
      workspaceId: 'g1',
      period,
      users: {},
    });
    data.scores = {
      'discord:g1:all': board('all'),
      'discord:g1:2024-10': board('2024-10'),
      'discord:g1:2024-11': board('2024-11'),
    };
    data.quizSessions = { stuck: session(3), running: session(0) };

    const report = prune(data, NOW);

    expect(Object.keys(data.deliveries)).toEqual(['discord:g1:c1']);
    expect(Object.keys(data.deliveries['discord:g1:c1'] ?? {})).toEqual([dateAgo(59)]);
    expect(Object.keys(data.claims).sort()).toEqual(['recent', 'undated']);
    expect(Object.keys(data.quizResults)).toEqual(['b']);
    const history = data.study['discord:g1:u1']?.history ?? [];
    expect(history).toHaveLength(DEFAULT_RETENTION.studyMaxEntries);
    expect(history.at(-1)?.questionId).toBe('q599'); // the newest stay
    expect(Object.keys(data.scores).sort()).toEqual(['discord:g1:2024-11', 'discord:g1:all']);
    expect(Object.keys(data.quizSessions)).toEqual(['running']);
    expect(report).toEqual({
      deliveries: 2,
      claims: 1,
      quizResults: 1,
      studyEntries: 101,
      scoreBoards: 1,
      quizSessions: 1,
    });
  });

  it('keeps deliveries bounded by subscriptions times 61 days over a simulated year', async () => {
    const store = new MemoryStore();
    const channels = Array.from({ length: 20 }, (_, i): ChannelRef => ({ ...channel, channelId: `c${i}` }));
    let max = 0;
    for (let day = 0; day < 365; day++) {
      const now = new Date(Date.UTC(2026, 0, 1) + day * DAY + 8 * 3_600_000);
      const localDate = now.toISOString().slice(0, 10);
      for (const c of channels) {
        expect(await claimDelivery(store, c, localDate, now)).toBe(true);
        await recordDelivery(store, c, localDate, 'sent', now, { messageId: `m${day}` });
      }
      await store.update((d) => prune(d, now));
      const count = Object.values(store.read().deliveries).reduce(
        (n, byDate) => n + Object.keys(byDate).length,
        0,
      );
      max = Math.max(max, count);
    }
    expect(max).toBe(20 * (DEFAULT_RETENTION.deliveryDays + 1));
  });

  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const fn of cleanups.splice(0)) fn();
  });

  it('runs on open and again while writing once the interval has passed', async () => {
    const { file, cleanup } = tempDir();
    cleanups.push(cleanup);
    let now = NOW;
    const seed = await openStore({ file, log: recordingLogger(), now: () => now });
    await seed.update((d) => {
      d.deliveries['discord:g1:c1'] = {
        [dateAgo(70)]: { status: 'sent', at: ago(70) },
        [dateAgo(59)]: { status: 'sent', at: ago(59) },
      };
    });
    await seed.close();

    const log = recordingLogger();
    const store = await openStore({ file, log, now: () => now });
    const onDisk = () =>
      Object.keys(JSON.parse(readFileSync(file, 'utf8')).deliveries['discord:g1:c1'] ?? {});
    expect(onDisk()).toEqual([dateAgo(59)]);
    expect(log.entries.find((e) => e.msg === 'retention removed old entries')?.fields.pruned).toMatchObject({
      deliveries: 1,
    });

    now = new Date(NOW.getTime() + 2 * DAY);
    await store.update((d) => {
      d.claims.touch = { at: now.toISOString() };
    });
    expect(onDisk()).toEqual([]);
    await store.close();
  });
});

describe('delivery records', () => {
  it('claims a channel and local date exactly once and records what happened', async () => {
    const store = new MemoryStore();
    const results = await Promise.all([1, 2, 3].map(() => claimDelivery(store, channel, '2026-11-26', NOW)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(store.read().deliveries['discord:g1:c1']?.['2026-11-26']).toEqual({
      status: 'pending',
      at: NOW.toISOString(),
    });
    await recordDelivery(store, channel, '2026-11-26', 'sent', NOW, { messageId: '123' });
    expect(store.read().deliveries['discord:g1:c1']?.['2026-11-26']).toEqual({
      status: 'sent',
      at: NOW.toISOString(),
      messageId: '123',
    });
    expect(await claimDelivery(store, channel, '2026-11-27', NOW)).toBe(true);
    expect(await claimDelivery(store, { ...channel, workspaceId: 'g2' }, '2026-11-26', NOW)).toBe(true);
  });
});
