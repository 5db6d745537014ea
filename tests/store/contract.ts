/**
 * The storage contract: what every engine behind `Storage` (documents, PostgreSQL) must do, as
 * ports.ts states it. Each engine's test file calls `storageContract` with a way to open a fresh,
 * empty storage; `reopen`, when given, closes it and opens another on the same data.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelRef, Platform } from '../../src/core/platform.ts';
import type { Storage, WorkspaceRef } from '../../src/store/ports.ts';
import { DEFAULT_RETENTION } from '../../src/store/retention.ts';
import type { QuizAnswer, QuizNight, QuizResult, QuizSession, Subscription } from '../../src/store/schema.ts';
import { assignmentsContract } from './assignments-contract.ts';
import { disputesContract } from './disputes-contract.ts';
import { studyContract } from './study-contract.ts';

export interface OpenedStorage {
  storage: Storage;
  /** Closes the current storage and opens another on the same data. */
  reopen?: () => Promise<Storage>;
  /** Closes whatever is open and removes the data. */
  cleanup: () => Promise<void>;
}

const WS: WorkspaceRef = { platform: 'discord', workspaceId: '1' };
const WS12: WorkspaceRef = { platform: 'discord', workspaceId: '12' };

export function channel(channelId: string, ws: WorkspaceRef = WS): ChannelRef {
  return { platform: ws.platform, workspaceId: ws.workspaceId, channelId };
}

export function subscription(ch: ChannelRef, time = '09:00'): Subscription {
  return {
    channel: ch,
    time,
    timezone: 'Europe/Moscow',
    days: 'every',
    createdAt: '2026-01-01T00:00:00.000Z',
    createdBy: { id: 'u-admin', displayName: 'Admin' },
  };
}

export function answer(userId: string, over: Partial<QuizAnswer> = {}): QuizAnswer {
  return {
    userId,
    displayName: `Name ${userId}`,
    choice: 0,
    correct: true,
    ms: 1200,
    points: 10,
    at: '2026-03-01T10:00:05.000Z',
    ...over,
  };
}

export function session(ch: ChannelRef, id: string, over: Partial<QuizSession> = {}): QuizSession {
  return {
    id,
    channel: ch,
    startedBy: { id: 'u-host', displayName: 'Host' },
    startedAt: '2026-03-01T10:00:00.000Z',
    updatedAt: '2026-03-01T10:00:00.000Z',
    mode: 'race',
    seconds: 20,
    questionIds: ['q1', 'q2', 'q3'],
    current: 0,
    rounds: [{ questionId: 'q1', order: [2, 0, 3, 1], shownAt: '2026-03-01T10:00:00.000Z', answers: {} }],
    streaks: {},
    ...over,
  };
}

/** A finished game: each player answered every question, the first question right, the others wrong. */
export function result(
  ch: ChannelRef,
  id: string,
  endedAt: string,
  players: { userId: string; points: number; name?: string }[],
  over: Partial<QuizResult> = {},
): QuizResult {
  const questionIds = ['q1', 'q2'];
  return {
    id,
    channel: ch,
    startedBy: { id: 'u-host', displayName: 'Host' },
    startedAt: endedAt,
    endedAt,
    mode: 'race',
    practice: players.length <= 1,
    stopped: false,
    rounds: questionIds.map((questionId, i) => ({
      questionId,
      answers: players.map((p) =>
        answer(p.userId, { displayName: p.name ?? `Name ${p.userId}`, correct: i === 0, at: endedAt }),
      ),
    })),
    players: players.map((p, i) => ({
      userId: p.userId,
      displayName: p.name ?? `Name ${p.userId}`,
      points: p.points,
      correct: 1,
      answered: 2,
      rank: i + 1,
    })),
    ...over,
  };
}

const topicsOf = (questionId: string): readonly string[] =>
  questionId === 'q1' ? ['khrushchev', 'secret-speech'] : ['sputnik'];

export function night(ch: ChannelRef, id: string, over: Partial<QuizNight> = {}): QuizNight {
  return {
    id,
    channel: ch,
    weekday: 5,
    time: '19:00',
    timezone: 'Europe/Berlin',
    questions: 10,
    seconds: 20,
    createdAt: '2026-01-01T00:00:00.000Z',
    createdBy: { id: 'u-host', displayName: 'Host' },
    runs: {},
    ...over,
  };
}

