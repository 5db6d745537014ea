/** The study service on in-memory storage with an injected clock. */
import { beforeEach, describe, expect, it } from 'vitest';
import { memoryStorage } from '../../src/store/doc/index.ts';
import type { StudyRepo, WorkspaceRef } from '../../src/store/ports.ts';
import { StudyService } from '../../src/study/service.ts';
import { quizContent } from '../helpers/quiz-content.ts';

const WS: WorkspaceRef = { platform: 'discord', workspaceId: 'g1' };
const DAY = 86_400_000;
const START = new Date('2026-03-02T09:00:00.000Z');
const UTC = { timezone: 'UTC' };

let now: Date;
let study: StudyRepo;
let service: StudyService;
const content = quizContent(6); // alpha: 12 questions, beta: 6

beforeEach(() => {
  now = START;
  study = memoryStorage().study;
  service = new StudyService({ content, study, now: () => now });
});

const answer = (
  questionId: string,
  correct: boolean,
  over: { elapsedMs?: number; at?: Date; userId?: string } = {},
) =>
  service.recordAnswer({
    ws: WS,
    userId: over.userId ?? 'u1',
    questionId,
    correct,
    elapsedMs: over.elapsedMs ?? 3_000,
    limitMs: 20_000,
    source: 'quiz',
    ...(over.at ? { at: over.at } : {}),
  });

describe('recordAnswer', () => {
  it('puts a new question into the deck with its topics, then updates the card', async () => {
    const first = await answer('q-easy-3', true);
    expect(first.isNew).toBe(true);
    expect(first.grade).toBe('good');
    expect(first.due.getTime()).toBeGreaterThan(START.getTime());
    expect((await study.profile(WS, 'u1'))?.topics).toEqual(['alpha']);
    const second = await answer('q-easy-3', true, { at: first.due });
    expect(second.isNew).toBe(false);
    expect(second.card.reps).toBe(2);
    expect(await study.logs(WS, 'u1', new Date(0))).toEqual([
      { questionId: 'q-easy-3', at: START.toISOString(), rating: 3, correct: true, source: 'quiz' },
      { questionId: 'q-easy-3', at: first.due.toISOString(), rating: 3, correct: true, source: 'quiz' },
    ]);
  });

  it('a miss comes back sooner than a slow right answer, and that sooner than a quick one', async () => {
    const miss = await answer('q-easy-3', false);
    const slow = await answer('q-easy-4', true, { elapsedMs: 18_000 });
    const quick = await answer('q-easy-5', true, { elapsedMs: 2_000 });
    expect([miss.grade, slow.grade, quick.grade]).toEqual(['again', 'hard', 'good']);
    expect(miss.due.getTime()).toBeLessThan(slow.due.getTime());
    expect(slow.due.getTime()).toBeLessThan(quick.due.getTime());
  });

  it('keeps one deck per workspace and user', async () => {
    await answer('q-easy-3', true);
    await answer('q-easy-3', true, { userId: 'u2' });
    const other: WorkspaceRef = { platform: 'discord', workspaceId: 'g2' };
    expect(await study.cards(other, 'u1')).toEqual([]);
    expect((await study.cards(WS, 'u2')).map((c) => c.reps)).toEqual([1]);
  });
});

describe('grade', () => {
  it('a self-graded Easy schedules further out than Good, Again sooner', async () => {
    const good = await service.grade(WS, 'u1', 'q-easy-3', 'good');
    const easy = await service.grade(WS, 'u1', 'q-easy-4', 'easy');
    const again = await service.grade(WS, 'u1', 'q-easy-5', 'again');
    expect(easy.due.getTime()).toBeGreaterThan(good.due.getTime());
    expect(again.due.getTime()).toBeLessThan(good.due.getTime());
    expect((await study.logs(WS, 'u1', new Date(0))).map((e) => [e.rating, e.correct, e.source])).toEqual([
      [3, true, 'review'],
      [4, true, 'review'],
      [1, false, 'review'],
    ]);
  });
});

