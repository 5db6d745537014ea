import { replySources } from '../src/content/cards.ts';
import type { Question } from '../src/content/types.ts';
import { type Reply, type ReplyAction, reply } from '../src/core/reply.ts';
import { reportAction } from '../src/disputes/reasons.ts';

/**
 * The private card after one answer in `/review` or an assignment: right or not, the explanation
 * (with `after`), the sources, the flow's own buttons and "Report a problem".
 */
export function answerCard(
  question: Question,
  letter: string | undefined,
  correct: boolean,
  explanation: string,
  actions: ReplyAction[],
): Reply {
  return reply({
    title: correct
      ? `Right! ${letter}. ${question.correct}`
      : `Not quite: the answer is ${letter}. ${question.correct}`,
    text: explanation,
    sources: replySources(question.sources),
    actions: [...actions, reportAction(question.id)],
    ephemeral: true,
  });
}
