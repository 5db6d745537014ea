/**
 * The study repository's part of the storage contract (ports.ts `StudyRepo`): review cards, their
 * log, learner profiles and reminder claims, the same on every engine.
 */
import { describe, expect, it } from 'vitest';
import type { CardChange, Storage, StudyCard, WorkspaceRef } from '../../src/store/ports.ts';
import { DEFAULT_RETENTION } from '../../src/store/retention.ts';

const WS: WorkspaceRef = { platform: 'discord', workspaceId: '1' };
const WS12: WorkspaceRef = { platform: 'discord', workspaceId: '12' };
const SLACK: WorkspaceRef = { platform: 'slack', workspaceId: 'T1' };

export function card(questionId: string, due: string, over: Partial<StudyCard> = {}): StudyCard {
  return {
    questionId,
    due,
    stability: 3.17,
    difficulty: 5.28,
    elapsedDays: 0,
    scheduledDays: 3,
    learningSteps: 0,
    reps: 1,
    lapses: 0,
    state: 'review',
    lastReview: '2026-03-01T10:00:00.000Z',
    addedAt: '2026-03-01T10:00:00.000Z',
    addedBy: 'quiz',
    ...over,
  };
}

/** A change that stores `next` with a log entry at its last review. */
export function put(next: StudyCard, topics?: string[]): (before: StudyCard | undefined) => CardChange {
  return () => ({
    card: next,
    log: {
      questionId: next.questionId,
      at: next.lastReview ?? next.addedAt,
      rating: 3,
      correct: true,
      source: 'quiz',
    },
    ...(topics ? { topics } : {}),
  });
}

