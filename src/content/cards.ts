import { type Reply, type ReplySource, reply } from '../core/reply.ts';
import type { ContentIndex } from './index.ts';
import type { Fact, Source, Topic } from './schema.ts';

/** Content items rendered as portable reply cards, shared by the commands that show them. */

export function sourceLabel(source: Source): string {
  const byline = [source.author, source.year].filter(Boolean).join(', ');
  const pages = source.pages ? `, ${/^\d/.test(source.pages) ? 'p. ' : ''}${source.pages}` : '';
  return `${source.title}${byline ? ` (${byline})` : ''}${pages}`;
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

export type Detail = 'short' | 'full';

/** Sources a short card lists; the full card lists them all. */
const SHORT_CARD_SOURCES = 4;

/** A topic summary with one fun fact and buttons for another fact and related topics. */
export function topicCard(topic: Topic, detail: Detail, fact: Fact | undefined, ephemeral = false): Reply {
  const topicSources = detail === 'full' ? topic.sources : topic.sources.slice(0, SHORT_CARD_SOURCES);
  return reply({
    title: topic.title,
    text: detail === 'full' ? topic.fullSummary : topic.summary,
    fields: fact ? [{ label: 'Fun fact', value: fact.text }] : undefined,
    sources: replySources(topicSources, fact?.sources ?? []),
    actions: [
      { id: `fact:${topic.id}${fact ? `:${fact.id}` : ''}`, label: 'Another fun fact' },
      { id: `related:${topic.id}`, label: 'Related topics', style: 'secondary' },
    ],
    ephemeral,
  });
}

/** One fact as a card, with a button for the next one. */
export function factCard(fact: Fact, topic: Topic | undefined, ephemeral: boolean): Reply {
  return reply({
    title: topic ? `Fun fact: ${topic.title}` : 'Fun fact',
    text: fact.text,
    sources: replySources(fact.sources),
    actions: [{ id: `fact:${topic?.id ?? '*'}:${fact.id}`, label: 'Another fun fact' }],
    ephemeral,
  });
}

/** The topics related to `topic`, as buttons that open each one. */
export function relatedCard(index: ContentIndex, topic: Topic): Reply {
  const related = topic.related.map((id) => index.topic(id)).filter((t): t is Topic => t !== undefined);
  if (related.length === 0) {
    return reply({
      text: `No related topics are listed for *${topic.title}* yet. Try \`/learn\` to see all topics.`,
      ephemeral: true,
    });
  }
  return reply({
    title: `Related to ${topic.title}`,
    text: related.map((t) => `- **${t.title}**: ${firstSentence(t.summary)}`).join('\n'),
    actions: related.slice(0, 10).map((t) => ({ id: `learn:${t.id}`, label: t.title.slice(0, 40) })),
    ephemeral: true,
  });
}

export function firstSentence(text: string): string {
  const m = /^(.+?[.!?])(\s|$)/.exec(text.trim());
  return m ? (m[1] as string) : text.trim();
}

/** Autocomplete and "did you mean" values for topic options. */
export function topicSuggestions(index: ContentIndex, prefix: string): { value: string; label: string }[] {
  return index.similarTopics(prefix, 25).map((t) => ({ value: t.id, label: t.title.slice(0, 100) }));
}