describe('next', () => {
  it('gives due cards first, oldest due first, with the due count', async () => {
    await answer('q-easy-3', true);
    await answer('q-easy-4', false);
    now = new Date(START.getTime() + 30 * DAY);
    const next = await service.next(WS, 'u1', now, UTC);
    expect(next).toMatchObject({ kind: 'due', questionId: 'q-easy-4', dueCount: 2 });
    // Only the topic's cards with a topic.
    await answer('q-easy-1', false, { at: new Date(START.getTime() - DAY) });
    expect(await service.next(WS, 'u1', now, { ...UTC, topic: 'beta' })).toMatchObject({
      kind: 'due',
      questionId: 'q-easy-1',
      dueCount: 1,
    });
    expect(await service.dueCount(WS, 'u1', now)).toBe(3);
    expect(await service.dueCount(WS, 'u1', now, 'alpha')).toBe(2);
  });

  it('then new questions from the learner’s topics, at most newPerDay a local day', async () => {
    expect(await service.next(WS, 'u1', now, UTC)).toEqual({ kind: 'done', dueCount: 0 });
    await service.noteTopic(WS, 'u1', 'beta');
    await service.noteTopic(WS, 'u1', 'no-such-topic');
    expect((await study.profile(WS, 'u1'))?.topics).toEqual(['beta']);
    await service.setNewPerDay(WS, 'u1', 2);
    const seen: string[] = [];
    for (let i = 0; i < 2; i++) {
      const next = await service.next(WS, 'u1', now, UTC);
      expect(next).toMatchObject({ kind: 'new', newLeftToday: 2 - i });
      if (next.kind !== 'new') throw new Error('expected a new card');
      seen.push(next.questionId);
      await service.recordAnswer({
        ws: WS,
        userId: 'u1',
        questionId: next.questionId,
        correct: true,
        source: 'review',
      });
    }
    expect(new Set(seen).size).toBe(2);
    expect(content.questions({ topic: 'beta' }).map((q) => q.id)).toEqual(expect.arrayContaining(seen));
    // Cap reached: caught up, with the next due time.
    const done = await service.next(WS, 'u1', now, UTC);
    expect(done.kind).toBe('done');
    if (done.kind === 'done') expect(done.nextDue?.getTime()).toBeGreaterThan(now.getTime());
    // Quiz answers enter the deck without using the cap.
    await answer('q-medium-1', true);
    // A topic asked for explicitly is a source too, but the cap is the same.
    expect((await service.next(WS, 'u1', now, { ...UTC, topic: 'alpha' })).kind).toBe('done');
    // The next local day brings new ones again.
    now = new Date('2026-03-03T00:30:00.000Z');
    expect(await service.next(WS, 'u1', now, UTC)).toMatchObject({ kind: 'new', newLeftToday: 2 });
  });

  it('counts the cap by the learner’s local day', async () => {
    await service.noteTopic(WS, 'u1', 'alpha');
    await service.setNewPerDay(WS, 'u1', 1);
    // 23:30 in UTC is already the next day in Moscow (UTC+3).
    const late = new Date('2026-03-02T23:30:00.000Z');
    await service.recordAnswer({
      ws: WS,
      userId: 'u1',
      questionId: 'q-easy-3',
      correct: true,
      source: 'review',
      at: late,
    });
    expect((await service.next(WS, 'u1', late, { timezone: 'Europe/Moscow' })).kind).toBe('done');
    const moscowNextMorning = new Date('2026-03-03T21:30:00.000Z'); // 00:30 on the 4th in Moscow
    expect((await service.next(WS, 'u1', moscowNextMorning, { timezone: 'Europe/Moscow' })).kind).toBe('new');
  });
});

