import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exportLibrary } from '../../src/content/export.ts';
import { ContentError, loadContent, readContent } from '../../src/content/load.ts';
import { contentStats } from '../../src/content/stats.ts';
import { FIXTURE_CONTENT } from '../helpers/deps.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A copy of the fixture content with one file changed. */
function brokenCopy(file: string, change: (text: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'thawbot-content-'));
  dirs.push(dir);
  cpSync(FIXTURE_CONTENT, dir, { recursive: true });
  const path = join(dir, file);
  writeFileSync(path, change(readFileSync(path, 'utf8')));
  return dir;
}

function problemsOf(dir: string): string[] {
  return readContent(dir).problems.map(
    (p) => `${p.file.split('/').slice(-2).join('/')}: ${p.field}: ${p.message}`,
  );
}

describe('content loader', () => {
  it('loads the fixture library and indexes it', () => {
    const index = loadContent(FIXTURE_CONTENT);
    expect(index.topics.map((t) => t.id)).toEqual(['alpha', 'beta']);
    expect(index.topic('ALFA')?.id).toBe('alpha');
    expect(index.eventsOn('02-25').map((e) => e.year)).toEqual([1953, 1956]);
    expect(index.facts('alpha', 'fun')).toHaveLength(2);
    expect(index.questions({ eventId: '1956-02-25-alpha-day' })).toHaveLength(1);
    expect(index.topic('beta')?.sources[0]?.pages).toBe('12-14');
  });

  it.each([
    [
      'events/fixture.yaml',
      (t: string) => t.replace('"02-25"\n  year: 1956', '"02-30"\n  year: 1956'),
      'item 1 (1956-02-25-alpha-day) monthDay: is not a real day of the year',
    ],
    [
      'events/fixture.yaml',
      (t: string) => t.replace('topics: [alpha]', 'topics: [gamma]'),
      'item 1 (1956-02-25-alpha-day) topics[0]: unknown topic "gamma"',
    ],
    [
      'events/fixture.yaml',
      (t: string) => t.replace('year: 1956', 'year: 1957'),
      'item 1 (1956-02-25-alpha-day) id: must start with its date "1957-02-25"',
    ],
    [
      'facts/alpha.yaml',
      (t: string) =>
        t.replace(
          /sources: \[\{ title: Fixture Encyclopedia \}\]\n- id: alpha-key-1/,
          'sources: []\n- id: alpha-key-1',
        ),
      'item 2 (alpha-fun-2) sources: needs at least one source',
    ],
    [
      'facts/alpha.yaml',
      (t: string) => t.replace('id: alpha-fun-2', 'id: alpha-fun-1'),
      'item 2 (alpha-fun-1) id: duplicate fact id "alpha-fun-1" (first in',
    ],
    [
      'facts/alpha.yaml',
      (t: string) => t.replace("Alpha's second fun fact.", "ALPHA'S first fun-fact!"),
      'item 2 (alpha-fun-2) text: repeats fact "alpha-fun-1"',
    ],
    [
      'questions/alpha.yaml',
      (t: string) => t.replace('5 March 1953', '25 february 1956'),
      'item 1 (q-alpha-1) wrong: options must be distinct',
    ],
    [
      'questions/alpha.yaml',
      (t: string) =>
        t.replace(
          'wrong: [14 February 1956, 5 March 1953, 23 October 1956]',
          'wrong: [14 February 1956, 5 March 1953]',
        ),
      'item 1 (q-alpha-1) wrong: needs exactly three wrong answers',
    ],
    [
      'questions/alpha.yaml',
      (t: string) => t.replace('eventId: 1956-02-25-alpha-day', 'eventId: 1956-02-26-nothing'),
      'item 1 (q-alpha-1) eventId: unknown event "1956-02-26-nothing"',
    ],
    [
      'questions/alpha.yaml',
      (t: string) => t.replace('difficulty: easy', 'difficulty: trivial'),
      'item 1 (q-alpha-1) difficulty:',
    ],
    [
      'questions/alpha.yaml',
      (t: string) => t.replace('correct: 25 February 1956', `correct: ${'x'.repeat(121)}`),
      'item 1 (q-alpha-1) correct: must be at most 120 characters',
    ],
    [
      'questions/alpha.yaml',
      (t: string) => `${t}  colour: red\n`,
      'item 1 (q-alpha-1) (item): unknown field(s): colour',
    ],
    [
      'topics/alpha.md',
      (t: string) => t.replace('id: alpha', 'id: alpha-x'),
      'topics/alpha.md: id: must match the file name ("alpha")',
    ],
    [
      'topics/alpha.md',
      (t: string) => t.replace(/summary: .*/, `summary: ${'y'.repeat(901)}`),
      'item 1 (alpha) summary: must be at most 900 characters',
    ],
    [
      'topics/beta.md',
      (t: string) => t.replace('aliases: [second topic]', 'aliases: [first topic]'),
      'item 1 (beta) aliases: "first topic" already names topic "alpha"',
    ],
    [
      'topics/beta.md',
      (t: string) => t.replace('related: [alpha]', 'related: [delta]'),
      'item 1 (beta) related[0]: unknown topic "delta"',
    ],
    [
      'reading.yaml',
      (t: string) => t.replace('level: introductory', 'level: expert'),
      'item 1 (fixture-book) level:',
    ],
    ['reading.yaml', () => 'id: not-a-list\n', 'reading.yaml: (file): must be a YAML list of items'],
    ['facts/alpha.yaml', (t: string) => `${t}\n- id: [unclosed\n`, 'facts/alpha.yaml: (syntax):'],
  ])('names the file, field and reason when %s is broken (%#)', (file, change, expected) => {
    const problems = problemsOf(brokenCopy(file, change));
    expect(problems.join('\n')).toContain(expected);
  });

  it('throws a ContentError listing every problem', () => {
    const dir = brokenCopy('events/fixture.yaml', (t) =>
      t.replaceAll('topics: [alpha]', 'topics: [x]').replace('topics: [beta]', 'topics: [y]'),
    );
    expect(() => loadContent(dir)).toThrow(ContentError);
    try {
      loadContent(dir);
    } catch (error) {
      expect((error as ContentError).problems).toHaveLength(2);
      expect((error as Error).message).toMatch(
        /events\/fixture\.yaml: item 1 \(1956-02-25-alpha-day\) topics\[0\]: unknown topic "x"/,
      );
    }
  });

  it('reports a missing content directory', () => {
    expect(readContent('/nonexistent/thawbot-content').problems[0]?.message).toBe(
      'content directory not found',
    );
  });
});

