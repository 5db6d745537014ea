import { describe, expect, it } from 'vitest';
import { describeInstant, dueInstant, localDate, nextDue, postsOn } from '../../src/schedule/due.ts';

const at = (d: string, h: number, m: number, zone: string) =>
  dueInstant(d, { hour: h, minute: m }, zone).toISOString();

describe('due times', () => {
  it('computes local times in the zone, across daylight saving', () => {
    expect(at('2026-01-15', 8, 0, 'Europe/Berlin')).toBe('2026-01-15T07:00:00.000Z');
    expect(at('2026-07-15', 8, 0, 'Europe/Berlin')).toBe('2026-07-15T06:00:00.000Z');
    expect(at('2026-07-15', 8, 0, 'America/New_York')).toBe('2026-07-15T12:00:00.000Z');
    expect(at('2026-01-15', 8, 0, 'America/New_York')).toBe('2026-01-15T13:00:00.000Z');
    expect(at('2026-07-15', 8, 0, 'Europe/Moscow')).toBe('2026-07-15T05:00:00.000Z');
    expect(at('2026-01-15', 8, 0, 'Europe/Moscow')).toBe('2026-01-15T05:00:00.000Z');
  });

  it('moves a time inside the spring-forward gap to the first valid minute after it', () => {
    expect(at('2026-03-29', 2, 30, 'Europe/Berlin')).toBe('2026-03-29T01:00:00.000Z'); // 03:00 CEST
    expect(at('2026-03-08', 2, 0, 'America/New_York')).toBe('2026-03-08T07:00:00.000Z'); // 03:00 EDT
  });

  it('takes the first of a repeated fall-back time', () => {
    expect(at('2026-10-25', 2, 30, 'Europe/Berlin')).toBe('2026-10-25T00:30:00.000Z'); // 02:30 CEST
    expect(at('2026-11-01', 1, 30, 'America/New_York')).toBe('2026-11-01T05:30:00.000Z'); // 01:30 EDT
  });

  it('knows local dates and weekdays', () => {
    expect(localDate(new Date('2026-03-10T23:30:00Z'), 'Europe/Berlin')).toBe('2026-03-11');
    expect(localDate(new Date('2026-03-10T23:30:00Z'), 'America/New_York')).toBe('2026-03-10');
    expect(postsOn('2026-03-14', 'weekdays')).toBe(false); // Saturday
    expect(postsOn('2026-03-16', 'weekdays')).toBe(true); // Monday
    expect(postsOn('2026-03-14', 'every')).toBe(true);
  });

  it('finds the next post and describes it in local time and UTC', () => {
    const next = nextDue(
      new Date('2026-03-13T12:00:00Z'),
      { hour: 8, minute: 0 },
      'Europe/Berlin',
      'weekdays',
    );
    expect(next.toISOString()).toBe('2026-03-16T07:00:00.000Z');
    expect(describeInstant(next, 'Europe/Berlin')).toBe('Mon 16 March, 08:00 Europe/Berlin (07:00 UTC)');
    expect(describeInstant(new Date('2026-03-16T23:30:00Z'), 'Asia/Tokyo')).toBe(
      'Tue 17 March, 08:30 Asia/Tokyo (23:30 UTC on 16 March)',
    );
  });
});
