import { describe, expect, it } from 'vitest';
import { parseMention, parseMonthDay, parseTime, parseTimeZone } from '../../src/core/values.ts';

describe('parseTime', () => {
  it.each([
    ['08:00', 8, 0],
    ['8:00', 8, 0],
    ['8am', 8, 0],
    ['8 AM', 8, 0],
    ['9:30 pm', 21, 30],
    ['9:30pm', 21, 30],
    ['12am', 0, 0],
    ['12pm', 12, 0],
    ['12:15 a.m.', 0, 15],
    ['23:59', 23, 59],
    ['00:00', 0, 0],
    ['noon', 12, 0],
    ['midnight', 0, 0],
  ])('reads %j', (input, hour, minute) => {
    expect(parseTime(input)).toEqual({ ok: true, value: { hour, minute } });
  });

  it.each(['24:00', '8', '13pm', '0am', '9:60', '9:5', 'nine', '', '8:00:00', '-1:00'])(
    'refuses %j',
    (input) => {
      expect(parseTime(input).ok).toBe(false);
    },
  );
});

describe('parseMonthDay', () => {
  it.each([
    ['02-25', '02-25'],
    ['2-5', '02-05'],
    ['12/31', '12-31'],
    ['02-29', '02-29'],
  ])('reads %j', (input, value) => {
    expect(parseMonthDay(input)).toEqual({ ok: true, value });
  });

  it.each([
    ['02-30', 'month 02 has no day 30'],
    ['13-01', 'there is no month 13: use 01 to 12'],
    ['04-31', 'month 04 has no day 31'],
    ['00-10', 'there is no month 0: use 01 to 12'],
    ['Feb 25', 'a date must look like MM-DD, for example 02-25'],
  ])('refuses %j', (input, error) => {
    expect(parseMonthDay(input)).toEqual({ ok: false, error });
  });
});

describe('parseTimeZone', () => {
  it.each([
    ['Europe/Berlin', 'Europe/Berlin'],
    ['europe/berlin', 'Europe/Berlin'],
    ['America/New_York', 'America/New_York'],
    ['UTC', 'UTC'],
    ['utc', 'UTC'],
  ])('reads %j', (input, value) => {
    expect(parseTimeZone(input)).toEqual({ ok: true, value });
  });

  it('refuses an unknown zone and suggests close names', () => {
    const result = parseTimeZone('Europe/Berln');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain('`Europe/Berlin`');
  });

  it.each(['Mars/Olympus', '', '../../etc/passwd', 'Europe/Berlin; drop table', 'x'.repeat(100)])(
    'refuses %j',
    (input) => {
      expect(parseTimeZone(input).ok).toBe(false);
    },
  );
});

describe('parseMention', () => {
  it('reads Slack and Discord mentions and plain names', () => {
    expect(parseMention('<@U0123ABCD|maria>', 'user')).toEqual({
      ok: true,
      value: { id: 'U0123ABCD', label: 'maria' },
    });
    expect(parseMention('<@123456789012345678>', 'user')).toEqual({
      ok: true,
      value: { id: '123456789012345678', label: '123456789012345678' },
    });
    expect(parseMention('<@&123456789012345678>', 'role').ok).toBe(true);
    expect(parseMention('@maria', 'user')).toEqual({ ok: true, value: { id: 'maria', label: 'maria' } });
  });

  it('refuses broadcast mentions and junk', () => {
    expect(parseMention('<!everyone>', 'user').ok).toBe(false);
    expect(parseMention('<!here>', 'role').ok).toBe(false);
    expect(parseMention('a b', 'user').ok).toBe(false);
  });
});
