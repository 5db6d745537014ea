import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.ts';
import { contentStats } from '../../src/content/stats.ts';
import { REAL_CONTENT } from '../helpers/deps.ts';
import { PEOPLE } from '../helpers/people.ts';

/** The real library must load cleanly and must not shrink below what has been written. */
const index = loadContent(REAL_CONTENT);
const lib = index.library;

const STARTER = [
  'thaw',
  'secret-speech',
  'twentieth-congress',
  'de-stalinization',
  'hungary-1956',
  'khrushchev-ousting-1964',
];
const PERIOD_1953_1956 = [
  'stalin-death',
  'succession-1953',
  'amnesty-1953',
  'gulag-uprisings',
  'doctors-plot',
  'pospelov-commission',
  'rehabilitations',
  'secret-speech',
  'twentieth-congress',
  'speech-leak',
  'georgia-1956',
  'poland-1956',
  'hungary-1956',
];

const PERIOD_1957_1964 = [
  'anti-party-group-1957',
  'space-race',
  'youth-festival-1957',
  'cultural-thaw',
  'pasternak-affair',
  'virgin-lands',
  'khrushchyovki',
  'twenty-second-congress',
  'novocherkassk-1962',
  'berlin-crisis',
  'cuban-missile-crisis',
  'manezh-affair-1962',
  'khrushchev-memoirs',
  'khrushchev-retirement',
];
const BACKGROUND = [
  'lenins-testament',
  'kirov-1934',
  'great-terror',
  'deportations-1941-1944',
  'late-stalinism',
];

/** Questions and fun facts on any of `topics`. */
function onTopics(topics: readonly string[]) {
  const set = new Set(topics);
  return {
    questions: lib.questions.filter((q) => q.topics.some((t) => set.has(t))),
    fun: lib.facts.filter((f) => f.kind === 'fun' && f.topics.some((t) => set.has(t))),
  };
}

describe('the content library', () => {
  it('has every starter topic with a short summary, key and fun facts, related topics and sources', () => {
    for (const id of STARTER) {
      const topic = index.topic(id);
      expect(topic, id).toBeDefined();
      expect(topic?.summary.length).toBeLessThan(900);
      expect(topic?.related.length, id).toBeGreaterThan(0);
      expect(index.facts(id, 'key').length, `${id} key facts`).toBeGreaterThanOrEqual(3);
      expect(index.facts(id, 'fun').length, `${id} fun facts`).toBeGreaterThanOrEqual(3);
    }
  });

  it('gets the known traps right in the summaries', () => {
    expect(index.topic('secret-speech')?.summary).toContain('25 February 1956');
    expect(index.topic('thaw')?.summary).toMatch(/1953/);
    expect(index.topic('thaw')?.summary).toMatch(/Ehrenburg/);
    expect(index.topic('hungary-1956')?.summary).toMatch(/23 October 1956/);
  });

  it('has the reading list the seed recommends, and more', () => {
    expect(lib.reading.length).toBeGreaterThanOrEqual(5);
    expect(lib.reading.find((r) => r.author.includes('Taubman'))).toMatchObject({ year: 2003 });
    expect(lib.reading.find((r) => r.author.includes('Kotkin'))).toMatchObject({ year: 2017 });
  });

  it('covers 1953-1956 with enough topics, events, questions and fun facts', () => {
    for (const id of PERIOD_1953_1956) expect(index.topic(id), id).toBeDefined();
    const events = lib.events.filter((e) => e.year >= 1953 && e.year <= 1956);
    expect(events.length).toBeGreaterThanOrEqual(90);
    const inPeriod = new Set(PERIOD_1953_1956);
    const questions = lib.questions.filter((q) => q.topics.some((t) => inPeriod.has(t)));
    expect(questions.length).toBeGreaterThanOrEqual(90);
    expect(questions.filter((q) => q.eventId).length).toBeGreaterThanOrEqual(20);
    for (const d of ['easy', 'medium', 'hard'] as const)
      expect(questions.filter((q) => q.difficulty === d).length).toBeGreaterThan(10);
    const fun = lib.facts.filter((f) => f.kind === 'fun' && f.topics.some((t) => inPeriod.has(t)));
    expect(fun.length).toBeGreaterThanOrEqual(40);
  });

  it('has at least 30 questions on the starter topics and 20 dated events overall', () => {
    expect(
      lib.questions.filter((q) => q.topics.some((t) => STARTER.includes(t))).length,
    ).toBeGreaterThanOrEqual(30);
    expect(lib.events.length).toBeGreaterThanOrEqual(20);
  });

  it('covers 1957-1964 with enough topics, events, questions and fun facts', () => {
    for (const id of PERIOD_1957_1964) expect(index.topic(id), id).toBeDefined();
    expect(lib.events.filter((e) => e.year >= 1957 && e.year <= 1964).length).toBeGreaterThanOrEqual(90);
    const { questions, fun } = onTopics(PERIOD_1957_1964);
    expect(questions.length).toBeGreaterThanOrEqual(90);
    expect(questions.filter((q) => q.eventId).length).toBeGreaterThanOrEqual(20);
    expect(fun.length).toBeGreaterThanOrEqual(40);
  });

  it('has the background the speech names and a calendar for daily posts', () => {
    for (const id of BACKGROUND) expect(index.topic(id), id).toBeDefined();
    const stats = contentStats(lib);
    expect(stats.events).toBeGreaterThanOrEqual(250);
    expect(stats.daysCovered).toBeGreaterThanOrEqual(200);
    expect(stats.longestGap.days).toBeLessThanOrEqual(10);
    expect(stats.questions.total).toBeGreaterThanOrEqual(250);
    expect(stats.facts.fun).toBeGreaterThanOrEqual(120);
    expect(lib.reading.length).toBeGreaterThanOrEqual(10);
    for (const r of lib.reading) expect(r.note.length, r.id).toBeGreaterThan(10);
  });
});

