import {
  type Detail,
  factStep,
  relatedCard,
  replySources,
  sourcesCard,
  topicCard,
  topicListCard,
} from '../src/content/cards.ts';
import type { ContentIndex, Topic } from '../src/content/types.ts';
import { type Actor, type Command, type Deps, UserError } from '../src/core/command.ts';
import { dayName, daySources } from '../src/schedule/post.ts';
import { topicOption } from './shared-options.ts';

/** Finds a topic by id, title or alias, or explains what exists. */
export function requireTopic(content: ContentIndex, name: string): Topic {
  const topic = content.resolveTopic(name);
  if (topic) return topic;
  const near = content.similarTopics(name, 5);
  const shown = name.length > 60 ? `${name.slice(0, 60)}…` : name;
  const hint =
    near.length > 0
      ? `Did you mean: ${near.map((t) => `\`${t.id}\` (${t.title})`).join(', ')}?`
      : `Topics: ${content.topics.map((t) => `\`${t.id}\``).join(', ')}.`;
  throw new UserError(`I have no topic called "${shown}". ${hint}`);
}

/** A topic opened becomes a source of new review cards; failing that must not hide the topic. */
async function noteTopic(ctx: Actor & Pick<Deps, 'study' | 'log'>, topic: string): Promise<void> {
  await ctx.study
    .noteTopic(ctx.channel, ctx.user.id, topic)
    .catch((err: unknown) => ctx.log.error({ err, topic }, 'could not note a topic for review'));
}

export const learn: Command = {
  name: 'learn',
  description: 'Learn about a topic of the Thaw: a summary, a fun fact and sources',
  options: [
    topicOption('a topic name, e.g. hungary-1956 (leave out to list the topics)'),
    {
      name: 'detail',
      description: 'short (default) or full summary',
      type: 'choice',
      choices: ['short', 'full'],
    },
  ],
  async run(ctx) {
    const name = ctx.options.string('topic');
    if (!name) return topicListCard(ctx.content);
    const topic = requireTopic(ctx.content, name);
    await noteTopic(ctx, topic.id);
    const detail = (ctx.options.string('detail') ?? 'short') as Detail;
    return topicCard(topic, detail, factStep(ctx.content, topic.id, undefined, ctx.random));
  },
  actions: {
    learn: async (ctx) => {
      const topic = requireTopic(ctx.content, ctx.payload);
      await noteTopic(ctx, topic.id);
      return {
        mode: 'new',
        reply: topicCard(topic, 'short', factStep(ctx.content, topic.id, undefined, ctx.random), true),
      };
    },
    // related:<topic id>[:<page>]; the first press opens the list, the next ones page through it.
    related: (ctx) => {
      const [id = '', page] = ctx.payload.split(':');
      const card = relatedCard(ctx.content, requireTopic(ctx.content, id), Number(page ?? 0) || 0);
      return { mode: page === undefined ? 'new' : 'replace', reply: card };
    },
    // src:t:<topic id>[:<fact id>], src:f:<fact id> or src:d:<date>: every source of a card.
    src: (ctx) => {
      const [kind, id = '', factId] = ctx.payload.split(':');
      if (kind === 'd' && /^\d{4}-\d{2}-\d{2}$/.test(id))
        return {
          mode: 'new',
          reply: sourcesCard(`on this day, ${dayName(id.slice(5))}`, daySources(ctx.content, id).all),
        };
      const fact = (factOrId: string | undefined) =>
        factOrId ? ctx.content.facts().find((f) => f.id === factOrId) : undefined;
      if (kind === 'f') {
        const found = fact(id);
        if (!found) throw new UserError('Those sources are no longer available. Run the command again.');
        return { mode: 'new', reply: sourcesCard('the fun fact', replySources(found.sources)) };
      }
      const topic = requireTopic(ctx.content, id);
      return {
        mode: 'new',
        reply: sourcesCard(topic.title, replySources(topic.sources, fact(factId)?.sources ?? [])),
      };
    },
  },
};
