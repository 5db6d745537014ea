import { type Detail, factStep, topicCard } from '../src/content/cards.ts';
import type { Command } from '../src/core/command.ts';
import { UserError } from '../src/core/command.ts';

/** A command that shows one fixed topic, such as `/thaw` or `/secret-speech`. */
export function topicCommand(name: string, topicId: string, description: string): Command {
  return {
    name,
    description,
    options: [
      {
        name: 'detail',
        description: 'short (default) or full summary',
        type: 'choice',
        choices: ['short', 'full'],
      },
    ],
    run(ctx) {
      const topic = ctx.content.topic(topicId);
      if (!topic)
        throw new UserError(
          'That topic is missing from the library right now. Try `/learn` to see what is there.',
        );
      const detail = (ctx.options.string('detail') ?? 'short') as Detail;
      return topicCard(topic, detail, factStep(ctx.content, topic.id, undefined, ctx.random));
    },
  };
}