describe('the library as Content IV left it', () => {
  const stats = contentStats(lib);

  it('has a real event on at least 350 days, 480 events, and no gap of more than 2 days', () => {
    expect(stats.daysCovered).toBeGreaterThanOrEqual(350);
    expect(stats.events).toBeGreaterThanOrEqual(480);
    expect(stats.longestGap.days).toBeLessThanOrEqual(2);
  });

  it('has at least 15 people, each with key dates, 3 facts and 6 questions', () => {
    for (const id of PEOPLE) {
      const topic = index.topic(id);
      expect(topic, id).toBeDefined();
      expect(topic?.fullSummary, `${id} key dates`).toMatch(/key dates/i);
      expect(index.facts(id).length, `${id} facts`).toBeGreaterThanOrEqual(3);
      expect(index.questions({ topic: id }).length, `${id} questions`).toBeGreaterThanOrEqual(6);
    }
  });

  it('opens the people students ask about by name, in Latin or Cyrillic letters', () => {
    const cases: [string, string][] = [
      ['khrushchev', 'khrushchev'],
      ['Khrushchov', 'khrushchev'],
      ['stalin', 'stalin'],
      ['beria', 'beria'],
      ['brezhnev', 'brezhnev'],
      ['хрущёв', 'khrushchev'],
      ['хрущев', 'khrushchev'],
      ['Венгрия', 'hungary-1956'],
    ];
    for (const [typed, id] of cases) expect(index.resolveTopic(typed)?.id, typed).toBe(id);
  });

  it('has 500 questions, and 3 at each difficulty for every topic', () => {
    expect(stats.questions.total).toBeGreaterThanOrEqual(500);
    for (const topic of lib.topics) {
      const row = stats.questionsByTopic[topic.id];
      for (const d of ['easy', 'medium', 'hard'] as const)
        expect(row?.[d], `${topic.id} ${d}`).toBeGreaterThanOrEqual(3);
    }
  });

  it('names the subject of every fun fact instead of opening with a pronoun', () => {
    const vague =
      /^(he|she|it|they|his|her|its|their|this|these|the (speech|congress|crisis|plenum|revolution|leader))\b/i;
    // "It was Molotov who..." names its subject.
    const named = /^It was [A-Z]/;
    const offenders = lib.facts
      .filter((f) => f.kind === 'fun' && vague.test(f.text) && !named.test(f.text))
      .map((f) => f.id);
    expect(offenders).toEqual([]);
  });

  it('labels sources one way: no nested or repeated parentheses, no malformed addresses', () => {
    const sources = [...lib.topics, ...lib.events, ...lib.facts, ...lib.questions].flatMap((i) =>
      i.sources.map((s) => ({ id: i.id, s })),
    );
    const nested = sources.filter(({ s }) => /\([^)]*\(|\)\s*\(/.test(s.title)).map(({ id }) => id);
    expect(nested).toEqual([]);
    const badUrl = sources.filter(({ s }) => s.url && !/^https?:\/\/[^\s;]+[^\s;.,]$/.test(s.url));
    expect(badUrl.map(({ id, s }) => `${id}: ${s.url}`)).toEqual([]);
  });

  it('never rests an item on Wikipedia alone', () => {
    const items = [...lib.topics, ...lib.events, ...lib.facts, ...lib.questions];
    const wikiOnly = items
      .filter((i) => i.sources.every((s) => s.url?.includes('wikipedia.org')))
      .map((i) => i.id);
    expect(wikiOnly).toEqual([]);
  });
});
