import { type Detail, relatedCard, topicCard } from '../src/content/cards.ts';
import type { ContentIndex, Topic } from '../src/content/types.ts';
import { type Command, UserError } from '../src/core/command.ts';
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

export const learn: Command = {
  name: 'learn',
  description: 'Learn about a topic of the Thaw: a summary, a fun fact and sources',
  options: [
    topicOption('a topic name, e.g. hungary-1956', true),
    {
      name: 'detail',
      description: 'short (default) or full summary',
      type: 'choice',
      choices: ['short', 'full'],
    },
  ],
  run(ctx) {
    const topic = requireTopic(ctx.content, ctx.options.string('topic') ?? '');
    const detail = (ctx.options.string('detail') ?? 'short') as Detail;
    return topicCard(topic, detail, ctx.content.pickFact(ctx.random, topic.id));
  },
  actions: {
    learn: (ctx) => {
      const topic = requireTopic(ctx.content, ctx.payload);
      return {
        mode: 'new',
        reply: topicCard(topic, 'short', ctx.content.pickFact(ctx.random, topic.id), true),
      };
    },
    related: (ctx) => ({
      mode: 'new',
      reply: relatedCard(ctx.content, requireTopic(ctx.content, ctx.payload)),
    }),
  },
};
