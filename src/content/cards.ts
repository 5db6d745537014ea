import { seededRandom, shuffle } from '../core/random.ts';
import { type Reply, type ReplyAction, type ReplySource, reply } from '../core/reply.ts';
import type { ContentIndex } from './index.ts';
import type { Fact, Source, Topic } from './schema.ts';

/** Content items rendered as portable reply cards, shared by the commands that show them. */

/**
 * "Title (Author, Year), p. 12". The byline leaves out what the title already says (a publisher
 * named in it, its year), and joins a title that ends in brackets with a comma, never nesting them.
 */
export function sourceLabel(source: Source): string {
  const title = source.title.trim();
  const says = (part: string) => title.toLowerCase().includes(part.toLowerCase());
  const byline = [
    source.author && !says(source.author) ? source.author : undefined,
    source.year && !says(String(source.year)) ? String(source.year) : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  const pages = source.pages ? `, ${/^\d/.test(source.pages) ? 'p. ' : ''}${source.pages}` : '';
  if (!byline) return `${title}${pages}`;
  return title.endsWith(')') ? `${title}, ${byline}${pages}` : `${title} (${byline})${pages}`;
}

/** Sources of several items, de-duplicated by URL or label. */
export function replySources(...lists: readonly (readonly Source[])[]): ReplySource[] {
  const seen = new Set<string>();
  const out: ReplySource[] = [];
  for (const source of lists.flat()) {
    const label = sourceLabel(source);
    const key = source.url ?? label;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(source.url ? { label, url: source.url } : { label });
  }
  return out;
}

/** Sources a card lists under itself; the rest are one "More sources" button away. */
export const CARD_SOURCES = 3;

const ACTION_ID_MAX = 100;

/** A card's sources: the first few, and a button for all of them when there are more. */
export function sourcesWithMore(
  all: ReplySource[],
  shown: ReplySource[],
  moreId: string,
): { sources: ReplySource[]; more?: ReplyAction } {
  if (all.length <= CARD_SOURCES) return { sources: all };
  return {
    sources: shown.slice(0, CARD_SOURCES),
    more: { id: moreId, label: 'More sources', style: 'secondary' },
  };
}

export type Detail = 'short' | 'full';

/** One fun fact of a round, and the button payload that shows the next one. */
export interface FactStep {
  fact: Fact;
  /** `fact:` action id for "Another fun fact". */
  nextId: string;
  /** How many fun facts the round goes through. */
  roundSize: number;
}

/**
 * Fun facts go round: each round shows every fun fact of the topic (or all of them) once, in an
 * order fixed by a seed, and only then starts again. The seed and position travel in the button's
 * id (`fact:<topic or *>:<seed>:<position>`), so no state is kept and any number of processes agree.
 */
export function factOrder(index: ContentIndex, topicId: string | undefined, seed: number): Fact[] {
  return shuffle(index.facts(topicId, 'fun'), seededRandom(seed));
}

/** How many seeds a new round tries so that it does not open with the fact just shown. */
const RESEED_TRIES = 20;

/**
 * The fact at `position` of the round `seed`. Past the end of the round, a new round starts with a
 * fresh seed from `random`, never opening with `lastShown`.
 */
export function factStep(
  index: ContentIndex,
  topicId: string | undefined,
  round: { seed: number; position: number } | undefined,
  random: () => number,
  lastShown?: string,
): FactStep | undefined {
  let seed = round?.seed ?? freshSeed(random);
  let order = factOrder(index, topicId, seed);
  let position = round?.position ?? 0;
  if (order.length === 0) return undefined;
  if (position >= order.length || position < 0) {
    const last = lastShown ?? order[order.length - 1]?.id;
    seed = freshSeed(random);
    order = factOrder(index, topicId, seed);
    for (let i = 0; i < RESEED_TRIES && order.length > 1 && order[0]?.id === last; i++) {
      seed = (seed + 1) >>> 0;
      order = factOrder(index, topicId, seed);
    }
    position = 0;
  }
  const fact = order[position] as Fact;
  const nextId = `fact:${topicId ?? '*'}:${seed.toString(36)}:${(position + 1).toString(36)}`;
  return { fact, nextId, roundSize: order.length };
}

/** Reads `<seed>:<position>` from a `fact:` payload; undefined for older ids (`fact:<topic>:<fact id>`). */
export function parseFactRound(parts: readonly string[]): { seed: number; position: number } | undefined {
  const [seed, position] = parts;
  if (parts.length !== 2 || !/^[0-9a-z]{1,7}$/.test(seed ?? '') || !/^[0-9a-z]{1,4}$/.test(position ?? ''))
    return undefined;
  return {
    seed: Number.parseInt(seed as string, 36) >>> 0,
    position: Number.parseInt(position as string, 36),
  };
}

function freshSeed(random: () => number): number {
  return Math.floor(random() * 0x7fffffff) >>> 0;
}

/** A topic summary with one fun fact and buttons for another fact, related topics and all sources. */
export function topicCard(
  topic: Topic,
  detail: Detail,
  step: FactStep | undefined,
  ephemeral = false,
): Reply {
  const fact = step?.fact;
  const all = replySources(topic.sources, fact?.sources ?? []);
  // The fun fact's own source stays visible next to the summary's first ones.
  const shown = replySources(
    topic.sources.slice(0, CARD_SOURCES - 1),
    fact?.sources.slice(0, 1) ?? [],
    topic.sources,
  );
  const moreId =
    fact && `src:t:${topic.id}:${fact.id}`.length <= ACTION_ID_MAX
      ? `src:t:${topic.id}:${fact.id}`
      : `src:t:${topic.id}`;
  const { sources, more } = sourcesWithMore(all, shown, moreId);
  const actions: ReplyAction[] = [];
  if (step && step.roundSize > 1) actions.push({ id: step.nextId, label: 'Another fun fact' });
  actions.push({ id: `related:${topic.id}`, label: 'Related topics', style: 'secondary' });
  if (more) actions.push(more);
  return reply({
    title: topic.title,
    text: detail === 'full' ? topic.fullSummary : topic.summary,
    fields: fact ? [{ label: 'Fun fact', value: fact.text }] : undefined,
    sources,
    actions,
    ephemeral,
  });
}

/** One fact as a card, with a button for the next one of its round. */
export function factCard(step: FactStep, topic: Topic | undefined, ephemeral: boolean): Reply {
  const all = replySources(step.fact.sources);
  const { sources, more } = sourcesWithMore(all, all, `src:f:${step.fact.id}`);
  const actions: ReplyAction[] = [];
  if (step.roundSize > 1) actions.push({ id: step.nextId, label: 'Another fun fact' });
  if (more) actions.push(more);
  return reply({
    title: topic ? `Fun fact: ${topic.title}` : 'Fun fact',
    text: step.fact.text,
    sources,
    actions: actions.length > 0 ? actions : undefined,
    ephemeral,
  });
}

/** Every source of a card, for its "More sources" button. */
export function sourcesCard(title: string, sources: ReplySource[]): Reply {
  return reply({
    title: `Sources: ${title}`,
    text: `All ${sources.length} source${sources.length === 1 ? '' : 's'} of this card.`,
    sources,
    ephemeral: true,
  });
}

/** Related topics shown per page of the "Related topics" card. */
export const RELATED_PAGE = 8;

/**
 * The topics related to `topic`, in the order its `related` list declares (most relevant first),
 * a page at a time: a button opens each, "More" pages on.
 */
export function relatedCard(index: ContentIndex, topic: Topic, page = 0): Reply {
  const related = topic.related.map((id) => index.topic(id)).filter((t): t is Topic => t !== undefined);
  if (related.length === 0) {
    return reply({
      text: `No related topics are listed for *${topic.title}* yet. Try \`/learn\` to see all topics.`,
      ephemeral: true,
    });
  }
  const pages = Math.ceil(related.length / RELATED_PAGE);
  const current = Math.min(Math.max(0, page), pages - 1);
  const shown = related.slice(current * RELATED_PAGE, (current + 1) * RELATED_PAGE);
  const actions: ReplyAction[] = shown.map((t) => ({ id: `learn:${t.id}`, label: t.title }));
  if (current > 0)
    actions.push({ id: `related:${topic.id}:${current - 1}`, label: 'Previous', style: 'secondary' });
  if (current < pages - 1)
    actions.push({ id: `related:${topic.id}:${current + 1}`, label: 'More', style: 'primary' });
  const range =
    pages > 1
      ? ` (${current * RELATED_PAGE + 1}-${current * RELATED_PAGE + shown.length} of ${related.length})`
      : '';
  return reply({
    title: `Related to ${topic.title}${range}`,
    text: shown.map((t) => `- **${t.title}**: ${firstSentence(t.summary)}`).join('\n'),
    actions,
    ephemeral: true,
  });
}

export function firstSentence(text: string): string {
  const m = /^(.+?[.!?])(\s|$)/.exec(text.trim());
  return m ? (m[1] as string) : text.trim();
}

/** How `/learn` groups the topics. */
export type TopicGroup = 'events' | 'people' | 'background';

/**
 * The Stalin years the Thaw reacted to. An editorial choice, so it is listed rather than guessed;
 * every other topic that is not a person is an event of the Thaw.
 */
const BACKGROUND: ReadonlySet<string> = new Set([
  'lenins-testament',
  'kirov-1934',
  'great-terror',
  'deportations-1941-1944',
  'late-stalinism',
]);

/** A person's topic is titled with the name and life dates: "Imre Nagy (1896-1958)". */
const LIFE_DATES = /^[^(]+\((\d{4})-(\d{4})\)$/;
const SHORTEST_LIFE = 30;

export function topicGroup(topic: Topic): TopicGroup {
  if (BACKGROUND.has(topic.id)) return 'background';
  const life = LIFE_DATES.exec(topic.title.trim());
  if (life && Number(life[2]) - Number(life[1]) >= SHORTEST_LIFE) return 'people';
  return 'events';
}

const GROUP_HEADINGS: Record<TopicGroup, string> = {
  events: 'Events of the Thaw',
  people: 'People',
  background: 'Background: the Stalin years',
};

/** Every topic, grouped (events, people, background), with the name to type for each. */
export function topicListCard(index: ContentIndex): Reply {
  const groups: Record<TopicGroup, Topic[]> = { events: [], people: [], background: [] };
  for (const topic of index.topics) groups[topicGroup(topic)].push(topic);
  const sections = (Object.keys(GROUP_HEADINGS) as TopicGroup[])
    .filter((g) => groups[g].length > 0)
    .map((g) => {
      const lines = [...groups[g]]
        .sort((a, b) => a.id.localeCompare(b.id))
        .map((t) => `- \`${t.id}\` ${t.title}`);
      return `**${GROUP_HEADINGS[g]}**\n${lines.join('\n')}`;
    });
  const example = index.topic('hungary-1956')?.id ?? index.topics[0]?.id ?? 'thaw';
  return reply({
    title: `Topics (${index.topics.length})`,
    text: `Type \`/learn\` with a topic's name, for example \`/learn ${example}\`.\n\n${sections.join('\n\n')}`,
    ephemeral: true,
  });
}

/** Autocomplete and "did you mean" values for topic options. */
export function topicSuggestions(index: ContentIndex, prefix: string): { value: string; label: string }[] {
  return index.similarTopics(prefix, 25).map((t) => ({ value: t.id, label: t.title.slice(0, 100) }));
}
