/** The export's "last active" column: local minutes in the server's zone, right across offset changes. */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { exportRows } from '../../src/export/progress.ts';

const ZONES = [
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'Australia/Lord_Howe',
  'Asia/Kolkata',
  'Pacific/Chatham',
];

function lastActive(times: readonly number[], zone: string): string[] {
  const rows = exportRows({
    activity: times.map((ms, i) => ({
      userId: `u${String(i).padStart(5, '0')}`,
      topic: 't',
      answered: 1,
      correct: 1,
      lastAt: new Date(ms).toISOString(),
      mastered: 0,
    })),
    names: new Map(),
    titles: new Map(),
    totals: new Map(),
    finished: new Map(),
    zone,
  });
  return rows.map((r) => String(r[7]));
}

const luxon = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).toFormat('yyyy-MM-dd HH:mm');

describe('last active in the server time zone', () => {
  it('agrees with luxon at the minutes around offset changes (Lord Howe changes by 30 minutes at :30 UTC)', () => {
    const around = [
      Date.UTC(2026, 2, 29, 0, 59),
      Date.UTC(2026, 2, 29, 1, 0),
      Date.UTC(2026, 2, 29, 1, 30),
      Date.UTC(2026, 3, 4, 14, 59),
      Date.UTC(2026, 3, 4, 15, 0),
      Date.UTC(2026, 3, 4, 15, 29),
      Date.UTC(2026, 3, 4, 15, 30),
      Date.UTC(2026, 3, 4, 15, 31),
      Date.UTC(2026, 10, 1, 5, 59),
      Date.UTC(2026, 10, 1, 6, 0),
    ];
    for (const zone of ZONES) expect(lastActive(around, zone)).toEqual(around.map((ms) => luxon(ms, zone)));
  });

  it('agrees with luxon at any time in any of the zones', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }), {
          minLength: 1,
          maxLength: 20,
        }),
        fc.constantFrom(...ZONES),
        (times, zone) => {
          expect(lastActive(times, zone)).toEqual(times.map((ms) => luxon(ms, zone)));
        },
      ),
      { numRuns: 200 },
    );
  });
});
