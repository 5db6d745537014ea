import type { ReadingItem } from '../src/content/schema.ts';
import { type Command, UserError } from '../src/core/command.ts';
import { reply } from '../src/core/reply.ts';

type Level = ReadingItem['level'];

/** The words people use for each level; `/help` promises books "for beginners". */
const LEVEL_WORDS: Record<Level, readonly string[]> = {
  introductory: ['introductory', 'intro', 'introduction', 'beginner', 'beginners', 'basic', 'easy'],
  advanced: ['advanced', 'expert', 'experts'],
};

const LEVEL_TITLES: Record<Level, string> = {
  introductory: 'Introductory (for beginners)',
  advanced: 'Advanced',
};

const USAGE = '/reading level:beginner';

export function readingLevel(text: string): Level | undefined {
  const word = text.trim().toLowerCase();
  return (Object.keys(LEVEL_WORDS) as Level[]).find((level) => LEVEL_WORDS[level].includes(word));
}

/** A book with its own link only: the first of its sources that has one. */
function itemLine(item: ReadingItem): string {
  const url = item.sources?.find((s) => s.url)?.url;
  const title = url ? `[${item.title}](${url})` : item.title;
  return `- **${title}** by ${item.author} (${item.year}): ${item.note}`;
}

export const reading: Command = {
  name: 'reading',
  description: 'Books and primary sources to read next, for beginners or advanced readers',
  options: [
    {
      name: 'level',
      description: 'introductory (for beginners) or advanced, e.g. beginner',
      type: 'string',
      maxLength: 40,
      suggest: (prefix) =>
        (['beginner', 'introductory', 'advanced'] as const)
          .filter((w) => w.startsWith(prefix.trim().toLowerCase()))
          .map((w) => ({ value: w, label: w })),
    },
  ],
  run(ctx) {
    const asked = ctx.options.string('level');
    const level = asked === undefined ? undefined : readingLevel(asked);
    if (asked !== undefined && !level)
      throw new UserError(
        `I have two reading levels: \`introductory\` (or \`beginner\`) and \`advanced\`, not "${asked.slice(0, 40)}".`,
        USAGE,
      );
    const levels = (Object.keys(LEVEL_TITLES) as Level[]).filter((l) => !level || l === level);
    const sections = levels
      .map((l) => ({ l, items: ctx.content.reading.filter((r) => r.level === l) }))
      .filter((s) => s.items.length > 0)
      .map((s) => `**${LEVEL_TITLES[s.l]}**\n${s.items.map(itemLine).join('\n')}`);
    if (sections.length === 0) throw new UserError('The reading list is empty for that level.');
    return reply({
      title: level ? `Reading list: ${LEVEL_TITLES[level].toLowerCase()}` : 'Reading list',
      text: sections.join('\n\n'),
    });
  },
};
