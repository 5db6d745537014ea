import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { neutralise, toCsv } from '../../src/export/csv.ts';

describe('toCsv', () => {
  it('starts with a UTF-8 byte-order mark and parses back cell by cell', () => {
    const bytes = toCsv(
      ['name', 'right'],
      [
        ['Zoë "the" Łódź, jr', 7],
        ['line\nbreak', 0],
      ],
    );
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(bytes, { bom: true }) as string[][];
    expect(rows).toEqual([
      ['name', 'right'],
      ['Zoë "the" Łódź, jr', '7'],
      ['line\nbreak', '0'],
    ]);
  });

  it('neutralises cells a spreadsheet would run as formulas', () => {
    const hostile = ['=HYPERLINK("http://x")', '+1+1', '-2', '@SUM(A1)', '\tTAB', '\rCR'];
    const rows = parse(
      toCsv(
        ['cell'],
        hostile.map((h) => [h]),
      ),
      { bom: true },
    ) as string[][];
    expect(rows.slice(1).map((r) => r[0])).toEqual(hostile.map((h) => `'${h}`));
    expect(neutralise('Anna')).toBe('Anna');
    expect(neutralise(-3)).toBe(-3);
  });
});
