import { replySources, sourcesWithMore } from '../content/cards.ts';
import type { ContentIndex } from '../content/index.ts';
import type { DatedEvent, Fact, Question } from '../content/schema.ts';
import { pick, seededRandom } from '../core/random.ts';
import { type Reply, reply } from '../core/reply.ts';
import { MONTH_NAMES } from '../core/values.ts';
import { addDays } from './due.ts';

/** "25 February" from "02-25". */
export function dayName(monthDay: string): string {
  const [m, d] = monthDay.split('-').map(Number) as [number, number];
  return `${d} ${MONTH_NAMES[m - 1]}`;
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** A stable seed from a date, so a preview shows exactly what will be posted. */
function dateSeed(date: string): number {
  let h = 2166136261;
  for (const c of date) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return h >>> 0;
}

export interface DayEvents {
  events: DatedEvent[];
  /** Events of 29 February shown on 28 February in a common year. */
  leapDay: DatedEvent[];
}

/** The events of a local date, with 29 February's folded into 28 February in common years. */
export function eventsForDate(content: ContentIndex, date: string): DayEvents {
  const monthDay = date.slice(5);
  const year = Number(date.slice(0, 4));
  const events = [...content.eventsOn(monthDay)];
  const leapDay = monthDay === '02-28' && !isLeap(year) ? [...content.eventsOn('02-29')] : [];
  return { events, leapDay };
}

/**
 * Every source of a day's post: its events' and its fun fact's. A card shows the first few, the
 * fact's among them, with a "More sources" button (`src:d:<date>`) for the rest.
 */
export function daySources(
  content: ContentIndex,
  date: string,
  events: readonly DatedEvent[] = allOfDay(content, date),
  fact: Fact | undefined = dayFact(content, events, seededRandom(dateSeed(date))),
) {
  const all = replySources(...events.map((e) => e.sources), fact?.sources ?? []);
  const factFirst = replySources(fact?.sources.slice(0, 1) ?? [], ...events.map((e) => e.sources));
  return { ...sourcesWithMore(all, factFirst, `src:d:${date}`), all };
}

function allOfDay(content: ContentIndex, date: string): DatedEvent[] {
  const { events, leapDay } = eventsForDate(content, date);
  return [...events, ...leapDay];
}

/** A fun fact on a topic of the day's events (so 25 February does not show the Berlin Wall), else any. */
function dayFact(content: ContentIndex, events: readonly DatedEvent[], random: () => number) {
  const topics = [...new Set(events.flatMap((e) => e.topics))];
  const facts = topics.flatMap((t) => content.facts(t, 'fun'));
  const unique = [...new Map(facts.map((f) => [f.id, f])).values()];
  return pick(unique, random) ?? content.pickFact(random);
}

/**
 * Questions for "Quiz me on this" under a day's events: not those whose answer is a date, which
 * the card itself gives away.
 */
export function quizMeQuestions(content: ContentIndex, events: readonly DatedEvent[]): Question[] {
  return events
    .flatMap((e) => content.questions({ eventId: e.id }))
    .filter((q) => !DATE_ANSWER.test(q.correct.trim()));
}

const MONTH_ALTERNATIVES = MONTH_NAMES.join('|');
/** "25 February 1956", "February 1956", "1956", "25 February", "25-26 February 1956". */
const DATE_ANSWER = new RegExp(
  `^(?:(?:\\d{1,2}(?:[-–]\\d{1,2})? )?(?:${MONTH_ALTERNATIVES})(?: \\d{4})?|\\d{4}|(?:${MONTH_ALTERNATIVES}) \\d{1,2},? \\d{4})$`,
  'i',
);

function line(e: DatedEvent, label?: string): string {
  return `- **${e.year}**${label ? ` (${label})` : ''}: ${e.text}`;
}

/**
 * The daily "on this day" post for a local date: the day's events by year and one fun fact; on a
 * day without events, the nearest events within three days, or else a topic spotlight. Never empty.
 */
export function dailyPost(
  content: ContentIndex,
  date: string,
  options: { quizButton?: boolean } = {},
): Reply {
  const random = seededRandom(dateSeed(date));
  const monthDay = date.slice(5);
  const { events, leapDay } = eventsForDate(content, date);
  const fact = dayFact(content, [...events, ...leapDay], random);
  const fields = fact ? [{ label: 'Fun fact', value: fact.text }] : [];
  const all = [...events, ...leapDay].sort((a, b) => a.year - b.year);
  if (all.length > 0) {
    const hasQuestion = quizMeQuestions(content, all).length > 0;
    const { sources, more } = daySources(content, date, all, fact);
    const actions = [
      ...(options.quizButton !== false && hasQuestion
        ? [{ id: `dq:${date}`, label: 'Quiz me on this' }]
        : []),
      ...(more ? [more] : []),
    ];
    return reply({
      title: `On this day: ${dayName(monthDay)}`,
      text: all.map((e) => line(e, leapDay.includes(e) ? '29 February' : undefined)).join('\n'),
      fields,
      sources,
      actions: actions.length > 0 ? actions : undefined,
      fallbackText: `On this day, ${dayName(monthDay)}: ${all.map((e) => `${e.year}: ${e.text}`).join(' ')}`,
    });
  }
  for (let distance = 1; distance <= 3; distance++) {
    const near = [addDays(date, -distance), addDays(date, distance)].flatMap((d) =>
      content.eventsOn(d.slice(5)).map((e) => ({ e, d: d.slice(5) })),
    );
    if (near.length > 0) {
      const sorted = near.sort((a, b) => a.d.localeCompare(b.d) || a.e.year - b.e.year);
      return reply({
        title: `This week in history: around ${dayName(monthDay)}`,
        text: `Nothing in our library happened on ${dayName(monthDay)}, but close by:\n${sorted
          .map(({ e, d }) => line(e, dayName(d)))
          .join('\n')}`,
        fields,
        sources: replySources(...sorted.map(({ e }) => e.sources), fact?.sources ?? []),
        fallbackText: `This week in history, around ${dayName(monthDay)}: ${sorted.map(({ e, d }) => `${dayName(d)} ${e.year}: ${e.text}`).join(' ')}`,
      });
    }
  }
  const topic = pick(content.topics, random);
  if (!topic)
    return reply({ title: `On this day: ${dayName(monthDay)}`, text: 'The library is empty today.' });
  return reply({
    title: `Topic spotlight: ${topic.title}`,
    text: `Nothing in our library happened around ${dayName(monthDay)}, so here is a topic to explore.\n\n${topic.summary}`,
    fields,
    sources: replySources(topic.sources.slice(0, 4), fact?.sources ?? []),
    actions: [{ id: `learn:${topic.id}`, label: 'Read more' }],
  });
}
