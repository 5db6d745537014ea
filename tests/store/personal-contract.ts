/**
 * One person's data on every engine: what each repository lists for `/privacy my-data`, what
 * `forgetLearner` deletes or anonymises, and the per-topic activity exports read.
 */
import { describe, expect, it } from 'vitest';
import { FORGOTTEN_USER } from '../../src/store/forgotten.ts';
import type { Storage, WorkspaceRef } from '../../src/store/ports.ts';
import { answer, channel, result, session } from './contract.ts';
import { card, put } from './study-contract.ts';

const WS: WorkspaceRef = { platform: 'discord', workspaceId: '1' };
const OTHER: WorkspaceRef = { platform: 'discord', workspaceId: '12' };
const topicsOf = (q: string): readonly string[] =>
  q === 'q1' ? ['khrushchev', 'secret-speech'] : ['sputnik'];

/** u1 and u2 in WS (a finished game started by u1, a running game, decks), u1 also in OTHER. */
async function seed(s: Storage): Promise<void> {
  const c1 = channel('c1', WS);
  await s.results.record(
    result(
      c1,
      'g1',
      '2026-03-01T10:10:00.000Z',
      [
        { userId: 'u1', points: 30 },
        { userId: 'u2', points: 20 },
      ],
      {
        startedBy: { id: 'u1', displayName: 'Name u1' },
      },
    ),
    topicsOf,
  );
  await s.results.record(
    result(channel('c9', OTHER), 'g9', '2026-03-01T11:00:00.000Z', [
      { userId: 'u1', points: 5 },
      { userId: 'u3', points: 1 },
    ]),
    topicsOf,
  );
  await s.results.noteAnswer(
    WS,
    { id: 'u1', displayName: 'Name u1' },
    {
      questionId: 'q2',
      topics: ['sputnik'],
      correct: true,
      at: '2026-03-02T09:00:00.000Z',
      source: 'daily',
    },
  );
  const running = channel('c2', WS);
  await s.games.create(
    session(running, 'g2', { startedBy: { id: 'u1', displayName: 'Name u1' }, streaks: { u1: 1, u2: 0 } }),
  );
  await s.games.recordAnswer(running, 'g2', 0, answer('u1'));
  await s.games.recordAnswer(running, 'g2', 0, answer('u2'));
  for (const ws of [WS, OTHER])
    await s.study.changeCard(
      ws,
      'u1',
      'q1',
      put(card('q1', '2026-04-01T10:00:00.000Z', { stability: 30 }), ['khrushchev']),
    );
  await s.study.changeCard(
    WS,
    'u1',
    'q2',
    put(card('q2', '2026-03-05T10:00:00.000Z', { lastReview: '2026-03-02T10:00:00.000Z' })),
  );
  await s.study.changeCard(WS, 'u2', 'q2', put(card('q2', '2026-03-05T10:00:00.000Z')));
  await s.study.changeProfile(WS, 'u1', (p) => {
    p.reminder = { time: '08:00', timezone: 'Europe/Berlin' };
  });
  await s.study.claimReminder(WS, 'u1', '2026-03-02', new Date('2026-03-02T07:00:00Z'));
}