export function studyContract(get: () => { s: Storage; reopen?: () => Promise<Storage> }): void {
  describe('study', () => {
    it('changeCard adds a card with its log entry and topics, then changes it, saying what was before', async () => {
      const { s } = get();
      const first = card('q1', '2026-03-04T10:00:00.000Z');
      expect(await s.study.changeCard(WS, 'u1', 'q1', put(first, ['thaw', 'khrushchev']))).toEqual({
        before: undefined,
        card: first,
      });
      const second = card('q1', '2026-03-10T10:00:00.000Z', {
        reps: 2,
        lastReview: '2026-03-04T10:00:00.000Z',
      });
      let seen: StudyCard | undefined;
      const changed = await s.study.changeCard(WS, 'u1', 'q1', (before) => {
        seen = before;
        return put(second, ['thaw', 'sputnik'])(before);
      });
      expect(seen).toEqual(first);
      expect(changed).toEqual({ before: first, card: second });
      expect(await s.study.card(WS, 'u1', 'q1')).toEqual(second);
      expect(await s.study.card(WS, 'u1', 'q2')).toBeUndefined();
      expect(await s.study.card(WS12, 'u1', 'q1')).toBeUndefined();
      expect((await s.study.logs(WS, 'u1', new Date(0))).map((e) => e.at)).toEqual([
        '2026-03-01T10:00:00.000Z',
        '2026-03-04T10:00:00.000Z',
      ]);
      // Topics in the order first noted, each once.
      expect((await s.study.profile(WS, 'u1'))?.topics).toEqual(['thaw', 'khrushchev', 'sputnik']);
    });

    it('a changeCard whose fn throws stores nothing', async () => {
      const { s } = get();
      await expect(
        s.study.changeCard(WS, 'u1', 'q1', () => {
          throw new Error('no');
        }),
      ).rejects.toThrow('no');
      expect(await s.study.card(WS, 'u1', 'q1')).toBeUndefined();
      expect(await s.study.logs(WS, 'u1', new Date(0))).toEqual([]);
      expect(await s.workspaces.footprint(WS)).toEqual({});
    });

    it('concurrent changes of one card all apply, one after the other (none is lost)', async () => {
      const { s } = get();
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          s.study.changeCard(WS, 'u1', 'q1', (before) => {
            const reps = (before?.reps ?? 0) + 1;
            return put(card('q1', '2026-03-04T10:00:00.000Z', { reps }), [`t${i % 3}`])(before);
          }),
        ),
      );
      expect((await s.study.card(WS, 'u1', 'q1'))?.reps).toBe(20);
      expect(await s.study.logs(WS, 'u1', new Date(0))).toHaveLength(20);
      expect((await s.study.profile(WS, 'u1'))?.topics.sort()).toEqual(['t0', 't1', 't2']);
    });

    it('due gives cards due by now, oldest first, at most the limit, of the given questions only', async () => {
      const { s } = get();
      const dues: [string, string][] = [
        ['q3', '2026-03-02T09:00:00.000Z'],
        ['q1', '2026-03-03T09:00:00.000Z'],
        ['q2', '2026-03-02T09:00:00.000Z'],
        ['q4', '2026-03-09T09:00:00.000Z'],
      ];
      for (const [id, due] of dues) await s.study.changeCard(WS, 'u1', id, put(card(id, due)));
      await s.study.changeCard(WS, 'u2', 'q9', put(card('q9', '2026-03-01T09:00:00.000Z')));
      const now = new Date('2026-03-05T00:00:00.000Z');
      const ids = async (options: { questionIds?: string[]; limit: number }) =>
        (await s.study.due(WS, 'u1', now, options)).map((c) => c.questionId);
      expect(await ids({ limit: 10 })).toEqual(['q2', 'q3', 'q1']);
      expect(await ids({ limit: 1 })).toEqual(['q2']);
      expect(await ids({ limit: 10, questionIds: ['q1', 'q3', 'q4', 'q9'] })).toEqual(['q3', 'q1']);
      expect(await ids({ limit: 10, questionIds: [] })).toEqual([]);
      expect(await s.study.due(WS, 'u1', now, { limit: 1 })).toEqual([
        card('q2', '2026-03-02T09:00:00.000Z'),
      ]);
      // Due exactly now counts as due.
      expect(
        (await s.study.due(WS, 'u1', new Date('2026-03-02T09:00:00.000Z'), { limit: 5 })).map(
          (c) => c.questionId,
        ),
      ).toEqual(['q2', 'q3']);
      expect(await s.study.due(WS12, 'u1', now, { limit: 10 })).toEqual([]);
    });

    it('dueCounts counts the cards due by each bound', async () => {
      const { s } = get();
      for (const [id, day] of [
        ['q1', '01'],
        ['q2', '03'],
        ['q3', '03'],
        ['q4', '20'],
      ] as const)
        await s.study.changeCard(WS, 'u1', id, put(card(id, `2026-03-${day}T12:00:00.000Z`)));
      const bounds = ['2026-02-28', '2026-03-01', '2026-03-03', '2026-04-01'].map(
        (d) => new Date(`${d}T12:00:00.000Z`),
      );
      expect(await s.study.dueCounts(WS, 'u1', bounds)).toEqual([0, 1, 3, 4]);
      expect(await s.study.dueCounts(WS, 'u1', bounds, { questionIds: ['q2', 'q4'] })).toEqual([0, 0, 1, 2]);
      expect(await s.study.dueCounts(WS, 'u1', [])).toEqual([]);
      expect(await s.study.dueCounts(WS, 'nobody', bounds)).toEqual([0, 0, 0, 0]);
    });

    it('cards lists the deck; logs lists entries since a time, oldest first', async () => {
      const { s } = get();
      await s.study.changeCard(
        WS,
        'u1',
        'q2',
        put(card('q2', '2026-03-02T00:00:00.000Z', { lastReview: '2026-03-01T08:00:00.000Z' })),
      );
      await s.study.changeCard(
        WS,
        'u1',
        'q1',
        put(card('q1', '2026-03-02T00:00:00.000Z', { lastReview: '2026-03-01T09:00:00.000Z' })),
      );
      await s.study.changeCard(WS, 'u1', 'q2', () => ({
        card: card('q2', '2026-03-08T00:00:00.000Z', { lastReview: '2026-03-02T09:00:00.000Z', reps: 2 }),
        log: {
          questionId: 'q2',
          at: '2026-03-02T09:00:00.000Z',
          rating: 1,
          correct: false,
          source: 'review',
        },
      }));
      expect((await s.study.cards(WS, 'u1')).map((c) => [c.questionId, c.reps])).toEqual([
        ['q1', 1],
        ['q2', 2],
      ]);
      expect(await s.study.cards(WS, 'u2')).toEqual([]);
      expect(await s.study.logs(WS, 'u1', new Date('2026-03-01T09:00:00.000Z'))).toEqual([
        { questionId: 'q1', at: '2026-03-01T09:00:00.000Z', rating: 3, correct: true, source: 'quiz' },
        { questionId: 'q2', at: '2026-03-02T09:00:00.000Z', rating: 1, correct: false, source: 'review' },
      ]);
    });

    it('changeProfile starts from the default profile, stores what fn changed; a throw stores nothing', async () => {
      const { s } = get();
      expect(await s.study.profile(WS, 'u1')).toBeUndefined();
      const result = await s.study.changeProfile(WS, 'u1', (p) => {
        expect(p).toEqual({ newPerDay: 5, topics: [] });
        p.newPerDay = 10;
        p.topics.push('thaw');
        p.reminder = { time: '08:00', timezone: 'Europe/Berlin' };
        return 'done';
      });
      expect(result).toBe('done');
      const stored = {
        newPerDay: 10,
        topics: ['thaw'],
        reminder: { time: '08:00', timezone: 'Europe/Berlin' },
      };
      expect(await s.study.profile(WS, 'u1')).toEqual(stored);
      await expect(
        s.study.changeProfile(WS, 'u1', (p) => {
          p.newPerDay = 99;
          throw new Error('no');
        }),
      ).rejects.toThrow('no');
      await expect(
        s.study.changeProfile(WS, 'u2', () => {
          throw new Error('no');
        }),
      ).rejects.toThrow('no');
      expect(await s.study.profile(WS, 'u1')).toEqual(stored);
      expect(await s.study.profile(WS, 'u2')).toBeUndefined();
      await s.study.changeProfile(WS, 'u1', (p) => {
        delete p.reminder;
      });
      expect(await s.study.profile(WS, 'u1')).toEqual({ newPerDay: 10, topics: ['thaw'] });
    });

    it('reminders lists every learner with a reminder, paused ones included', async () => {
      const { s } = get();
      await s.study.changeProfile(WS, 'u1', (p) => {
        p.reminder = { time: '08:00', timezone: 'Europe/Berlin' };
      });
      await s.study.changeProfile(SLACK, 'U2', (p) => {
        p.reminder = {
          time: '19:30',
          timezone: 'America/New_York',
          paused: { reason: 'DMs are closed', at: '2026-03-01T00:00:00.000Z' },
        };
      });
      await s.study.changeProfile(WS, 'u3', (p) => {
        p.newPerDay = 2;
      });
      const all = await s.study.reminders();
      expect(all.sort((a, b) => (a.userId < b.userId ? -1 : 1))).toEqual([
        {
          ws: SLACK,
          userId: 'U2',
          reminder: {
            time: '19:30',
            timezone: 'America/New_York',
            paused: { reason: 'DMs are closed', at: '2026-03-01T00:00:00.000Z' },
          },
        },
        { ws: WS, userId: 'u1', reminder: { time: '08:00', timezone: 'Europe/Berlin' } },
      ]);
    });

    it('claimReminder has exactly one winner among 20 concurrent claims of a learner and date', async () => {
      const { s } = get();
      const at = new Date('2026-03-01T07:00:00.000Z');
      const wins = await Promise.all(
        Array.from({ length: 20 }, () => s.study.claimReminder(WS, 'u1', '2026-03-01', at)),
      );
      expect(wins.filter(Boolean)).toHaveLength(1);
      expect(await s.study.claimReminder(WS, 'u1', '2026-03-01', at)).toBe(false);
      expect(await s.study.claimReminder(WS, 'u1', '2026-03-02', at)).toBe(true);
      expect(await s.study.claimReminder(WS, 'u2', '2026-03-01', at)).toBe(true);
      expect(await s.study.claimReminder(WS12, 'u1', '2026-03-01', at)).toBe(true);
    });

    it('forgetLearner deletes one learner of one workspace, and nobody else', async () => {
      const { s } = get();
      for (const [ws, user] of [
        [WS, 'u1'],
        [WS, 'u2'],
        [WS12, 'u1'],
      ] as const) {
        await s.study.changeCard(ws, user, 'q1', put(card('q1', '2026-03-02T00:00:00.000Z'), ['thaw']));
        await s.study.claimReminder(ws, user, '2026-03-01', new Date('2026-03-01T07:00:00.000Z'));
      }
      await s.study.changeProfile(WS, 'u1', (p) => {
        p.reminder = { time: '08:00', timezone: 'UTC' };
      });
      expect(await s.study.forgetLearner(WS, 'u1')).toBe(true);
      expect(await s.study.forgetLearner(WS, 'u1')).toBe(false);
      expect(await s.study.card(WS, 'u1', 'q1')).toBeUndefined();
      expect(await s.study.profile(WS, 'u1')).toBeUndefined();
      expect(await s.study.logs(WS, 'u1', new Date(0))).toEqual([]);
      expect(await s.study.reminders()).toEqual([]);
      // A learner starting again is reminded again.
      expect(await s.study.claimReminder(WS, 'u1', '2026-03-01', new Date())).toBe(true);
      expect(await s.study.card(WS, 'u2', 'q1')).toBeDefined();
      expect(await s.study.card(WS12, 'u1', 'q1')).toBeDefined();
      expect(await s.study.claimReminder(WS12, 'u1', '2026-03-01', new Date())).toBe(false);
    });

    it('a workspace’s footprint counts learners and cards; forget deletes them, storedIds lists them', async () => {
      const { s } = get();
      for (const ws of [WS, WS12]) {
        await s.study.changeCard(ws, 'u1', 'q1', put(card('q1', '2026-03-02T00:00:00.000Z')));
        await s.study.changeCard(ws, 'u1', 'q2', put(card('q2', '2026-03-02T00:00:00.000Z')));
        await s.study.changeProfile(ws, 'u2', (p) => {
          p.topics.push('thaw');
        });
      }
      await s.study.claimReminder(SLACK, 'U1', '2026-03-01', new Date('2026-03-01T07:00:00.000Z'));
      expect(await s.workspaces.footprint(WS)).toEqual({ learners: 2, studyCards: 2 });
      expect((await s.workspaces.storedIds('discord')).sort()).toEqual(['1', '12']);
      expect(await s.workspaces.storedIds('slack')).toEqual(['T1']);
      expect(await s.workspaces.forget(WS)).toEqual({ learners: 2, studyCards: 2 });
      expect(await s.workspaces.footprint(WS)).toEqual({});
      expect(await s.study.cards(WS, 'u1')).toEqual([]);
      expect(await s.study.profile(WS, 'u2')).toBeUndefined();
      expect(await s.workspaces.footprint(WS12)).toEqual({ learners: 2, studyCards: 2 });
      expect((await s.study.cards(WS12, 'u1')).map((c) => c.questionId)).toEqual(['q1', 'q2']);
    });

    it('prune removes review log entries past reviewLogDays and reminder claims past deliveryDays', async () => {
      const { s } = get();
      const now = new Date('2026-06-30T00:00:00.000Z');
      const logAt =
        (at: string) =>
        (before: StudyCard | undefined): CardChange => ({
          card: card('q1', '2026-07-01T00:00:00.000Z', { reps: (before?.reps ?? 0) + 1 }),
          log: { questionId: 'q1', at, rating: 3, correct: true, source: 'quiz' },
        });
      // reviewLogDays 400: 2025-05-26 is the first kept day.
      await s.study.changeCard(WS, 'u1', 'q1', logAt('2025-05-01T00:00:00.000Z'));
      await s.study.changeCard(WS, 'u1', 'q1', logAt('2025-06-15T00:00:00.000Z'));
      await s.study.changeCard(WS, 'u1', 'q1', logAt('2026-06-29T00:00:00.000Z'));
      // deliveryDays 60: 2026-05-01 is the first kept date.
      await s.study.claimReminder(WS, 'u1', '2026-04-30', new Date('2026-04-30T07:00:00.000Z'));
      await s.study.claimReminder(WS, 'u1', '2026-05-01', new Date('2026-05-01T07:00:00.000Z'));
      const report = await s.prune(now, DEFAULT_RETENTION);
      expect(report).toMatchObject({ reviewLogs: 1, reminderClaims: 1 });
      expect((await s.study.logs(WS, 'u1', new Date(0))).map((e) => e.at)).toEqual([
        '2025-06-15T00:00:00.000Z',
        '2026-06-29T00:00:00.000Z',
      ]);
      // The card itself stays: only its history ages out.
      expect((await s.study.card(WS, 'u1', 'q1'))?.reps).toBe(3);
      expect(await s.study.claimReminder(WS, 'u1', '2026-05-01', now)).toBe(false);
      expect(await s.study.claimReminder(WS, 'u1', '2026-04-30', now)).toBe(true);
      expect(await s.prune(now, DEFAULT_RETENTION)).toMatchObject({ reviewLogs: 0, reminderClaims: 1 });
    });

    it('records handed out or in are copies', async () => {
      const { s } = get();
      const mine = card('q1', '2026-03-02T00:00:00.000Z');
      const out = await s.study.changeCard(WS, 'u1', 'q1', put(mine, ['thaw']));
      mine.reps = 50;
      out.card.reps = 60;
      (await s.study.card(WS, 'u1', 'q1'))!.reps = 70;
      (await s.study.cards(WS, 'u1'))[0]!.reps = 80;
      (await s.study.profile(WS, 'u1'))!.topics.push('x');
      (await s.study.logs(WS, 'u1', new Date(0)))[0]!.rating = 1;
      expect((await s.study.card(WS, 'u1', 'q1'))?.reps).toBe(1);
      expect((await s.study.profile(WS, 'u1'))?.topics).toEqual(['thaw']);
      expect((await s.study.logs(WS, 'u1', new Date(0)))[0]?.rating).toBe(3);
    });

    it('survives closing and opening again', async (ctx) => {
      const { s, reopen } = get();
      if (!reopen) ctx.skip();
      const stored = card('q1', '2026-03-02T00:00:00.000Z', { stability: 12.345678901234, difficulty: 4.2 });
      await s.study.changeCard(WS, 'u1', 'q1', put(stored, ['thaw']));
      await s.study.changeProfile(WS, 'u1', (p) => {
        p.reminder = { time: '08:00', timezone: 'Europe/Berlin' };
      });
      await s.study.claimReminder(WS, 'u1', '2026-03-01', new Date('2026-03-01T07:00:00.000Z'));
      const again = await reopen!();
      expect(await again.study.card(WS, 'u1', 'q1')).toEqual(stored);
      expect(await again.study.profile(WS, 'u1')).toEqual({
        newPerDay: 5,
        topics: ['thaw'],
        reminder: { time: '08:00', timezone: 'Europe/Berlin' },
      });
      expect(await again.study.logs(WS, 'u1', new Date(0))).toHaveLength(1);
      expect(await again.study.claimReminder(WS, 'u1', '2026-03-01', new Date())).toBe(false);
    });
  });
}
