import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/core/random.ts';
import { type MachineEnv, newSession, type QuizEvent, standings, step } from '../../src/quiz/machine.ts';
import { points, rank } from '../../src/quiz/scoring.ts';
import type { QuizSession } from '../../src/store/schema.ts';

const env = (): MachineEnv => ({ random: seededRandom(7), pauseMs: 3000 });
const T0 = Date.parse('2026-03-01T19:00:00Z');
const ann = { id: 'ann', displayName: 'Ann' };
const bob = { id: 'bob', displayName: 'Bob' };
const cy = { id: 'cy', displayName: 'Cy' };

function start(mode: 'race' | 'learner' = 'race', count = 3) {
  return newSession(
    {
      id: 'g1',
      channel: { platform: 'console', workspaceId: 'w', channelId: 'c' },
      startedBy: ann,
      mode,
      seconds: 20,
      questionIds: ['q1', 'q2', 'q3', 'q4', 'q5'].slice(0, count),
      at: T0,
    },
    env(),
  );
}

/** The option index (as shown) that is correct in the current round. */
function right(s: QuizSession): number {
  return s.rounds[s.current]?.order.indexOf(0) as number;
}
function wrong(s: QuizSession): number {
  return (right(s) + 1) % 4;
}

function run(session: QuizSession, ...events: QuizEvent[]) {
  let s = session;
  const effects = [];
  for (const e of events) {
    const out = step(s, e, env());
    s = out.session;
    effects.push(...out.effects);
  }
  return { session: s, effects };
}

describe('scoring', () => {
  it('gives 1000 for an instant race answer, 500 at the buzzer, plus streaks capped at 500', () => {
    expect(points('race', true, 0, 20_000, 0)).toBe(1000);
    expect(points('race', true, 10_000, 20_000, 0)).toBe(750);
    expect(points('race', true, 20_000, 20_000, 0)).toBe(500);
    expect(points('race', true, 25_000, 20_000, 0)).toBe(500);
    expect(points('race', true, 0, 20_000, 2)).toBe(1200);
    expect(points('race', true, 0, 20_000, 9)).toBe(1500);
    expect(points('race', false, 0, 20_000, 3)).toBe(0);
    expect(points('learner', true, 19_000, 20_000, 4)).toBe(1000);
  });

  it('ranks ties together and skips the next rank', () => {
    expect(
      rank([{ points: 5 }, { points: 9 }, { points: 5 }, { points: 1 }]).map((p) => [p.points, p.rank]),
    ).toEqual([
      [9, 1],
      [5, 2],
      [5, 2],
      [1, 4],
    ]);
  });
});

