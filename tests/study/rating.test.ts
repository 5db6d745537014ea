import { describe, expect, it } from 'vitest';
import { gradeAnswer } from '../../src/study/rating.ts';

describe('gradeAnswer', () => {
  it('a wrong answer is Again, however fast', () => {
    expect(gradeAnswer(false, 100, 20_000)).toBe('again');
  });

  it('a right answer is Good, or Hard when it took more than 80% of the time limit', () => {
    expect(gradeAnswer(true, 5_000, 20_000)).toBe('good');
    expect(gradeAnswer(true, 16_000, 20_000)).toBe('good');
    expect(gradeAnswer(true, 16_001, 20_000)).toBe('hard');
  });

  it('without a time or a limit a right answer is Good', () => {
    expect(gradeAnswer(true)).toBe('good');
    expect(gradeAnswer(true, 30_000)).toBe('good');
    expect(gradeAnswer(true, 30_000, 0)).toBe('good');
  });
});
