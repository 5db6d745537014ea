import { replySources } from '../content/cards.ts';
import type { Question } from '../content/schema.ts';
import { type Reply, reply } from '../core/reply.ts';
import { reportAction } from '../disputes/reasons.ts';
import type { QuizPlayerResult, QuizRound, QuizSession } from '../store/ports.ts';
import { asked, type RevealReason } from './machine.ts';

export const LETTERS = ['A', 'B', 'C', 'D'] as const;

/** Options in the order shown: `order[i]` indexes `[correct, ...wrong]`. */
export function shownOptions(question: Question, round: QuizRound): string[] {
  const all = [question.correct, ...question.wrong];
  return round.order.map((i) => all[i] as string);
}

export function answerCount(round: QuizRound): number {
  return Object.keys(round.answers).length;
}

function countText(n: number): string {
  return n === 0 ? 'No answers yet' : `${n} answered`;
}

const CLOSED: Record<RevealReason, string> = {
  time: 'Time is up.',
  skipped: 'Skipped.',
  answered: 'Everyone has answered.',
};

/** The question with its options in the text and A-D buttons; closed, saying why, once the answer is out. */
export function questionCard(
  session: QuizSession,
  index: number,
  question: Question,
  closed?: RevealReason,
): Reply {
  const round = session.rounds[index] as QuizRound;
  const options = shownOptions(question, round);
  const title = `Question ${index + 1} of ${session.questionIds.length}`;
  return reply({
    title,
    text: `${question.question}\n\n${options.map((o, i) => `**${LETTERS[i]}.** ${o}`).join('\n')}`,
    fields: [
      {
        label: 'Answers',
        value: closed ? `${countText(answerCount(round))}. ${CLOSED[closed]}` : countText(answerCount(round)),
      },
    ],
    countdown: closed ? undefined : { endsAt: Date.parse(round.endsAt ?? ''), label: 'Time is up' },
    actions: closed
      ? undefined
      : LETTERS.map((letter, i) => ({
          id: `quiz:${session.id}:${index}:${i}`,
          label: letter,
          style: 'primary' as const,
        })),
    fallbackText: `${title}: ${question.question} ${options.map((o, i) => `${LETTERS[i]}. ${o}`).join(' ')}`,
  });
}

/** The correct answer, the explanation and source, and who got it right. */
export function revealCard(session: QuizSession, index: number, question: Question): Reply {
  const round = session.rounds[index] as QuizRound;
  const letter = LETTERS[round.order.indexOf(0)];
  const answers = Object.values(round.answers).sort((a, b) => b.points - a.points || a.ms - b.ms);
  const right = answers.filter((a) => a.correct).map((a) => `${a.displayName} (+${a.points})`);
  const wrong = answers.filter((a) => !a.correct).map((a) => `${a.displayName} (${LETTERS[a.choice]})`);
  const lines = [question.explanation, ''];
  lines.push(right.length ? `**Right:** ${right.join(', ')}` : '**Right:** nobody this time');
  if (wrong.length) lines.push(`**Not quite:** ${wrong.join(', ')}`);
  return reply({
    title: `Answer: ${letter}. ${question.correct}`,
    text: lines.join('\n'),
    sources: replySources(question.sources),
    actions: [reportAction(question.id)],
  });
}

/** Final scoreboard with ranks (ties share a rank). */
export function scoreboardCard(session: QuizSession, players: QuizPlayerResult[], stopped: boolean): Reply {
  const total = asked(session);
  // `answered` is the questions the game asked, as stored for the leaderboard.
  const lines = players.map(
    (p) =>
      `${p.rank}. **${p.displayName}**: ${p.points.toLocaleString('en-GB')} points (${p.correct}/${p.answered} right)`,
  );
  const practice = players.length === 1;
  const text = [
    lines.length ? lines.join('\n') : 'Nobody answered this time.',
    practice
      ? '\nA one-player game is practice: it counts in your own record (`/quiz me`), not on the leaderboard.'
      : '',
  ]
    .join('\n')
    .trim();
  return reply({
    title: stopped ? `Quiz stopped after ${total} question${total === 1 ? '' : 's'}` : 'Final scores',
    text,
  });
}
