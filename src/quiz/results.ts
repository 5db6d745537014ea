import type { QuizResult, QuizSession } from '../store/ports.ts';
import { standings } from './machine.ts';

/** A finished game as stored: every answer, and the players ranked. One player makes it practice. */
export function resultOf(session: QuizSession, stopped: boolean, now: Date): QuizResult {
  const players = standings(session);
  return {
    id: session.id,
    channel: session.channel,
    startedBy: session.startedBy,
    startedAt: session.startedAt,
    endedAt: now.toISOString(),
    mode: session.mode,
    ...(session.topic ? { topic: session.topic } : {}),
    ...(session.difficulty ? { difficulty: session.difficulty } : {}),
    practice: players.length <= 1,
    stopped,
    rounds: session.rounds.map((r) => ({ questionId: r.questionId, answers: Object.values(r.answers) })),
    players,
  };
}