describe('quiz state machine', () => {
  it('opens the first round with shuffled options and a timer', () => {
    const { session, effects } = start();
    expect(session.current).toBe(0);
    expect([...(session.rounds[0]?.order ?? [])].sort()).toEqual([0, 1, 2, 3]);
    expect(session.rounds[0]?.endsAt).toBe(new Date(T0 + 20_000).toISOString());
    expect(effects).toEqual([
      { type: 'ask', round: 0 },
      { type: 'timer', kind: 'timeout', round: 0, at: T0 + 20_000 },
    ]);
  });

  it('records the first answer only and refuses later clicks by the same person', () => {
    const s0 = start().session;
    const { session, effects } = run(
      s0,
      { type: 'answer', user: ann, round: 0, choice: right(s0), at: T0 + 5000 },
      { type: 'answer', user: ann, round: 0, choice: wrong(s0), at: T0 + 6000 },
    );
    expect(session.rounds[0]?.answers.ann).toMatchObject({
      choice: right(s0),
      correct: true,
      ms: 5000,
      points: 875,
    });
    expect(effects).toEqual([
      { type: 'locked', userId: 'ann', choice: right(s0) },
      { type: 'count', round: 0 },
      { type: 'refused', userId: 'ann', reason: 'already' },
    ]);
  });

  it('refuses answers after time is up, to old rounds, and out of range', () => {
    const s0 = start().session;
    const late = run(s0, { type: 'answer', user: bob, round: 0, choice: 1, at: T0 + 20_001 });
    expect(late.effects).toEqual([{ type: 'refused', userId: 'bob', reason: 'closed' }]);
    const stale = run(s0, { type: 'answer', user: bob, round: 3, choice: 1, at: T0 });
    expect(stale.effects).toEqual([{ type: 'refused', userId: 'bob', reason: 'stale' }]);
    const bad = run(s0, { type: 'answer', user: bob, round: 0, choice: 7, at: T0 });
    expect(bad.effects).toEqual([{ type: 'refused', userId: 'bob', reason: 'invalid' }]);
  });

  it('reveals on timeout, then moves to the next question after the pause', () => {
    const s0 = start().session;
    const out = run(s0, { type: 'timeout', round: 0, at: T0 + 20_000 });
    expect(out.session.rounds[0]?.revealed).toBe(true);
    expect(out.effects).toEqual([
      { type: 'reveal', round: 0, reason: 'time' },
      { type: 'timer', kind: 'next', round: 0, at: T0 + 23_000 },
    ]);
    const next = run(out.session, { type: 'next', round: 0, at: T0 + 23_000 });
    expect(next.session.current).toBe(1);
    expect(next.effects[0]).toEqual({ type: 'ask', round: 1 });
  });

  it('ignores stray timers for rounds already over', () => {
    const s0 = start().session;
    const revealed = run(s0, { type: 'timeout', round: 0, at: T0 + 20_000 }).session;
    expect(run(revealed, { type: 'timeout', round: 0, at: T0 + 20_001 }).effects).toEqual([]);
    expect(run(s0, { type: 'next', round: 0, at: T0 }).effects).toEqual([]);
  });

  it('counts streaks across rounds and resets them on a miss or silence', () => {
    let s = start('race', 4).session;
    const answerRound = (who: typeof ann, good: boolean) => {
      s = run(s, {
        type: 'answer',
        user: who,
        round: s.current,
        choice: good ? right(s) : wrong(s),
        at: Date.parse(s.rounds[s.current]?.shownAt as string),
      }).session;
    };
    const finishRound = () => {
      const at = Date.parse(s.rounds[s.current]?.endsAt as string);
      s = run(
        s,
        { type: 'timeout', round: s.current, at },
        { type: 'next', round: s.current, at: at + 3000 },
      ).session;
    };
    answerRound(ann, true);
    answerRound(bob, true);
    finishRound();
    expect(s.streaks).toEqual({ ann: 1, bob: 1 });
    answerRound(ann, true);
    answerRound(bob, false);
    finishRound();
    expect(s.streaks).toEqual({ ann: 2, bob: 0 });
    // Bob stays silent: his streak stays 0; Ann's third in a row earns +200.
    answerRound(ann, true);
    expect(s.rounds[2]?.answers.ann?.points).toBe(1200);
    finishRound();
    expect(s.streaks).toEqual({ ann: 3, bob: 0 });
  });

  it('in learner mode reveals as soon as every player has answered, from the second question on', () => {
    let s = start('learner', 3).session;
    s = run(s, { type: 'answer', user: ann, round: 0, choice: right(s), at: T0 + 1000 }).session;
    const first = run(s, { type: 'answer', user: bob, round: 0, choice: right(s), at: T0 + 2000 });
    expect(first.effects.some((e) => e.type === 'reveal')).toBe(false);
    s = run(
      first.session,
      { type: 'timeout', round: 0, at: T0 + 20_000 },
      { type: 'next', round: 0, at: T0 + 23_000 },
    ).session;
    s = run(s, { type: 'answer', user: ann, round: 1, choice: right(s), at: T0 + 24_000 }).session;
    expect(s.rounds[1]?.revealed).toBeUndefined();
    const both = run(s, { type: 'answer', user: bob, round: 1, choice: wrong(s), at: T0 + 25_000 });
    expect(both.session.rounds[1]?.revealed).toBe(true);
    expect(both.effects.map((e) => e.type)).toEqual(['locked', 'count', 'reveal', 'timer']);
    expect(both.effects[2]).toEqual({ type: 'reveal', round: 1, reason: 'answered' });
    expect(both.session.rounds[1]?.answers.ann?.points).toBe(1000);
  });

  it('skip reveals the current question, and skipping again moves on', () => {
    const s0 = start().session;
    const skipped = run(s0, { type: 'skip', at: T0 + 1000 });
    expect(skipped.effects.map((e) => e.type)).toEqual(['reveal', 'timer']);
    // The reveal says why, so the closed question reads "Skipped." rather than "Time is up."
    expect(skipped.effects[0]).toEqual({ type: 'reveal', round: 0, reason: 'skipped' });
    const again = run(skipped.session, { type: 'skip', at: T0 + 1500 });
    expect(again.session.current).toBe(1);
  });

  it('finishes after the last question and on stop', () => {
    let s = start('race', 1).session;
    s = run(s, { type: 'timeout', round: 0, at: T0 + 20_000 }).session;
    expect(run(s, { type: 'next', round: 0, at: T0 + 23_000 }).effects).toEqual([
      { type: 'finish', stopped: false },
    ]);
    expect(run(start().session, { type: 'stop', at: T0 }).effects).toEqual([
      { type: 'finish', stopped: true },
    ]);
  });

  it('ranks the final standings with ties', () => {
    let s = start('race', 2).session;
    const at = Date.parse(s.rounds[0]?.shownAt as string);
    s = run(
      s,
      { type: 'answer', user: ann, round: 0, choice: right(s), at },
      { type: 'answer', user: bob, round: 0, choice: right(s), at },
      { type: 'answer', user: cy, round: 0, choice: wrong(s), at },
    ).session;
    expect(standings(s)).toEqual([
      { userId: 'ann', displayName: 'Ann', points: 1000, correct: 1, answered: 1, rank: 1 },
      { userId: 'bob', displayName: 'Bob', points: 1000, correct: 1, answered: 1, rank: 1 },
      { userId: 'cy', displayName: 'Cy', points: 0, correct: 0, answered: 1, rank: 3 },
    ]);
  });
});
