import { describe, expect, it } from 'vitest';
import type { OptionSpec } from '../../src/core/command.ts';
import { bindTokens, coerceOptions } from '../../src/core/options.ts';
import { sanitizeInput, splitCommandLine, tokenize } from '../../src/core/parse.ts';

const quizStart: OptionSpec[] = [
  { name: 'topic', description: '', type: 'string' },
  { name: 'difficulty', description: '', type: 'choice', choices: ['easy', 'medium', 'hard'] },
  { name: 'questions', description: '', type: 'integer', min: 3, max: 30 },
  { name: 'seconds', description: '', type: 'integer', min: 5, max: 120 },
];

function bind(specs: OptionSpec[], text: string) {
  const tokens = tokenize(text);
  if (!tokens.ok) return tokens;
  const bound = bindTokens(specs, tokens.value);
  if (!bound.ok) return bound;
  return coerceOptions(specs, bound.value);
}

describe('splitCommandLine', () => {
  it.each([
    ['/thaw', { command: 'thaw', rest: '' }],
    ['  /Quiz start questions:5 ', { command: 'quiz', rest: 'start questions:5' }],
    ['/learn\ttopic:alpha', { command: 'learn', rest: 'topic:alpha' }],
  ])('splits %j', (line, expected) => {
    expect(splitCommandLine(line)).toEqual(expected);
  });

  it.each(['thaw', '', '/', '//x', 'hello /thaw'])('rejects %j', (line) => {
    expect(splitCommandLine(line)).toBeUndefined();
  });
});

describe('tokenize', () => {
  it.each([
    [
      'questions:5 seconds:10',
      [
        { raw: 'questions:5', key: 'questions', value: '5' },
        { raw: 'seconds:10', key: 'seconds', value: '10' },
      ],
    ],
    ['time:"9:30 pm"', [{ raw: 'time:9:30 pm', key: 'time', value: '9:30 pm' }]],
    [
      '"secret speech" hard',
      [
        { raw: 'secret speech', value: 'secret speech' },
        { raw: 'hard', value: 'hard' },
      ],
    ],
    ["topic:'hungary 1956'", [{ raw: 'topic:hungary 1956', key: 'topic', value: 'hungary 1956' }]],
    ['topic:“secret speech”', [{ raw: 'topic:secret speech', key: 'topic', value: 'secret speech' }]],
    ['9:30', [{ raw: '9:30', value: '9:30' }]],
    ['TOPIC:alpha', [{ raw: 'TOPIC:alpha', key: 'topic', value: 'alpha' }]],
    ['https://example.org/x', [{ raw: 'https://example.org/x', key: 'https', value: '//example.org/x' }]],
    ['', []],
  ])('tokenizes %j', (text, expected) => {
    expect(tokenize(text)).toEqual({ ok: true, value: expected });
  });

  it('refuses an unclosed quote', () => {
    expect(tokenize('topic:"secret speech')).toEqual({ ok: false, error: 'a quote (") is not closed' });
  });

  it('refuses input over the length limit', () => {
    expect(tokenize('x'.repeat(2001)).ok).toBe(false);
  });

  it('removes control characters and bidi overrides', () => {
    expect(sanitizeInput('a\u0000b\u202ec\nd')).toBe('a b c d');
  });
});

