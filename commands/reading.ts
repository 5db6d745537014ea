import { replySources } from '../src/content/cards.ts';
import { type Command, UserError } from '../src/core/command.ts';
import { reply } from '../src/core/reply.ts';

export const reading: Command = {
  name: 'reading',
  description: 'Books and primary sources to read next, for beginners or advanced readers',
  options: [
    {
      name: 'level',
      description: 'introductory or advanced',
      type: 'choice',
      choices: ['introductory', 'advanced'],
    },
  ],
  run(ctx) {
    const level = ctx.options.string('level');
    const items = ctx.content.reading.filter((r) => !level || r.level === level);
    if (items.length === 0) throw new UserError('The reading list is empty for that level.');
    const text = items
      .map((r) => `- **${r.title}** by ${r.author} (${r.year}), *${r.level}*: ${r.note}`)
      .join('\n');
    return reply({
      title: level ? `Reading list (${level})` : 'Reading list',
      text,
      sources: replySources(...items.map((r) => r.sources ?? [])),
    });
  },
};
