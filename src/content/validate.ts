import { foldText } from '../core/suggest.ts';
import type { ContentProblem } from './load.ts';
import type { DatedEvent, Fact, Question, ReadingItem, Topic } from './schema.ts';

/** An item with where it came from, so cross-item problems can name the file. */
export interface Located<T> {
  item: T;
  file: string;
  label: string;
}

interface Located5 {
  topics: Located<Topic>[];
  events: Located<DatedEvent>[];
  facts: Located<Fact>[];
  questions: Located<Question>[];
  reading: Located<ReadingItem>[];
}

/** Normalised text for duplicate detection: case, punctuation and spacing ignored. */
export function normalizeText(text: string): string {
  return foldText(text);
}

/** Checks that span items: unique ids, references, dates matching ids, answer options, duplicates. */
export function checkLibrary(lib: Located5): ContentProblem[] {
  const problems: ContentProblem[] = [];
  const add = (at: Located<unknown>, field: string, message: string) =>
    problems.push({ file: at.file, field: `${at.label} ${field}`, message });

  const unique = <T extends { id: string }>(items: Located<T>[], kind: string) => {
    const seen = new Map<string, Located<T>>();
    for (const at of items) {
      const first = seen.get(at.item.id);
      if (first) add(at, 'id', `duplicate ${kind} id "${at.item.id}" (first in ${first.file})`);
      else seen.set(at.item.id, at);
    }
    return seen;
  };
  const topicIds = unique(lib.topics, 'topic');
  const eventIds = unique(lib.events, 'event');
  unique(lib.facts, 'fact');
  unique(lib.questions, 'question');
  unique(lib.reading, 'reading');

  const names = new Map<string, string>();
  for (const at of lib.topics) {
    for (const name of [at.item.id, ...at.item.aliases]) {
      const key = normalizeText(name);
      const owner = names.get(key);
      if (owner && owner !== at.item.id) add(at, 'aliases', `"${name}" already names topic "${owner}"`);
      else names.set(key, at.item.id);
    }
  }

  const checkTopics = (at: Located<{ topics: string[] }>) =>
    at.item.topics.forEach((t, i) => {
      if (!topicIds.has(t)) add(at, `topics[${i}]`, `unknown topic "${t}"`);
    });
  for (const at of lib.topics)
    at.item.related.forEach((t, i) => {
      if (!topicIds.has(t)) add(at, `related[${i}]`, `unknown topic "${t}"`);
      if (t === at.item.id) add(at, `related[${i}]`, 'a topic cannot be related to itself');
    });

  for (const at of lib.events) {
    checkTopics(at);
    const { id, monthDay, year } = at.item;
    if (id.slice(0, 10) !== `${year}-${monthDay}`)
      add(at, 'id', `must start with its date "${year}-${monthDay}"`);
    if (monthDay === '02-29' && !isLeap(year)) add(at, 'monthDay', `${year} was not a leap year`);
  }

  const factTexts = new Map<string, string>();
  for (const at of lib.facts) {
    checkTopics(at);
    const key = normalizeText(at.item.text);
    const first = factTexts.get(key);
    if (first) add(at, 'text', `repeats fact "${first}"`);
    else factTexts.set(key, at.item.id);
  }

  const questionTexts = new Map<string, string>();
  for (const at of lib.questions) {
    checkTopics(at);
    const q = at.item;
    const key = normalizeText(q.question);
    const first = questionTexts.get(key);
    if (first) add(at, 'question', `near-duplicate of question "${first}"`);
    else questionTexts.set(key, q.id);
    const options = [q.correct, ...q.wrong].map(normalizeText);
    if (new Set(options).size !== options.length)
      add(at, 'wrong', 'options must be distinct from each other and from the correct answer');
    if (q.eventId !== undefined && !eventIds.has(q.eventId))
      add(at, 'eventId', `unknown event "${q.eventId}"`);
    if (/\b(all|none) of the above\b/i.test([q.correct, ...q.wrong].join(' ')))
      add(at, 'wrong', '"all/none of the above" is not allowed');
  }
  return problems;
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
