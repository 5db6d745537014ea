import { replySources, sourcesCard, sourcesWithMore } from '../src/content/cards.ts';
import type { ContentIndex } from '../src/content/index.ts';
import { type Command, UserError } from '../src/core/command.ts';
import { errorReply, type Reply, reply } from '../src/core/reply.ts';
import { dayName } from '../src/schedule/post.ts';
import { requireTopic } from './learn.ts';
import { topicOption } from './shared-options.ts';

const PAGE = 8;
const FIRST_YEAR = 1900;
const LAST_YEAR = 2000;

interface Query {
  from: number;
  to: number;
  topic?: string;
}

/** The events of a page, its number and how many pages there are. */
function pageOf(content: ContentIndex, query: Query, page: number) {
  const events = content.library.events
    .filter(
      (e) => e.year >= query.from && e.year <= query.to && (!query.topic || e.topics.includes(query.topic)),
    )
    .sort((a, b) => a.year - b.year || a.monthDay.localeCompare(b.monthDay) || a.id.localeCompare(b.id));
  const range = query.from === query.to ? `${query.from}` : `${query.from}-${query.to}`;
  const topicTitle = query.topic ? content.topic(query.topic)?.title : undefined;
  const title = `Timeline ${range}${topicTitle ? `: ${topicTitle}` : ''}`;
  if (events.length === 0) {
    throw new UserError(
      `No events in the library for ${range}${topicTitle ? ` on ${topicTitle}` : ''}. Try a wider range.`,
    );
  }
  const pages = Math.ceil(events.length / PAGE);
  const current = Math.min(Math.max(0, page), pages - 1);
  const shown = events.slice(current * PAGE, (current + 1) * PAGE);
  return { title, shown, current, pages, total: events.length };
}

/** One page of events in date order, with Previous/Next buttons carrying the query. */
export function timelinePage(content: ContentIndex, query: Query, page: number): Reply {
  const { title, shown, current, pages, total } = pageOf(content, query, page);
  const state = `${query.from}:${query.to}:${query.topic ?? '*'}`;
  const actions = [];
  if (current > 0)
    actions.push({ id: `tl:${state}:${current - 1}`, label: 'Previous', style: 'secondary' as const });
  if (current < pages - 1) actions.push({ id: `tl:${state}:${current + 1}`, label: 'Next' });
  const all = replySources(...shown.map((e) => e.sources));
  const { sources, more } = sourcesWithMore(all, all, `tlsrc:${state}:${current}`);
  if (more) actions.push({ ...more, style: 'secondary' as const });
  return reply({
    title,
    text: shown.map((e) => `- **${dayName(e.monthDay)} ${e.year}**: ${e.text}`).join('\n'),
    fields: [{ label: 'Page', value: `${current + 1} of ${pages} (${total} events)` }],
    sources,
    actions: actions.length ? actions : undefined,
  });
}

export const timeline: Command = {
  name: 'timeline',
  description: 'Events in order, for a range of years and optionally one topic',
  options: [
    {
      name: 'from',
      description: `first year (default 1953)`,
      type: 'integer',
      min: FIRST_YEAR,
      max: LAST_YEAR,
    },
    { name: 'to', description: `last year (default 1964)`, type: 'integer', min: FIRST_YEAR, max: LAST_YEAR },
    topicOption(),
  ],
  run(ctx) {
    const from = ctx.options.integer('from') ?? 1953;
    const to = ctx.options.integer('to') ?? Math.max(from, 1964);
    if (to < from)
      throw new UserError(
        `\`to\` (${to}) comes before \`from\` (${from}).`,
        '/timeline [from:1953] [to:1964] [topic]',
      );
    const name = ctx.options.string('topic');
    return timelinePage(
      ctx.content,
      { from, to, topic: name ? requireTopic(ctx.content, name).id : undefined },
      0,
    );
  },
  actions: {
    // tl:<from>:<to>:<topic or *>:<page>
    tl: (ctx) => {
      const [from, to, topic, page] = ctx.payload.split(':');
      const query = { from: Number(from), to: Number(to), topic: topic === '*' ? undefined : topic };
      if (!Number.isInteger(query.from) || !Number.isInteger(query.to) || !Number.isInteger(Number(page))) {
        return {
          mode: 'new',
          reply: errorReply('That timeline is no longer available. Run `/timeline` again.'),
        };
      }
      return { mode: 'replace', reply: timelinePage(ctx.content, query, Number(page)) };
    },
    // tlsrc:<from>:<to>:<topic or *>:<page>: every source of a timeline page.
    tlsrc: (ctx) => {
      const [from, to, topic, page] = ctx.payload.split(':');
      const query = { from: Number(from), to: Number(to), topic: topic === '*' ? undefined : topic };
      if (!Number.isInteger(query.from) || !Number.isInteger(query.to) || !Number.isInteger(Number(page)))
        throw new UserError('Those sources are no longer available. Run `/timeline` again.');
      const { title, shown } = pageOf(ctx.content, query, Number(page));
      return { mode: 'new', reply: sourcesCard(title, replySources(...shown.map((e) => e.sources))) };
    },
  },
};