describe('binding options', () => {
  it.each([
    ['questions:5 seconds:10', { questions: 5, seconds: 10 }],
    ['alpha hard 5', { topic: 'alpha', difficulty: 'hard', questions: 5 }],
    ['secret speech HARD', { topic: 'secret speech', difficulty: 'hard' }],
    ['secret speech', { topic: 'secret speech' }],
    ['topic:secret speech', { topic: 'secret speech' }],
    ['hard topic:alpha', { topic: 'alpha', difficulty: 'hard' }],
    ['difficulty:Medium alpha', { difficulty: 'medium', topic: 'alpha' }],
  ])('binds %j', (text, expected) => {
    expect(bind(quizStart, text)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['questions:2', '`questions` must be from 3 to 30; you gave 2'],
    ['questions:31', '`questions` must be from 3 to 30; you gave 31'],
    ['questions:five', '`questions` must be a whole number from 3 to 30'],
    ['questions:1e3', '`questions` must be a whole number from 3 to 30'],
    ['difficulty:impossible', '`difficulty` must be one of: easy, medium, hard'],
    [
      'colour:red',
      'unknown option `colour`; this command takes `topic`, `difficulty`, `questions`, `seconds`',
    ],
    ['questions:5 questions:6', '`questions` is given twice'],
  ])('refuses %j', (text, error) => {
    expect(bind(quizStart, text)).toEqual({ ok: false, error });
  });

  it('refuses values a command without options does not take', () => {
    expect(bind([], 'extra')).toEqual({ ok: false, error: 'this command takes no options' });
  });

  it('requires required options', () => {
    const specs: OptionSpec[] = [{ name: 'zone', description: '', type: 'timezone', required: true }];
    expect(bind(specs, '')).toEqual({ ok: false, error: '`zone` is required' });
    expect(bind(specs, 'europe/berlin')).toEqual({ ok: true, value: { zone: 'Europe/Berlin' } });
  });

  it('parses times, month-days, booleans and mentions', () => {
    const specs: OptionSpec[] = [
      { name: 'time', description: '', type: 'time' },
      { name: 'date', description: '', type: 'monthDay' },
      { name: 'flag', description: '', type: 'boolean' },
      { name: 'user', description: '', type: 'user' },
      { name: 'role', description: '', type: 'role' },
    ];
    expect(
      bind(specs, 'time:"9:30 pm" date:2-5 flag:yes user:<@U123ABC|maria> role:<!subteam^S99|teachers>'),
    ).toEqual({
      ok: true,
      value: {
        time: { hour: 21, minute: 30 },
        date: '02-05',
        flag: true,
        user: { id: 'U123ABC', label: 'maria' },
        role: { id: 'S99', label: 'teachers' },
      },
    });
  });

  it('joins the words of a date or time typed without quotes', () => {
    const date: OptionSpec[] = [{ name: 'date', description: '', type: 'monthDay' }];
    for (const text of ['October 23', '23 October', 'date:October 23', 'Oct 23rd', '23 October 1956'])
      expect(bind(date, text)).toEqual({ ok: true, value: { date: '10-23' } });
    const schedule: OptionSpec[] = [
      { name: 'time', description: '', type: 'time', required: true },
      { name: 'timezone', description: '', type: 'timezone' },
    ];
    expect(bind(schedule, '9:30 pm Europe/Berlin')).toEqual({
      ok: true,
      value: { time: { hour: 21, minute: 30 }, timezone: 'Europe/Berlin' },
    });
    expect(bind(schedule, 'time:8 am')).toEqual({ ok: true, value: { time: { hour: 8, minute: 0 } } });
  });

  it('shows every word of an unreadable date in its error, not "too many values"', () => {
    const date: OptionSpec[] = [{ name: 'date', description: '', type: 'monthDay' }];
    expect(bind(date, '10 23')).toEqual({
      ok: false,
      error: '`date`: "10 23" is not a date I can read; write it like 10-23, 23 October or October 23',
    });
  });

  it('says which value has no option left to fill', () => {
    const one: OptionSpec[] = [{ name: 'level', description: '', type: 'choice', choices: ['a', 'b'] }];
    expect(bind(one, 'a b')).toEqual({
      ok: false,
      error: 'there is no option left for `b` (this command takes `level`)',
    });
  });

  it('accepts the old option name zone: for timezone, typed or sent', () => {
    const specs: OptionSpec[] = [{ name: 'timezone', description: '', type: 'timezone', required: true }];
    expect(bind(specs, 'zone:Europe/Dublin')).toEqual({ ok: true, value: { timezone: 'Europe/Dublin' } });
    expect(coerceOptions(specs, { zone: 'Europe/Dublin' })).toEqual({
      ok: true,
      value: { timezone: 'Europe/Dublin' },
    });
    expect(bind(specs, 'zone:Europe/Dublin timezone:UTC')).toEqual({
      ok: false,
      error: '`timezone` is given twice',
    });
  });
});
