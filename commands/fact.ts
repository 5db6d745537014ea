import { factCard } from '../src/content/cards.ts';
import { type Command, UserError } from '../src/core/command.ts';
import { requireTopic } from './learn.ts';
import { topicOption } from './shared-options.ts';

export const fact: Command = {
  name: 'fact',
  description: 'A true, sourced fun fact about the Thaw, optionally on one topic',
  options: [topicOption()],
  run(ctx) {
    const name = ctx.options.string('topic');
    const topic = name ? requireTopic(ctx.content, name) : undefined;
    const picked = ctx.content.pickFact(ctx.random, topic?.id);
    if (!picked) throw new UserError(`There are no fun facts${topic ? ` about ${topic.title}` : ''} yet.`);
    return factCard(picked, topic, false);
  },
  actions: {
    // fact:<topic id or *>[:<fact just shown>]
    fact: (ctx) => {
      const [topicId = '*', last] = ctx.payload.split(':');
      const topic = topicId === '*' ? undefined : requireTopic(ctx.content, topicId);
      const picked = ctx.content.pickFact(ctx.random, topic?.id, last);
      if (!picked) throw new UserError('There are no more fun facts here yet.');
      return { mode: 'new', reply: factCard(picked, topic, true) };
    },
  },
};