export function storageContract(name: string, open: () => Promise<OpenedStorage>): void {
  describe(name, () => {
    let opened: OpenedStorage;
    let s: Storage;

    beforeEach(async () => {
      opened = await open();
      s = opened.storage;
    });

    afterEach(async () => {
      await opened.cleanup();
    });

    studyContract(() => ({ s, ...(opened.reopen ? { reopen: opened.reopen } : {}) }));
    disputesContract(() => ({ s, ...(opened.reopen ? { reopen: opened.reopen } : {}) }));
    assignmentsContract(() => ({ s, ...(opened.reopen ? { reopen: opened.reopen } : {}) }));

    describe('settings', () => {
      it('has no settings for a workspace that never changed any', async () => {
        expect(await s.settings.get(WS)).toBeUndefined();
      });

      it('change starts from empty settings, stores what fn changed and returns its result', async () => {
        const out = await s.settings.change(WS, (settings) => {
          expect(settings).toEqual({ hostUserIds: [] });
          settings.timezone = 'Europe/Moscow';
          settings.hostUserIds.push('u1');
          return 'done';
        });
        expect(out).toBe('done');
        expect(await s.settings.get(WS)).toEqual({ timezone: 'Europe/Moscow', hostUserIds: ['u1'] });
        expect(await s.settings.get(WS12)).toBeUndefined();
      });

      it('a change whose fn throws stores nothing', async () => {
        await s.settings.change(WS, (settings) => {
          settings.timezone = 'Europe/Moscow';
        });
        await expect(
          s.settings.change(WS, (settings) => {
            settings.timezone = 'Asia/Tokyo';
            settings.hostUserIds.push('u9');
            throw new Error('no');
          }),
        ).rejects.toThrow('no');
        expect(await s.settings.get(WS)).toEqual({ timezone: 'Europe/Moscow', hostUserIds: [] });
        await expect(
          s.settings.change(WS12, (settings) => {
            settings.timezone = 'Asia/Tokyo';
            throw new Error('no');
          }),
        ).rejects.toThrow('no');
        expect(await s.settings.get(WS12)).toBeUndefined();
      });

      it('concurrent changes of one workspace all apply (none is lost)', async () => {
        await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            s.settings.change(WS, (settings) => {
              settings.hostUserIds.push(`u${i}`);
            }),
          ),
        );
        const stored = await s.settings.get(WS);
        expect(stored?.hostUserIds.slice().sort()).toEqual(
          Array.from({ length: 20 }, (_, i) => `u${i}`).sort(),
        );
      });
    });

    describe('daily posts', () => {
      const c1 = channel('c1');
      const c2 = channel('c2');

      it('subscribe stores a subscription and says whether it replaced one', async () => {
        expect(await s.daily.subscription(c1)).toBeUndefined();
        expect(await s.daily.subscribe(subscription(c1, '08:00'))).toBe(false);
        expect(await s.daily.subscribe(subscription(c1, '10:30'))).toBe(true);
        expect(await s.daily.subscription(c1)).toEqual(subscription(c1, '10:30'));
        expect(await s.daily.subscription(c2)).toBeUndefined();
      });

      it('unsubscribe removes the subscription once and leaves its deliveries', async () => {
        await s.daily.subscribe(subscription(c1));
        await s.daily.claimDelivery(c1, '2026-03-01', new Date('2026-03-01T06:00:00Z'));
        expect(await s.daily.unsubscribe(c1)).toBe(true);
        expect(await s.daily.unsubscribe(c1)).toBe(false);
        expect(await s.daily.subscription(c1)).toBeUndefined();
        expect(await s.daily.delivery(c1, '2026-03-01')).toMatchObject({ status: 'pending' });
      });

      it('setPaused pauses with a reason, resumes, and is false without a subscription', async () => {
        await s.daily.subscribe(subscription(c1));
        const paused = { reason: 'missing permission', at: '2026-03-02T00:00:00.000Z', byUser: false };
        expect(await s.daily.setPaused(c1, paused)).toBe(true);
        expect((await s.daily.subscription(c1))?.paused).toEqual(paused);
        expect(await s.daily.setPaused(c1, undefined)).toBe(true);
        const resumed = await s.daily.subscription(c1);
        expect(resumed?.paused).toBeUndefined();
        expect(resumed).toEqual(subscription(c1));
        expect(await s.daily.setPaused(c2, paused)).toBe(false);
        expect(await s.daily.subscription(c2)).toBeUndefined();
      });

      it('subscriptions lists every subscription with its deliveries on or after the date', async () => {
        await s.daily.subscribe(subscription(c1));
        await s.daily.subscribe(subscription(c2));
        await s.daily.claimDelivery(c1, '2026-02-27', new Date('2026-02-27T06:00:00Z'));
        await s.daily.claimDelivery(c1, '2026-02-28', new Date('2026-02-28T06:00:00Z'));
        await s.daily.recordDelivery(c1, '2026-03-01', 'sent', new Date('2026-03-01T06:00:00Z'), {
          messageId: 'm1',
        });
        const all = await s.daily.subscriptions('2026-02-28');
        expect(all).toHaveLength(2);
        const one = all.find((x) => x.subscription.channel.channelId === 'c1');
        expect(one?.subscription).toEqual(subscription(c1));
        expect(Object.keys(one?.deliveries ?? {}).sort()).toEqual(['2026-02-28', '2026-03-01']);
        expect(one?.deliveries['2026-03-01']).toEqual({
          status: 'sent',
          at: '2026-03-01T06:00:00.000Z',
          messageId: 'm1',
        });
        expect(all.find((x) => x.subscription.channel.channelId === 'c2')?.deliveries).toEqual({});
      });

      it('claimDelivery has exactly one winner among 20 concurrent claims', async () => {
        const at = new Date('2026-03-01T06:00:00.000Z');
        const wins = await Promise.all(
          Array.from({ length: 20 }, () => s.daily.claimDelivery(c1, '2026-03-01', at)),
        );
        expect(wins.filter(Boolean)).toHaveLength(1);
        expect(await s.daily.delivery(c1, '2026-03-01')).toEqual({ status: 'pending', at: at.toISOString() });
        expect(await s.daily.claimDelivery(c1, '2026-03-01', at)).toBe(false);
        expect(await s.daily.claimDelivery(c1, '2026-03-02', at)).toBe(true);
        expect(await s.daily.claimDelivery(c2, '2026-03-01', at)).toBe(true);
      });

      it('recordDelivery keeps the message id and note unless new ones are given', async () => {
        await s.daily.claimDelivery(c1, '2026-03-01', new Date('2026-03-01T06:00:00Z'));
        await s.daily.recordDelivery(c1, '2026-03-01', 'sent', new Date('2026-03-01T06:00:01Z'), {
          messageId: 'm1',
          note: 'first',
        });
        await s.daily.recordDelivery(c1, '2026-03-01', 'failed', new Date('2026-03-01T06:05:00Z'));
        expect(await s.daily.delivery(c1, '2026-03-01')).toEqual({
          status: 'failed',
          at: '2026-03-01T06:05:00.000Z',
          messageId: 'm1',
          note: 'first',
        });
        await s.daily.recordDelivery(c1, '2026-03-01', 'sent', new Date('2026-03-01T06:06:00Z'), {
          note: 'second',
        });
        expect(await s.daily.delivery(c1, '2026-03-01')).toEqual({
          status: 'sent',
          at: '2026-03-01T06:06:00.000Z',
          messageId: 'm1',
          note: 'second',
        });
      });

      it('deliveries lists a channel’s latest deliveries newest first, up to the limit', async () => {
        for (const date of ['2026-03-02', '2026-02-28', '2026-03-03', '2026-03-01'])
          await s.daily.recordDelivery(c1, date, 'sent', new Date(`${date}T06:00:00Z`));
        await s.daily.recordDelivery(c2, '2026-03-09', 'sent', new Date('2026-03-09T06:00:00Z'));
        const latest = await s.daily.deliveries(c1, 3);
        expect(latest.map((d) => d.date)).toEqual(['2026-03-03', '2026-03-02', '2026-03-01']);
        expect(latest[0]?.delivery).toEqual({ status: 'sent', at: '2026-03-03T06:00:00.000Z' });
        expect(await s.daily.deliveries(channel('none'), 5)).toEqual([]);
      });

      it('pending lists deliveries cut off mid-send, with their subscription while it exists', async () => {
        await s.daily.subscribe(subscription(c1));
        await s.daily.claimDelivery(c1, '2026-03-01', new Date('2026-03-01T06:00:00Z'));
        await s.daily.claimDelivery(c1, '2026-03-02', new Date('2026-03-02T06:00:00Z'));
        await s.daily.recordDelivery(c1, '2026-03-02', 'sent', new Date('2026-03-02T06:00:01Z'));
        await s.daily.claimDelivery(c2, '2026-03-01', new Date('2026-03-01T06:00:00Z'));
        const pending = await s.daily.pending();
        const byChannel = new Map(pending.map((p) => [p.channel.channelId, p]));
        expect(pending).toHaveLength(2);
        expect(byChannel.get('c1')).toEqual({
          channel: c1,
          date: '2026-03-01',
          subscription: subscription(c1),
        });
        expect(byChannel.get('c2')?.date).toBe('2026-03-01');
        expect(byChannel.get('c2')?.subscription).toBeUndefined();
      });
    });

    describe('games', () => {
      const c1 = channel('c1');
      const c2 = channel('c2');

      it('create stores one game per channel: a second one is refused and the first kept', async () => {
        expect(await s.games.get(c1)).toBeUndefined();
        expect(await s.games.create(session(c1, 'g1'))).toBe(true);
        expect(await s.games.create(session(c1, 'g2', { mode: 'learner' }))).toBe(false);
        expect(await s.games.get(c1)).toEqual(session(c1, 'g1'));
        expect(await s.games.create(session(c2, 'g2'))).toBe(true);
        await s.games.recordAnswer(c2, 'g2', 0, answer('u1'));
        const all = await s.games.all();
        expect(all.map((g) => g.id).sort()).toEqual(['g1', 'g2']);
        expect(all.find((g) => g.id === 'g2')?.rounds[0]?.answers).toEqual({ u1: answer('u1') });
      });

      it('recordAnswer records one answer per user and round, and none for a game that is gone', async () => {
        await s.games.create(session(c1, 'g1'));
        expect(await s.games.recordAnswer(c1, 'g1', 0, answer('u1'))).toBe(true);
        expect(await s.games.recordAnswer(c1, 'g1', 0, answer('u1', { choice: 3, correct: false }))).toBe(
          false,
        );
        expect(await s.games.recordAnswer(c1, 'other', 0, answer('u2'))).toBe(false);
        expect(await s.games.recordAnswer(c2, 'g1', 0, answer('u2'))).toBe(false);
        const game = await s.games.get(c1);
        expect(game?.rounds[0]?.answers).toEqual({ u1: answer('u1') });
        await s.games.remove(c1, 'g1');
        expect(await s.games.recordAnswer(c1, 'g1', 0, answer('u3'))).toBe(false);
      });

      it('of concurrent answers by the same user to one round exactly one wins', async () => {
        await s.games.create(session(c1, 'g1'));
        const wins = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            s.games.recordAnswer(c1, 'g1', 0, answer('u1', { choice: i % 4, ms: i })),
          ),
        );
        expect(wins.filter(Boolean)).toHaveLength(1);
        const winner = wins.indexOf(true);
        expect((await s.games.get(c1))?.rounds[0]?.answers.u1).toEqual(
          answer('u1', { choice: winner % 4, ms: winner }),
        );
      });

      it('getForAnswer holds the current round with its answers; everyoneAnswered compares it with the earlier rounds', async () => {
        const round = (questionId: string) => ({
          questionId,
          order: [0, 1, 2, 3],
          shownAt: '2026-03-01T10:00:00.000Z',
          answers: {},
        });
        await s.games.create(session(c1, 'g1', { mode: 'learner', rounds: [round('q1')] }));
        // Nobody answered an earlier round: not "everyone".
        expect(await s.games.everyoneAnswered(c1, 'g1', 0)).toBe(false);
        await s.games.recordAnswer(c1, 'g1', 0, answer('u1'));
        await s.games.recordAnswer(c1, 'g1', 0, answer('u2'));
        const second = session(c1, 'g1', { mode: 'learner', current: 1, rounds: [round('q1'), round('q2')] });
        expect(await s.games.save(second)).toBe(true);
        await s.games.recordAnswer(c1, 'g1', 1, answer('u1'));
        const forAnswer = await s.games.getForAnswer(c1);
        expect(forAnswer?.id).toBe('g1');
        expect(forAnswer?.current).toBe(1);
        expect(forAnswer?.rounds[1]?.answers).toEqual({ u1: answer('u1') });
        expect(await s.games.everyoneAnswered(c1, 'g1', 1)).toBe(false);
        // A newcomer to round 1 does not hold it up; u2, who played round 0, does.
        await s.games.recordAnswer(c1, 'g1', 1, answer('u3'));
        expect(await s.games.everyoneAnswered(c1, 'g1', 1)).toBe(false);
        await s.games.recordAnswer(c1, 'g1', 1, answer('u2'));
        expect(await s.games.everyoneAnswered(c1, 'g1', 1)).toBe(true);
        expect(await s.games.everyoneAnswered(c1, 'other', 1)).toBe(false);
        expect(await s.games.everyoneAnswered(c2, 'g1', 1)).toBe(false);
        expect(await s.games.getForAnswer(c2)).toBeUndefined();
        await s.games.remove(c1, 'g1');
        expect(await s.games.everyoneAnswered(c1, 'g1', 1)).toBe(false);
        expect(await s.games.getForAnswer(c1)).toBeUndefined();
      });

      it('concurrent answers by 200 different users are all kept', async () => {
        await s.games.create(session(c1, 'g1'));
        const wins = await Promise.all(
          Array.from({ length: 200 }, (_, i) => s.games.recordAnswer(c1, 'g1', 0, answer(`u${i}`))),
        );
        expect(wins.every(Boolean)).toBe(true);
        const answers = (await s.games.get(c1))?.rounds[0]?.answers ?? {};
        expect(Object.keys(answers)).toHaveLength(200);
        expect(answers.u199).toEqual(answer('u199'));
      });

      it('save stores the new state and keeps answers recorded meanwhile', async () => {
        const game = session(c1, 'g1');
        await s.games.create(game);
        await s.games.recordAnswer(c1, 'g1', 0, answer('u1'));
        // The caller's copy predates the answer.
        const next = structuredClone(game);
        next.rounds[0]!.revealed = true;
        next.rounds.push({ questionId: 'q2', order: [0, 1, 2, 3], answers: {} });
        next.current = 1;
        next.streaks = { u1: 1 };
        next.updatedAt = '2026-03-01T10:01:00.000Z';
        expect(await s.games.save(next)).toBe(true);
        await s.games.recordAnswer(c1, 'g1', 1, answer('u2'));
        const stored = await s.games.get(c1);
        expect(stored?.current).toBe(1);
        expect(stored?.streaks).toEqual({ u1: 1 });
        expect(stored?.updatedAt).toBe('2026-03-01T10:01:00.000Z');
        expect(stored?.rounds[0]?.revealed).toBe(true);
        expect(stored?.rounds[0]?.answers).toEqual({ u1: answer('u1') });
        expect(stored?.rounds[1]?.answers).toEqual({ u2: answer('u2') });
      });

      it('save is refused for a game that is no longer the channel’s', async () => {
        await s.games.create(session(c1, 'g1'));
        expect(await s.games.save(session(c1, 'g2', { current: 2 }))).toBe(false);
        expect((await s.games.get(c1))?.id).toBe('g1');
        expect((await s.games.get(c1))?.current).toBe(0);
        await s.games.remove(c1, 'g1');
        expect(await s.games.save(session(c1, 'g1'))).toBe(false);
        expect(await s.games.get(c1)).toBeUndefined();
      });

      it('setMessageId notes the message of a round', async () => {
        await s.games.create(session(c1, 'g1'));
        await s.games.recordAnswer(c1, 'g1', 0, answer('u1'));
        await s.games.setMessageId(c1, 'g1', 0, 'msg-1');
        await s.games.setMessageId(c1, 'other', 0, 'msg-2');
        const round = (await s.games.get(c1))?.rounds[0];
        expect(round?.messageId).toBe('msg-1');
        expect(round?.answers).toEqual({ u1: answer('u1') });
      });

      it('remove removes the game only if it is still the same game, with its answers', async () => {
        await s.games.create(session(c1, 'g1'));
        await s.games.recordAnswer(c1, 'g1', 0, answer('u1'));
        expect(await s.games.remove(c1, 'g0')).toBe(false);
        expect((await s.games.get(c1))?.id).toBe('g1');
        expect(await s.games.remove(c1, 'g1')).toBe(true);
        expect(await s.games.remove(c1, 'g1')).toBe(false);
        expect(await s.games.get(c1)).toBeUndefined();
        // A new game with the same id starts without the old answers.
        await s.games.create(session(c1, 'g1'));
        expect((await s.games.get(c1))?.rounds[0]?.answers).toEqual({});
      });
    });

    describe('results', () => {
      const c1 = channel('c1');
      const c2 = channel('c2');

      it('records a finished game once: a second record is refused and changes nothing', async () => {
        const game = result(c1, 'g1', '2026-03-01T10:05:00.000Z', [
          { userId: 'u1', points: 30 },
          { userId: 'u2', points: 20 },
        ]);
        expect(await s.results.has(c1, 'g1')).toBe(false);
        expect(await s.results.record(game, topicsOf)).toBe(true);
        expect(await s.results.record(game, topicsOf)).toBe(false);
        expect(await s.results.has(c1, 'g1')).toBe(true);
        expect(await s.results.has(c2, 'g1')).toBe(false);
        const board = await s.results.leaderboard(WS, 'all', 10);
        expect(board.map((r) => [r.userId, r.points, r.games, r.correct, r.answered])).toEqual([
          ['u1', 30, 1, 1, 2],
          ['u2', 20, 1, 1, 2],
        ]);
        expect((await s.results.player(WS, 'u1'))?.games).toBe(1);
        expect((await s.results.player(WS, 'u1'))?.history).toHaveLength(2);
      });

      it('of concurrent records of the same game exactly one counts', async () => {
        const game = result(c1, 'g1', '2026-03-01T10:05:00.000Z', [
          { userId: 'u1', points: 30 },
          { userId: 'u2', points: 20 },
        ]);
        const wins = await Promise.all(Array.from({ length: 10 }, () => s.results.record(game, topicsOf)));
        expect(wins.filter(Boolean)).toHaveLength(1);
        expect((await s.results.leaderboard(WS, 'all', 10))[0]).toMatchObject({
          userId: 'u1',
          points: 30,
          games: 1,
        });
      });

      it('practice games count in the player’s record, not on the leaderboard', async () => {
        await s.results.record(
          result(c1, 'p1', '2026-03-01T10:05:00.000Z', [{ userId: 'u1', points: 40 }]),
          topicsOf,
        );
        expect(await s.results.leaderboard(WS, 'all', 10)).toEqual([]);
        expect(await s.results.leaderboard(WS, '2026-03', 10)).toEqual([]);
        const record = await s.results.player(WS, 'u1');
        expect(record?.practiceGames).toBe(1);
        expect(record?.games).toBe(0);
      });

      it('adds each game to the board of its UTC month and to the all-time board', async () => {
        await s.results.record(
          result(c1, 'g1', '2026-01-31T23:30:00.000Z', [
            { userId: 'u1', points: 10 },
            { userId: 'u2', points: 5 },
          ]),
          topicsOf,
        );
        await s.results.record(
          result(c2, 'g2', '2026-02-01T00:30:00.000Z', [
            { userId: 'u1', points: 7 },
            { userId: 'u2', points: 9 },
          ]),
          topicsOf,
        );
        const pts = async (period: string) =>
          (await s.results.leaderboard(WS, period, 10)).map((r) => [r.userId, r.points, r.games]);
        expect(await pts('2026-01')).toEqual([
          ['u1', 10, 1],
          ['u2', 5, 1],
        ]);
        expect(await pts('2026-02')).toEqual([
          ['u2', 9, 1],
          ['u1', 7, 1],
        ]);
        expect(await pts('all')).toEqual([
          ['u1', 17, 2],
          ['u2', 14, 2],
        ]);
        expect(await s.results.leaderboard(WS12, 'all', 10)).toEqual([]);
      });

      it('the leaderboard is the top players by points, then name, at most the limit (500 players)', async () => {
        const players = Array.from({ length: 500 }, (_, i) => ({
          userId: `u${i}`,
          name: `player ${String(i).padStart(3, '0')}`,
          points: Math.floor(i / 3) % 97,
        }));
        await s.results.record(result(c1, 'big', '2026-03-01T10:05:00.000Z', players), () => ['khrushchev']);
        const expected = [...players]
          .sort((a, b) => b.points - a.points || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
          .slice(0, 10);
        const board = await s.results.leaderboard(WS, 'all', 10);
        expect(board).toHaveLength(10);
        expect(board.map((r) => [r.userId, r.displayName, r.points])).toEqual(
          expected.map((p) => [p.userId, p.name, p.points]),
        );
        expect(board[0]).toMatchObject({ games: 1, correct: 1, answered: 2 });
        expect(await s.results.leaderboard(WS, 'all', 3)).toEqual(board.slice(0, 3));
      });

      it('a player off the top 10 gets their own row and competition rank', async () => {
        const players = Array.from({ length: 30 }, (_, i) => ({ userId: `u${i}`, points: 100 - i }));
        players.push({ userId: 'tied', points: 100 - 20 });
        await s.results.record(result(c1, 'rank', '2026-03-01T10:05:00.000Z', players), () => []);
        expect(await s.results.standing(WS, 'all', 'u20')).toMatchObject({
          rank: 21,
          row: { userId: 'u20', points: 80, games: 1 },
        });
        expect((await s.results.standing(WS, 'all', 'tied'))?.rank).toBe(21);
        expect((await s.results.standing(WS, 'all', 'u21'))?.rank).toBe(23);
        expect(await s.results.standing(WS, 'all', 'nobody')).toBeUndefined();
        expect(await s.results.standing(WS12, 'all', 'u20')).toBeUndefined();
      });

      it('a player’s record holds games, accuracy by topic and the answer history', async () => {
        await s.results.record(
          result(c1, 'g1', '2026-03-01T10:05:00.000Z', [
            { userId: 'u1', points: 30 },
            { userId: 'u2', points: 20 },
          ]),
          topicsOf,
        );
        await s.results.record(
          result(c2, 'g2', '2026-03-02T10:05:00.000Z', [
            { userId: 'u1', points: 30, name: 'Renamed' },
            { userId: 'u3', points: 20 },
          ]),
          topicsOf,
        );
        const record = await s.results.player(WS, 'u1');
        expect(record).toMatchObject({
          platform: 'discord',
          workspaceId: '1',
          userId: 'u1',
          displayName: 'Renamed',
          games: 2,
          practiceGames: 0,
        });
        // q1 (right) has two topics, q2 (wrong) one; two games.
        expect(record?.topics).toEqual({
          khrushchev: { answered: 2, correct: 2, lastAt: '2026-03-02T10:05:00.000Z' },
          'secret-speech': { answered: 2, correct: 2, lastAt: '2026-03-02T10:05:00.000Z' },
          sputnik: { answered: 2, correct: 0, lastAt: '2026-03-02T10:05:00.000Z' },
        });
        expect(record?.history.map((h) => [h.questionId, h.correct, h.at])).toEqual([
          ['q1', true, '2026-03-01T10:05:00.000Z'],
          ['q2', false, '2026-03-01T10:05:00.000Z'],
          ['q1', true, '2026-03-02T10:05:00.000Z'],
          ['q2', false, '2026-03-02T10:05:00.000Z'],
        ]);
        expect(await s.results.player(WS, 'nobody')).toBeUndefined();
        expect(await s.results.player(WS12, 'u1')).toBeUndefined();
      });

      it('noteAnswer adds an answer outside a game to the player’s record, creating it', async () => {
        const user = { id: 'u1', displayName: 'Ann' };
        await s.results.noteAnswer(WS, user, {
          questionId: 'q7',
          topics: ['thaw'],
          correct: true,
          at: '2026-03-05T08:00:00.000Z',
          source: 'daily',
        });
        await s.results.noteAnswer(WS, user, {
          questionId: 'q8',
          topics: ['thaw'],
          correct: false,
          at: '2026-03-06T08:00:00.000Z',
          source: 'review',
        });
        const record = await s.results.player(WS, 'u1');
        expect(record).toMatchObject({ displayName: 'Ann', games: 0, practiceGames: 0 });
        expect(record?.topics).toEqual({
          thaw: { answered: 2, correct: 1, lastAt: '2026-03-06T08:00:00.000Z' },
        });
        expect(record?.history).toEqual([
          { questionId: 'q7', correct: true, at: '2026-03-05T08:00:00.000Z', source: 'daily' },
          { questionId: 'q8', correct: false, at: '2026-03-06T08:00:00.000Z', source: 'review' },
        ]);
        expect(await s.results.leaderboard(WS, 'all', 10)).toEqual([]);
      });

      it('recentQuestionIds gives the question ids of the channel’s last games, newest game first', async () => {
        const two = [
          { userId: 'u1', points: 1 },
          { userId: 'u2', points: 1 },
        ];
        const game = (id: string, endedAt: string, questions: string[], ch = c1) => ({
          ...result(ch, id, endedAt, two),
          rounds: questions.map((questionId) => ({ questionId, answers: [] })),
        });
        // Recorded out of order: the end time decides.
        await s.results.record(game('g2', '2026-03-02T10:00:00.000Z', ['q3', 'q4']), topicsOf);
        await s.results.record(game('g1', '2026-03-01T10:00:00.000Z', ['q1', 'q2']), topicsOf);
        await s.results.record(game('g3', '2026-03-03T10:00:00.000Z', ['q5']), topicsOf);
        await s.results.record(game('x', '2026-03-04T10:00:00.000Z', ['q9'], c2), topicsOf);
        expect(await s.results.recentQuestionIds(c1, 2)).toEqual(['q5', 'q3', 'q4']);
        expect(await s.results.recentQuestionIds(c1, 5)).toEqual(['q5', 'q3', 'q4', 'q1', 'q2']);
        expect(await s.results.recentQuestionIds(channel('none'), 5)).toEqual([]);
      });
    });

    describe('quiz nights', () => {
      const c1 = channel('c1');
      const c2 = channel('c2');

      it('add stores nights listed by channel and in all; remove removes one once', async () => {
        await s.nights.add(night(c1, 'n1'));
        await s.nights.add(night(c1, 'n2', { weekday: 1, topic: 'sputnik' }));
        await s.nights.add(night(c2, 'n1'));
        expect((await s.nights.inChannel(c1)).map((n) => n.id).sort()).toEqual(['n1', 'n2']);
        expect((await s.nights.inChannel(c1)).find((n) => n.id === 'n2')).toEqual(
          night(c1, 'n2', { weekday: 1, topic: 'sputnik' }),
        );
        expect(await s.nights.all()).toHaveLength(3);
        expect(await s.nights.remove(c1, 'n1')).toBe(true);
        expect(await s.nights.remove(c1, 'n1')).toBe(false);
        expect((await s.nights.inChannel(c1)).map((n) => n.id)).toEqual(['n2']);
        expect((await s.nights.inChannel(c2)).map((n) => n.id)).toEqual(['n1']);
      });

      it('markRun records a step once, again only with force, and never for a night that is gone', async () => {
        await s.nights.add(night(c1, 'n1'));
        expect(await s.nights.markRun(c1, 'n1', '2026-03-06', 'reminded', '2026-03-06T17:00:00.000Z')).toBe(
          true,
        );
        expect(await s.nights.markRun(c1, 'n1', '2026-03-06', 'reminded', '2026-03-06T17:01:00.000Z')).toBe(
          false,
        );
        expect(await s.nights.markRun(c1, 'n1', '2026-03-06', 'started', '2026-03-06T18:00:00.000Z')).toBe(
          true,
        );
        expect(await s.nights.markRun(c1, 'n1', '2026-03-13', 'skipped', 'paused')).toBe(true);
        expect((await s.nights.inChannel(c1))[0]?.runs).toEqual({
          '2026-03-06': { reminded: '2026-03-06T17:00:00.000Z', started: '2026-03-06T18:00:00.000Z' },
          '2026-03-13': { skipped: 'paused' },
        });
        expect(await s.nights.markRun(c1, 'n1', '2026-03-06', 'reminded', 'again', true)).toBe(true);
        expect((await s.nights.inChannel(c1))[0]?.runs['2026-03-06']?.reminded).toBe('again');
        expect(await s.nights.markRun(c1, 'gone', '2026-03-06', 'reminded', 'x')).toBe(false);
        expect(await s.nights.markRun(c2, 'n1', '2026-03-06', 'reminded', 'x')).toBe(false);
        expect(await s.nights.inChannel(c2)).toEqual([]);
      });

      it('of concurrent marks of the same step exactly one is recorded', async () => {
        await s.nights.add(night(c1, 'n1'));
        const wins = await Promise.all(
          Array.from({ length: 20 }, (_, i) => s.nights.markRun(c1, 'n1', '2026-03-06', 'started', `t${i}`)),
        );
        expect(wins.filter(Boolean)).toHaveLength(1);
        expect((await s.nights.inChannel(c1))[0]?.runs['2026-03-06']?.started).toBe(`t${wins.indexOf(true)}`);
      });

      it('setPaused pauses and resumes a night', async () => {
        await s.nights.add(night(c1, 'n1'));
        const paused = { reason: 'host asked', at: '2026-03-01T00:00:00.000Z', byUser: true };
        await s.nights.setPaused(c1, 'n1', paused);
        expect((await s.nights.inChannel(c1))[0]?.paused).toEqual(paused);
        await s.nights.setPaused(c1, 'n1', undefined);
        expect((await s.nights.inChannel(c1))[0]).toEqual(night(c1, 'n1'));
        await s.nights.setPaused(c1, 'gone', paused);
        expect(await s.nights.all()).toHaveLength(1);
      });
    });

    describe('workspaces', () => {
      /** Something of every kind in a workspace, in its channel `c`. */
      async function fill(ws: WorkspaceRef): Promise<void> {
        const c = channel('c', ws);
        await s.settings.change(ws, (settings) => {
          settings.timezone = 'Europe/Moscow';
        });
        await s.daily.subscribe(subscription(c));
        await s.daily.claimDelivery(c, '2026-03-01', new Date('2026-03-01T06:00:00Z'));
        await s.daily.claimDelivery(c, '2026-03-02', new Date('2026-03-02T06:00:00Z'));
        await s.games.create(session(c, 'g1'));
        await s.games.recordAnswer(c, 'g1', 0, answer('u1'));
        await s.results.record(
          result(c, 'g0', '2026-03-01T10:05:00.000Z', [
            { userId: 'u1', points: 3 },
            { userId: 'u2', points: 2 },
          ]),
          topicsOf,
        );
        await s.nights.add(night(c, 'n1'));
        await s.nights.markRun(c, 'n1', '2026-03-06', 'reminded', 'x');
      }

      it('markRemoved notes the first removal only; markAdded clears it once', async () => {
        expect(await s.workspaces.markRemoved(WS, new Date('2026-03-01T00:00:00Z'))).toBe(true);
        expect(await s.workspaces.markRemoved(WS, new Date('2026-03-05T00:00:00Z'))).toBe(false);
        expect(await s.workspaces.removed()).toEqual([{ ws: WS, removedAt: '2026-03-01T00:00:00.000Z' }]);
        expect(await s.workspaces.markAdded(WS)).toBe(true);
        expect(await s.workspaces.markAdded(WS)).toBe(false);
        expect(await s.workspaces.removed()).toEqual([]);
      });

      it('removed lists the workspaces waiting for deletion, oldest removal first', async () => {
        const slack: WorkspaceRef = { platform: 'slack', workspaceId: 'T1' };
        await s.workspaces.markRemoved(WS12, new Date('2026-03-03T00:00:00Z'));
        await s.workspaces.markRemoved(slack, new Date('2026-03-01T00:00:00Z'));
        await s.workspaces.markRemoved(WS, new Date('2026-03-02T00:00:00Z'));
        expect(await s.workspaces.removed()).toEqual([
          { ws: slack, removedAt: '2026-03-01T00:00:00.000Z' },
          { ws: WS, removedAt: '2026-03-02T00:00:00.000Z' },
          { ws: WS12, removedAt: '2026-03-03T00:00:00.000Z' },
        ]);
      });

      it('storedIds lists the workspaces of a platform that have anything stored', async () => {
        await s.settings.change(WS, (settings) => {
          settings.timezone = 'UTC';
        });
        await s.nights.add(night(channel('c', WS12), 'n1'));
        await s.daily.subscribe(subscription(channel('c', { platform: 'slack', workspaceId: 'T1' })));
        await s.results.noteAnswer(
          { platform: 'discord', workspaceId: '7' },
          { id: 'u', displayName: 'U' },
          {
            questionId: 'q1',
            topics: [],
            correct: true,
            at: '2026-03-01T00:00:00.000Z',
            source: 'daily',
          },
        );
        expect((await s.workspaces.storedIds('discord')).sort()).toEqual(['1', '12', '7']);
        expect(await s.workspaces.storedIds('slack')).toEqual(['T1']);
        expect(await s.workspaces.storedIds('console' satisfies Platform)).toEqual([]);
      });

      it('footprint counts what a workspace stored, by kind', async () => {
        expect(await s.workspaces.footprint(WS)).toEqual({});
        await fill(WS);
        const footprint = await s.workspaces.footprint(WS);
        expect(footprint).toMatchObject({
          settings: 1,
          subscriptions: 1,
          quizSessions: 1,
          quizResults: 1,
          study: 2,
          quizNights: 1,
        });
        expect(footprint.deliveries).toBeGreaterThan(0);
        expect(footprint.scores).toBeGreaterThan(0);
        expect(await s.workspaces.footprint(WS12)).toEqual({});
      });

      it('forget deletes everything of one workspace and nothing of another with a similar id', async () => {
        await fill(WS);
        await fill(WS12);
        await s.workspaces.markRemoved(WS, new Date('2026-03-01T00:00:00Z'));
        await s.workspaces.markRemoved(WS12, new Date('2026-03-01T00:00:00Z'));
        const before = await s.workspaces.footprint(WS);
        const other = await s.workspaces.footprint(WS12);
        expect(await s.workspaces.forget(WS)).toEqual(before);
        expect(await s.workspaces.footprint(WS)).toEqual({});
        expect(await s.workspaces.storedIds('discord')).toEqual(['12']);
        expect(await s.workspaces.removed()).toEqual([{ ws: WS12, removedAt: '2026-03-01T00:00:00.000Z' }]);
        const c = channel('c', WS);
        expect(await s.settings.get(WS)).toBeUndefined();
        expect(await s.daily.subscription(c)).toBeUndefined();
        expect(await s.daily.delivery(c, '2026-03-01')).toBeUndefined();
        expect(await s.games.get(c)).toBeUndefined();
        expect(await s.results.has(c, 'g0')).toBe(false);
        expect(await s.results.leaderboard(WS, 'all', 10)).toEqual([]);
        expect(await s.results.player(WS, 'u1')).toBeUndefined();
        expect(await s.nights.inChannel(c)).toEqual([]);
        // The other workspace is whole.
        expect(await s.workspaces.footprint(WS12)).toEqual(other);
        const c12 = channel('c', WS12);
        expect((await s.games.get(c12))?.rounds[0]?.answers).toEqual({ u1: answer('u1') });
        expect((await s.results.player(WS12, 'u1'))?.history).toHaveLength(2);
        expect((await s.nights.inChannel(c12))[0]?.runs).toEqual({ '2026-03-06': { reminded: 'x' } });
        // A forgotten workspace starts afresh: a game with an old id records answers again.
        expect(await s.games.create(session(c, 'g1'))).toBe(true);
        expect((await s.games.get(c))?.rounds[0]?.answers).toEqual({});
        expect(await s.workspaces.forget(WS)).toEqual({ quizSessions: 1 });
      });
    });

    describe('retention', () => {
      const c1 = channel('c1');
      const c2 = channel('c2');
      const NOW = new Date('2026-06-30T00:00:00.000Z');

      it('prune removes what is past the retention policy, keeps the rest and reports counts', async () => {
        const two = (id: string) => [
          { userId: 'u1', points: 5, name: 'A' },
          { userId: 'u2', points: 4, name: `B${id}` },
        ];
        // deliveryDays 60: 2026-05-01 is the first kept date.
        await s.daily.recordDelivery(c1, '2026-04-30', 'sent', new Date('2026-04-30T06:00:00Z'));
        await s.daily.recordDelivery(c1, '2026-06-01', 'sent', new Date('2026-06-01T06:00:00Z'));
        // resultDays 180, monthlyScoreMonths 24 (2024-06 is the first kept month).
        await s.results.record(result(c1, 'old', '2024-05-10T12:00:00.000Z', two('old')), topicsOf);
        await s.results.record(result(c1, 'new', '2026-06-01T12:00:00.000Z', two('new')), topicsOf);
        // studyDays 365: an answer from 2025-01 goes.
        await s.results.noteAnswer(
          WS,
          { id: 'u3', displayName: 'C' },
          {
            questionId: 'q1',
            topics: ['thaw'],
            correct: true,
            at: '2025-01-01T00:00:00.000Z',
            source: 'daily',
          },
        );
        // sessionIdleDays 2.
        await s.games.create(session(c1, 'idle', { updatedAt: '2026-06-20T00:00:00.000Z' }));
        await s.games.create(session(c2, 'live', { updatedAt: '2026-06-29T12:00:00.000Z' }));
        // nightRunDays 60.
        await s.nights.add(night(c1, 'n1'));
        await s.nights.markRun(c1, 'n1', '2026-04-01', 'started', 'x');
        await s.nights.markRun(c1, 'n1', '2026-06-20', 'started', 'y');

        expect(await s.prune(NOW)).toEqual({
          deliveries: 1,
          quizResults: 1,
          studyEntries: 5, // both old-game answers of u1 and u2, and u3's
          scoreBoards: 1,
          quizSessions: 1,
          nightRuns: 1,
          reviewLogs: 0,
          reminderClaims: 0,
          disputes: 0,
          assignments: 0,
        });
        expect((await s.daily.deliveries(c1, 10)).map((d) => d.date)).toEqual(['2026-06-01']);
        expect(await s.results.has(c1, 'old')).toBe(false);
        expect(await s.results.has(c1, 'new')).toBe(true);
        expect(await s.results.leaderboard(WS, '2024-05', 10)).toEqual([]);
        expect((await s.results.leaderboard(WS, '2026-06', 10)).map((r) => r.points)).toEqual([5, 4]);
        // The all-time board keeps its totals; records keep their counts, not the old entries.
        expect((await s.results.leaderboard(WS, 'all', 10)).map((r) => [r.userId, r.points])).toEqual([
          ['u1', 10],
          ['u2', 8],
        ]);
        const u1 = await s.results.player(WS, 'u1');
        expect(u1?.games).toBe(2);
        expect(u1?.history.map((h) => h.at)).toEqual([
          '2026-06-01T12:00:00.000Z',
          '2026-06-01T12:00:00.000Z',
        ]);
        expect((await s.results.player(WS, 'u3'))?.history).toEqual([]);
        expect(await s.games.get(c1)).toBeUndefined();
        expect((await s.games.get(c2))?.id).toBe('live');
        expect((await s.nights.inChannel(c1))[0]?.runs).toEqual({ '2026-06-20': { started: 'y' } });
        // Nothing more to do the second time.
        expect(await s.prune(NOW)).toEqual({
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
        });
      });

      it('prune keeps at most studyMaxEntries of each player’s newest answers', async () => {
        for (let i = 1; i <= 5; i++)
          await s.results.noteAnswer(
            WS,
            { id: 'u1', displayName: 'A' },
            {
              questionId: `q${i}`,
              topics: [],
              correct: true,
              at: `2026-06-2${i}T00:00:00.000Z`,
              source: 'daily',
            },
          );
        await s.results.noteAnswer(
          WS,
          { id: 'u2', displayName: 'B' },
          {
            questionId: 'q1',
            topics: [],
            correct: true,
            at: '2026-06-21T00:00:00.000Z',
            source: 'daily',
          },
        );
        const report = await s.prune(NOW, { ...DEFAULT_RETENTION, studyMaxEntries: 3 });
        expect(report.studyEntries).toBe(2);
        expect((await s.results.player(WS, 'u1'))?.history.map((h) => h.questionId)).toEqual([
          'q3',
          'q4',
          'q5',
        ]);
        expect((await s.results.player(WS, 'u2'))?.history).toHaveLength(1);
      });
    });

    describe('records are copies', () => {
      const c1 = channel('c1');

      it('changing a record handed out or handed in changes nothing stored', async () => {
        const sub = subscription(c1);
        await s.daily.subscribe(sub);
        sub.time = '23:59';
        const game = session(c1, 'g1');
        await s.games.create(game);
        game.rounds[0]!.answers.u9 = answer('u9');
        await s.games.recordAnswer(c1, 'g1', 0, answer('u1'));
        const n = night(c1, 'n1');
        await s.nights.add(n);
        n.runs['2026-01-01'] = { started: 'x' };
        await s.settings.change(WS, (settings) => {
          settings.hostUserIds.push('h1');
        });
        await s.results.record(
          result(c1, 'r1', '2026-03-01T10:05:00.000Z', [
            { userId: 'u1', points: 3 },
            { userId: 'u2', points: 2 },
          ]),
          topicsOf,
        );

        (await s.settings.get(WS))!.hostUserIds.push('h2');
        (await s.daily.subscription(c1))!.time = '00:00';
        (await s.daily.subscriptions('2026-01-01'))[0]!.subscription.days = 'weekdays';
        const got = (await s.games.get(c1))!;
        got.current = 2;
        got.rounds[0]!.answers.u2 = answer('u2');
        (await s.nights.inChannel(c1))[0]!.runs['2026-01-02'] = { started: 'y' };
        (await s.results.leaderboard(WS, 'all', 10))[0]!.points = 1000;
        const record = (await s.results.player(WS, 'u1'))!;
        record.history.length = 0;
        record.games = 99;

        expect(await s.settings.get(WS)).toEqual({ hostUserIds: ['h1'] });
        expect(await s.daily.subscription(c1)).toEqual(subscription(c1));
        expect((await s.games.get(c1))?.current).toBe(0);
        expect(Object.keys((await s.games.get(c1))?.rounds[0]?.answers ?? {})).toEqual(['u1']);
        expect((await s.nights.inChannel(c1))[0]?.runs).toEqual({});
        expect((await s.results.leaderboard(WS, 'all', 10))[0]?.points).toBe(3);
        expect((await s.results.player(WS, 'u1'))?.history).toHaveLength(2);
        expect((await s.results.player(WS, 'u1'))?.games).toBe(1);
      });
    });

    describe('engine', () => {
      it('probe makes a round trip, describe says where the data lives, close is idempotent', async () => {
        await s.probe();
        expect(s.describe()).toMatch(/\S/);
        await s.close();
        await s.close();
      });

      it('data survives closing and opening again', async (ctx) => {
        if (!opened.reopen) ctx.skip();
        const c1 = channel('c1');
        await s.settings.change(WS, (settings) => {
          settings.timezone = 'Europe/Moscow';
        });
        await s.daily.subscribe(subscription(c1));
        await s.daily.recordDelivery(c1, '2026-03-01', 'sent', new Date('2026-03-01T06:00:00Z'), {
          messageId: 'm',
        });
        await s.games.create(session(c1, 'g1'));
        await s.games.recordAnswer(c1, 'g1', 0, answer('u1'));
        await s.results.record(
          result(c1, 'r1', '2026-03-01T10:05:00.000Z', [
            { userId: 'u1', points: 3 },
            { userId: 'u2', points: 2 },
          ]),
          topicsOf,
        );
        await s.nights.add(night(c1, 'n1'));
        await s.nights.markRun(c1, 'n1', '2026-03-06', 'started', 'x');
        await s.workspaces.markRemoved(WS12, new Date('2026-03-01T00:00:00Z'));

        const again = await opened.reopen!();
        expect(await again.settings.get(WS)).toEqual({ timezone: 'Europe/Moscow', hostUserIds: [] });
        expect(await again.daily.subscription(c1)).toEqual(subscription(c1));
        expect(await again.daily.delivery(c1, '2026-03-01')).toEqual({
          status: 'sent',
          at: '2026-03-01T06:00:00.000Z',
          messageId: 'm',
        });
        expect((await again.games.get(c1))?.rounds[0]?.answers).toEqual({ u1: answer('u1') });
        expect(await again.results.has(c1, 'r1')).toBe(true);
        expect((await again.results.leaderboard(WS, 'all', 10)).map((r) => r.userId)).toEqual(['u1', 'u2']);
        expect((await again.results.player(WS, 'u2'))?.history).toHaveLength(2);
        expect((await again.nights.inChannel(c1))[0]?.runs).toEqual({ '2026-03-06': { started: 'x' } });
        expect(await again.workspaces.removed()).toEqual([
          { ws: WS12, removedAt: '2026-03-01T00:00:00.000Z' },
        ]);
      });
    });
  });
}
