import { describe, expect, it } from 'vitest';
import { fitLabel } from '../../src/core/reply.ts';

describe('fitLabel', () => {
  it('keeps a label that fits', () => {
    expect(fitLabel('Another fun fact', 40)).toBe('Another fun fact');
  });

  it('cuts after a whole word and adds an ellipsis', () => {
    expect(fitLabel('The death and funeral of Stalin (March 1953)', 40)).toBe(
      'The death and funeral of Stalin…',
    );
    expect(fitLabel('The amnesty of March 1953 and its consequences', 30)).toBe(
      'The amnesty of March 1953 and…',
    );
  });

  it('never leaves an opening bracket without its closing one', () => {
    expect(fitLabel('Sputnik and Gagarin (the space race of 1957-1961)', 30)).toBe('Sputnik and Gagarin…');
  });

  it('cuts a single long word hard, still within the limit', () => {
    expect(fitLabel('Antidisestablishmentarianism', 10)).toBe('Antidises…');
  });

  it('never goes over the limit and never returns an empty label', () => {
    for (const label of [
      '',
      '   ',
      'a b c d e f g h i j k l m n o p',
      `${'word '.repeat(40)}`,
      'x'.repeat(200),
    ])
      for (const max of [1, 2, 5, 40, 75, 80]) {
        const fitted = fitLabel(label, max);
        expect(fitted.length).toBeLessThanOrEqual(max);
        expect(fitted.length).toBeGreaterThan(0);
      }
  });
});
