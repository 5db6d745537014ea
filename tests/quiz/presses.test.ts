import { describe, expect, it } from 'vitest';
import { PracticePresses } from '../../src/quiz/presses.ts';

describe('practice presses', () => {
  it('counts the first press of a showing per person, refuses the next, and expires old showings', () => {
    const presses = new PracticePresses(60_000);
    expect(presses.claim('ann', 'q1', 1000, 2000)).toBe('first');
    expect(presses.claim('ann', 'q1', 1000, 3000)).toBe('again');
    expect(presses.claim('bob', 'q1', 1000, 3000)).toBe('first');
    expect(presses.claim('ann', 'q1', 2000, 3000)).toBe('first');
    expect(presses.claim('ann', 'q1', 1000, 61_001)).toBe('expired');
    expect(presses.claim('ann', 'q2', Number.NaN, 3000)).toBe('expired');
    expect(presses.claim('ann', 'q2', 10 * 60_000, 3000)).toBe('expired');
  });

  it('keeps at most its bound, forgetting the oldest first', () => {
    const presses = new PracticePresses(60_000, 3);
    for (const user of ['a', 'b', 'c', 'd']) expect(presses.claim(user, 'q', 1000, 1000)).toBe('first');
    // "a" was forgotten to keep the bound; the newer ones are still known.
    expect(presses.claim('a', 'q', 1000, 1000)).toBe('first');
    expect(presses.claim('d', 'q', 1000, 1000)).toBe('again');
  });
});
