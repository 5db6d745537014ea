import { factCard, factStep, parseFactRound } from '../src/content/cards.ts';
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
    const step = factStep(ctx.content, topic?.id, undefined, ctx.random);
    if (!step) throw new UserError(`There are no fun facts${topic ? ` about ${topic.title}` : ''} yet.`);
    return factCard(step, topic, false);
  },
  actions: {
    // fact:<topic id or *>:<seed>:<position> goes round all of the topic's facts before repeating one;
    // fact:<topic id or *>[:<fact just shown>] is the older form, still on posted messages.
    fact: (ctx) => {
      const [topicId = '*', ...rest] = ctx.payload.split(':');
      const topic = topicId === '*' ? undefined : requireTopic(ctx.content, topicId);
      const round = parseFactRound(rest);
      const step = round
        ? factStep(ctx.content, topic?.id, round, ctx.random)
        : factStep(
            ctx.content,
            topic?.id,
            { seed: 0, position: Number.MAX_SAFE_INTEGER },
            ctx.random,
            rest[0],
          );
      if (!step) throw new UserError('There are no more fun facts here yet.');
      return { mode: 'new', reply: factCard(step, topic, true) };
    },
  },
};
