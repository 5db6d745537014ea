/**
 * Taking over a game whose process stopped: another service on the same store steps it once its
 * timer is overdue, and the game goes on there. Step names are what processes sharing PostgreSQL
 * store once per game.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { stepKey } from '../../src/quiz/service.ts';
import { memoryStorage } from '../../src/store/doc/index.ts';
import { recordingQuizApp } from '../helpers/quiz-content.ts';

const channel = { platform: 'discord' as const, workspaceId: 'g1', channelId: 'c1' };
const ann = {
  user: { platform: 'discord' as const, id: 'ann', displayName: 'Ann' },
  channel,
  isAdmin: false,
  isHost: false,
  inServer: true,
};

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-03-10T19:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('quiz take-over', () => {
  it('steps a game whose timer is overdue, and runs it from then on', async () => {
    const storage = memoryStorage();
    const first = recordingQuizApp({ storage, seed: 3, quizPauseMs: 2000 });
    const second = recordingQuizApp({ storage, seed: 4, quizPauseMs: 2000 });
    const started = await first.router.handle({
      ...ann,
      command: 'quiz',
      input: { kind: 'text', text: 'start questions:3 seconds:10' },
    });
    expect(started.title).toBe('Quiz time!');
    await vi.advanceTimersByTimeAsync(0);
    expect(first.poster.titles()).toEqual(['Question 1 of 3']);
    // The first process dies: its timers are gone.
    await first.deps.quiz.shutdown();
    expect(await second.deps.quiz.sweep()).toBe(0);

    await vi.advanceTimersByTimeAsync(11_000);
    expect(await second.deps.quiz.sweep()).toBe(0);
    await vi.advanceTimersByTimeAsync(1_500);
    expect(await second.deps.quiz.sweep()).toBe(1);
    await vi.advanceTimersByTimeAsync(0);
    expect(second.poster.titles()[0]).toMatch(/^Answer: /);
    // The reveal armed its next timer here: the game goes on without another sweep.
    await vi.advanceTimersByTimeAsync(2_000);
    expect(second.poster.titles()).toContain('Question 2 of 3');
    await vi.advanceTimersByTimeAsync(30_000);
    expect(second.poster.titles().at(-1)).toBe('Final scores');
    expect(first.poster.titles()).toEqual(['Question 1 of 3']);
  });

  it('names each step a game takes once: ask and reveal per question, a resume by its time', () => {
    expect(
      stepKey({ type: 'timeout', round: 2, at: 1 }, [{ type: 'reveal', round: 2, reason: 'time' }]),
    ).toBe('reveal:2');
    expect(stepKey({ type: 'next', round: 2, at: 1 }, [{ type: 'ask', round: 3 }])).toBe('ask:3');
    expect(stepKey({ type: 'resume', at: 5 }, [{ type: 'ask', round: 1 }])).toBe('resume:5');
    expect(stepKey({ type: 'next', round: 2, at: 1 }, [{ type: 'finish', stopped: false }])).toBeUndefined();
  });
});
