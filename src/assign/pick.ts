/** The question set of a new assignment, and what of it a learner still has to do. */
import type { ContentIndex } from '../content/index.ts';
import { shuffle } from '../core/random.ts';
import type { AssignmentProgress } from '../store/ports.ts';

/** At most this many questions in one assignment. */
export const MAX_QUESTIONS = 25;

/** The topic's questions not hidden in the workspace, in library order. */
export function availableQuestions(
  content: ContentIndex,
  topic: string,
  hidden: ReadonlySet<string> = new Set(),
): string[] {
  return content
    .questions({ topic })
    .map((q) => q.id)
    .filter((id) => !hidden.has(id));
}

/** `count` questions drawn at random from `available`. */
export function drawQuestions(available: readonly string[], count: number, random: () => number): string[] {
  return shuffle([...available], random).slice(0, count);
}

/** The learner's questions still to answer, in their order, skipping any hidden here since. */
export function remaining(
  progress: Pick<AssignmentProgress, 'order' | 'answers'>,
  hidden: ReadonlySet<string> = new Set(),
): string[] {
  return progress.order.filter((id) => !progress.answers[id] && !hidden.has(id));
}

/** What a learner's progress counts: questions (hidden ones left out), answered and right. */
export function tally(
  progress: Pick<AssignmentProgress, 'order' | 'answers'>,
  hidden: ReadonlySet<string> = new Set(),
): { total: number; answered: number; right: number; finished: boolean } {
  const asked = progress.order.filter((id) => !hidden.has(id));
  const answers = asked.map((id) => progress.answers[id]).filter((a) => a !== undefined);
  return {
    total: asked.length,
    answered: answers.length,
    right: answers.filter((a) => a.correct).length,
    finished: answers.length === asked.length,
  };
}

/** A name as plain text: no Markdown, mention or control characters, at most 40 characters. */
export function plainName(name: string): string {
  const clean = name
    .replace(/\p{Cc}/gu, ' ')
    .replace(/\p{Cf}/gu, '')
    .replace(/[*_~`|<>[\]\\#]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  const cut = clean.length > 40 ? `${clean.slice(0, 39)}…` : clean;
  return cut || 'someone';
}
