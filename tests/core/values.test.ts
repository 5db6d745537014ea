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

  it.each([
    [
      '25:99',
      '"25:99" is not a time of day (hours go up to 23 and minutes go up to 59); write it like 08:00, 8am or 9:30 pm',
    ],
    ['9:60', '"9:60" is not a time of day (minutes go up to 59); write it like 08:00, 8am or 9:30 pm'],
    [
      '13pm',
      '"13pm" is not a time of day (with am or pm, hours go from 1 to 12); write it like 08:00, 8am or 9:30 pm',
    ],
    ['8', '"8" could be morning or evening; write 08:00, 8am or 8pm'],
    ['nine', '"nine" is not a time I can read; write it like 08:00, 8am or 9:30 pm'],
  ])('refuses %j saying what is wrong and what to write', (input, error) => {
    expect(parseTime(input)).toEqual({ ok: false, error });
  });
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
    ['October 23', '10-23'],
    ['october 23', '10-23'],
    ['23 October', '10-23'],
    ['Oct 23', '10-23'],
    ['23 oct.', '10-23'],
    ['23rd October', '10-23'],
    ['October 23rd', '10-23'],
    ['Sept 1', '09-01'],
    ['25 February 1956', '02-25'],
    ['February 25, 1956', '02-25'],
    ['Feb 25', '02-25'],
    ['1956-10-23', '10-23'],
  ])('reads the date people write in words, %j', (input, value) => {
    expect(parseMonthDay(input)).toEqual({ ok: true, value });
  });

  it.each([
    ['23-10', '10-23'],
    ['23/10', '10-23'],
    ['31-12', '12-31'],
    ['13-01', '01-13'],
  ])('reads day-first numbers when only that order is a date, %j', (input, value) => {
    expect(parseMonthDay(input)).toEqual({ ok: true, value });
  });

  it.each([
    ['23.10.', '10-23'],
    ['23.10', '10-23'],
    ['1.2.', '02-01'],
    ['10.23', '10-23'],
  ])('reads dotted dates day first, as written in Europe, %j', (input, value) => {
    expect(parseMonthDay(input)).toEqual({ ok: true, value });
  });

  it.each([
    ['02-30', 'February has no day 30 (it has 29 days in leap years)'],
    ['04-31', 'April has no day 31 (it has 30 days)'],
    [
      '13-13',
      '"13-13" is not a date I can read: there is no month 13; write it like 10-23, 23 October or October 23',
    ],
    [
      '00-10',
      '"00-10" is not a date I can read: there is no month 0; write it like 10-23, 23 October or October 23',
    ],
    [
      'Octember 23',
      '"Octember 23" is not a date I can read: "Octember" is not a month; write it like 10-23, 23 October or October 23',
    ],
    ['tomorrow', '"tomorrow" is not a date I can read; write it like 10-23, 23 October or October 23'],
  ])('refuses %j and shows the forms it reads', (input, error) => {
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

  it('words its refusals as one clause, leaving the full stop to the sentence around it', () => {
    const near = parseTimeZone('Europe/Dubln');
    const none = parseTimeZone('Foo');
    expect(near).toEqual({
      ok: false,
      error: expect.stringMatching(
        /^"Europe\/Dubln" is not a time zone I know; perhaps you meant `Europe\/Dublin`/,
      ),
    });
    expect(none).toEqual({
      ok: false,
      error: '"Foo" is not a time zone I know; use an IANA name such as Europe/Berlin or America/New_York',
    });
    for (const result of [near, none, parseTime('25:99'), parseMonthDay('13-13')])
      if (!result.ok) expect(result.error).not.toMatch(/[.?!]$/);
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