export function personalDataContract(get: () => { s: Storage }): void {
  describe('personal data', () => {
    it('learnerData lists what each repository holds about the person in that workspace only', async () => {
      const { s } = get();
      await seed(s);
      const results = await s.results.learnerData(WS, 'u1');
      expect(results.playerRecord).toMatchObject({ userId: 'u1', games: 1 });
      expect(results.leaderboards).toEqual([
        expect.objectContaining({ period: '2026-03', points: 30 }),
        expect.objectContaining({ period: 'all', points: 30 }),
      ]);
      expect(results.finishedGames).toEqual([
        expect.objectContaining({
          gameId: 'g1',
          startedByYou: true,
          result: expect.objectContaining({ userId: 'u1', points: 30 }),
          answers: [
            expect.objectContaining({ questionId: 'q1' }),
            expect.objectContaining({ questionId: 'q2' }),
          ],
        }),
      ]);
      const games = await s.games.learnerData(WS, 'u1');
      expect(games.runningGames).toEqual([
        expect.objectContaining({
          gameId: 'g2',
          answers: [expect.objectContaining({ questionId: 'q1', userId: 'u1' })],
        }),
      ]);
      const study = await s.study.learnerData(WS, 'u1');
      expect((study.cards as unknown[]).length).toBe(2);
      expect((study.log as unknown[]).length).toBe(2);
      expect(study.profile).toMatchObject({ reminder: { time: '08:00' } });
      expect(study.reminderClaims).toEqual(['2026-03-02']);
      expect(JSON.parse(JSON.stringify({ results, games, study }))).toEqual({ results, games, study });
      expect(await s.study.learnerData(WS, 'nobody')).toEqual({});
      expect(await s.results.learnerData(WS, 'nobody')).toEqual({});
      expect(await s.games.learnerData(WS, 'nobody')).toEqual({});
    });

    it('forgetLearner deletes the person in one workspace, keeps games without them, and leaves others alone', async () => {
      const { s } = get();
      await seed(s);
      expect(await s.games.forgetLearner(WS, 'u1')).toBe(true);
      expect(await s.results.forgetLearner(WS, 'u1')).toBe(true);
      expect(await s.study.forgetLearner(WS, 'u1')).toBe(true);

      expect((await s.results.leaderboard(WS, 'all', 10)).map((r) => r.userId)).toEqual(['u2']);
      expect(await s.results.standing(WS, '2026-03', 'u1')).toBeUndefined();
      expect(await s.results.player(WS, 'u1')).toBeUndefined();
      expect(await s.results.has(channel('c1', WS), 'g1')).toBe(true);
      expect(await s.results.recentQuestionIds(channel('c1', WS), 1)).toEqual(['q1', 'q2']);
      const running = await s.games.get(channel('c2', WS));
      expect(running?.startedBy).toEqual(FORGOTTEN_USER);
      expect(Object.keys(running?.rounds[0]?.answers ?? {})).toEqual(['u2']);
      expect(running?.streaks).toEqual({ u2: 0 });
      expect(await s.study.cards(WS, 'u1')).toEqual([]);
      expect(await s.study.reminders()).toEqual([]);
      for (const repo of [s.results, s.games, s.study]) expect(await repo.learnerData(WS, 'u1')).toEqual({});
      expect((await s.study.activity(WS, activityQuery())).map((a) => a.userId)).toEqual(['u2']);
      expect((await s.results.playerNames(WS)).map((n) => n.userId)).toEqual(['u2']);

      // The other learner and the same person in another workspace are untouched.
      expect(await s.results.player(WS, 'u2')).toMatchObject({ games: 1 });
      expect((await s.study.cards(WS, 'u2')).length).toBe(1);
      expect(await s.results.player(OTHER, 'u1')).toMatchObject({ games: 1 });
      expect((await s.study.cards(OTHER, 'u1')).length).toBe(1);
      expect((await s.results.learnerData(OTHER, 'u1')).finishedGames).toHaveLength(1);

      // Again: nothing left to delete.
      for (const repo of [s.results, s.games, s.study])
        expect(await repo.forgetLearner(WS, 'u1')).toBe(false);
    });

    it('a finished game keeps its other players but not the forgotten one', async () => {
      const { s } = get();
      await seed(s);
      await s.results.forgetLearner(WS, 'u1');
      const [game] = (await s.results.learnerData(WS, 'u2')).finishedGames as Record<string, unknown>[];
      expect(game).toMatchObject({ gameId: 'g1', startedByYou: false });
      const data = JSON.stringify(await s.results.learnerData(WS, 'u2'));
      expect(data).not.toContain('"u1"');
      expect(data).not.toContain('Name u1');
    });

    it('activity sums answers per learner and topic in [from, to) and counts mastered cards', async () => {
      const { s } = get();
      await seed(s);
      const rows = await s.study.activity(WS, activityQuery());
      expect(rows).toEqual([
        {
          userId: 'u1',
          topic: 'khrushchev',
          answered: 1,
          correct: 1,
          lastAt: '2026-03-01T10:00:00.000Z',
          mastered: 1,
        },
        {
          userId: 'u1',
          topic: 'secret-speech',
          answered: 1,
          correct: 1,
          lastAt: '2026-03-01T10:00:00.000Z',
          mastered: 1,
        },
        {
          userId: 'u1',
          topic: 'sputnik',
          answered: 1,
          correct: 1,
          lastAt: '2026-03-02T10:00:00.000Z',
          mastered: 0,
        },
        {
          userId: 'u2',
          topic: 'sputnik',
          answered: 1,
          correct: 1,
          lastAt: '2026-03-01T10:00:00.000Z',
          mastered: 0,
        },
      ]);
      // The end is excluded, the start included; questions not in the map are left out.
      const narrow = await s.study.activity(WS, {
        ...activityQuery(),
        from: new Date('2026-03-01T10:00:00.000Z'),
        to: new Date('2026-03-02T10:00:00.000Z'),
        topicsOf: new Map([['q1', ['khrushchev']]]),
      });
      expect(narrow).toEqual([
        {
          userId: 'u1',
          topic: 'khrushchev',
          answered: 1,
          correct: 1,
          lastAt: '2026-03-01T10:00:00.000Z',
          mastered: 1,
        },
      ]);
      expect(
        await s.study.activity(OTHER, { ...activityQuery(), from: new Date('2026-03-02T00:00:00Z') }),
      ).toEqual([]);
    });

    it('playerNames lists the workspace’s players with their names', async () => {
      const { s } = get();
      await seed(s);
      const names = (await s.results.playerNames(WS)).sort((a, b) => a.userId.localeCompare(b.userId));
      expect(names).toEqual([
        { userId: 'u1', displayName: 'Name u1' },
        { userId: 'u2', displayName: 'Name u2' },
      ]);
    });
  });
}

function activityQuery() {
  return {
    from: new Date('2026-02-01T00:00:00.000Z'),
    to: new Date('2026-04-01T00:00:00.000Z'),
    topicsOf: new Map<string, readonly string[]>([
      ['q1', ['khrushchev', 'secret-speech']],
      ['q2', ['sputnik']],
    ]),
    masteredDays: 21,
  };
}
