import { topicSuggestions } from '../src/content/cards.ts';
import type { OptionSpec } from '../src/core/command.ts';

/** Options several commands share, declared once so their names, bounds and help stay the same. */

export function topicOption(
  description = 'limit to one topic, e.g. hungary-1956',
  required = false,
): OptionSpec {
  return {
    name: 'topic',
    description,
    type: 'string',
    required,
    suggest: (prefix, ctx) => topicSuggestions(ctx.content, prefix),
  };
}

export const difficultyOption: OptionSpec = {
  name: 'difficulty',
  description: 'easy, medium or hard',
  type: 'choice',
  choices: ['easy', 'medium', 'hard'],
};

export const questionsOption: OptionSpec = {
  name: 'questions',
  description: 'how many questions (3-30, default 10)',
  type: 'integer',
  min: 3,
  max: 30,
};

export function secondsOption(description: string): OptionSpec {
  return { name: 'seconds', description, type: 'integer', min: 5, max: 120 };
}