describe('content export and stats', () => {
  it('exports exactly the documented shape', () => {
    const { library } = readContent(FIXTURE_CONTENT);
    const out = exportLibrary(library) as Record<string, Record<string, unknown>[]>;
    expect(Object.keys(out)).toEqual(['topics', 'events', 'facts', 'questions', 'reading']);
    expect(Object.keys(out.topics?.[0] ?? {})).toEqual([
      'id',
      'title',
      'aliases',
      'summary',
      'fullSummary',
      'related',
      'sources',
    ]);
    expect(Object.keys(out.events?.[0] ?? {})).toEqual([
      'id',
      'monthDay',
      'year',
      'text',
      'topics',
      'sources',
    ]);
    expect(Object.keys(out.facts?.[0] ?? {})).toEqual(['id', 'kind', 'text', 'topics', 'sources']);
    expect(Object.keys(out.questions?.[0] ?? {})).toEqual([
      'id',
      'question',
      'correct',
      'wrong',
      'explanation',
      'difficulty',
      'topics',
      'eventId',
      'sources',
    ]);
    expect(Object.keys(out.reading?.[0] ?? {})).toEqual(['id', 'title', 'author', 'year', 'level', 'note']);
  });

  it('counts coverage and the longest run of days without events', () => {
    const { library } = readContent(FIXTURE_CONTENT);
    const stats = contentStats(library);
    expect(stats.daysCovered).toBe(1);
    expect(stats.longestGap).toEqual({ days: 365, from: '02-26', to: '02-24' });
    expect(stats.questions).toEqual({ total: 1, easy: 1, medium: 0, hard: 0, withEvent: 1 });
  });
});