describe('progress', () => {
  it('sums up mastery by topic, what is due, the streak and the last 30 days', async () => {
    // Three days in a row (the 2nd to the 4th of March), then the report on the 5th: streak 3.
    for (let day = 0; day < 3; day++) {
      const at = new Date(START.getTime() + day * DAY);
      await answer('q-easy-3', day !== 1, { at });
      await answer('q-easy-1', true, { at });
    }
    // A card stable for 21 days or more counts as mastered.
    await study.changeCard(WS, 'u1', 'q-easy-4', (before) => ({
      card: { ...(before ?? cardLike('q-easy-4')), stability: 30, due: '2026-04-20T00:00:00.000Z' },
      log: {
        questionId: 'q-easy-4',
        at: '2026-02-01T10:00:00.000Z',
        rating: 3,
        correct: true,
        source: 'quiz',
      },
    }));
    now = new Date(START.getTime() + 3 * DAY);
    const p = await service.progress(WS, 'u1', now, 'UTC');
    expect(p.mastery).toEqual([
      { topic: 'alpha', title: 'Alpha', mastered: 1, total: 12, share: 1 / 12 },
      { topic: 'beta', title: 'Beta', mastered: 0, total: 6, share: 0 },
    ]);
    expect(p.cards).toBe(3);
    const cards = await study.cards(WS, 'u1');
    const endOfDay = Date.parse('2026-03-05T23:59:59.999Z');
    expect(p.dueToday).toBe(cards.filter((c) => Date.parse(c.due) <= endOfDay).length);
    expect(p.dueThisWeek).toBe(cards.filter((c) => Date.parse(c.due) <= endOfDay + 6 * DAY).length);
    expect(p.nextDue?.getTime()).toBe(Math.min(...cards.map((c) => Date.parse(c.due))));
    expect(p.streakDays).toBe(3);
    expect(p.days).toHaveLength(30);
    expect(p.days.at(-1)).toEqual({ date: '2026-03-05', right: 0, total: 0 });
    expect(p.days.slice(-4, -1)).toEqual([
      { date: '2026-03-02', right: 2, total: 2 },
      { date: '2026-03-03', right: 1, total: 2 },
      { date: '2026-03-04', right: 2, total: 2 },
    ]);
    expect(p.days.reduce((n, d) => n + d.total, 0)).toBe(6); // February's answer is older than 30 days
    expect(p.newPerDay).toBe(5);
    // Two days later the streak is broken.
    expect((await service.progress(WS, 'u1', new Date(now.getTime() + DAY), 'UTC')).streakDays).toBe(0);
  });

  it('counts days in the learner’s time zone and shows a paused reminder', async () => {
    await answer('q-easy-3', true, { at: new Date('2026-03-02T22:30:00.000Z') }); // the 3rd in Moscow
    await study.changeProfile(WS, 'u1', (p) => {
      p.reminder = {
        time: '08:00',
        timezone: 'Europe/Moscow',
        paused: { reason: 'DMs are closed', at: 'x' },
      };
    });
    const p = await service.progress(WS, 'u1', new Date('2026-03-03T10:00:00.000Z'), 'Europe/Moscow');
    expect(p.days.at(-1)).toEqual({ date: '2026-03-03', right: 1, total: 1 });
    expect(p.streakDays).toBe(1);
    expect(p.reminder?.paused?.reason).toBe('DMs are closed');
    const utc = await service.progress(WS, 'u1', new Date('2026-03-03T10:00:00.000Z'), 'UTC');
    expect(utc.days.at(-2)).toEqual({ date: '2026-03-02', right: 1, total: 1 });
  });

  it('is empty for a learner with nothing stored', async () => {
    const p = await service.progress(WS, 'nobody', now, 'UTC');
    expect(p).toMatchObject({
      mastery: [],
      cards: 0,
      dueToday: 0,
      dueThisWeek: 0,
      streakDays: 0,
      newPerDay: 5,
    });
    expect(p.nextDue).toBeUndefined();
  });
});

function cardLike(questionId: string) {
  return {
    questionId,
    due: '2026-03-01T00:00:00.000Z',
    stability: 1,
    difficulty: 5,
    elapsedDays: 0,
    scheduledDays: 1,
    learningSteps: 0,
    reps: 1,
    lapses: 0,
    state: 'review' as const,
    addedAt: '2026-02-01T10:00:00.000Z',
    addedBy: 'quiz' as const,
  };
}

describe('next, by the day', () => {
  it('counts a card due later today as due, in the learner time zone', async () => {
    // Missed at 18:00 in Berlin: due again at 18:00 the next day.
    const evening = new Date('2026-03-02T17:00:00.000Z');
    const miss = await answer('q-easy-3', false, { at: evening });
    expect(miss.due.toISOString()).toBe('2026-03-03T17:00:00.000Z');
    const morning = new Date('2026-03-03T07:00:00.000Z'); // 08:00 in Berlin, the card not due for 10 hours
    await service.setNewPerDay(WS, 'u1', 0);
    const next = await service.next(WS, 'u1', morning, { timezone: 'Europe/Berlin' });
    expect(next).toMatchObject({ kind: 'due', questionId: 'q-easy-3', dueCount: 1 });
    // The evening before, it is not due yet: tomorrow's card.
    const before = await service.next(WS, 'u1', new Date('2026-03-02T22:00:00.000Z'), {
      timezone: 'Europe/Berlin',
    });
    expect(before).toMatchObject({ kind: 'done', nextDue: miss.due });
  });
});
