/**
 * Taking one person out of shared records (finished and running games) when they ask to be
 * forgotten: both engines use these, so a game looks the same afterwards whichever engine ran.
 */
import type { QuizResult, QuizSession, StoredUser } from './schema.ts';

/** Who stands in for a forgotten person where a record must keep someone (a game's starter). */
export const FORGOTTEN_USER: StoredUser = { id: 'forgotten', displayName: 'a former member' };

/** The finished game without the person (answers, player row) and with its starter anonymised; undefined if they are not in it. */
export function resultWithout(result: QuizResult, userId: string): QuizResult | undefined {
  const inRounds = result.rounds.some((r) => r.answers.some((a) => a.userId === userId));
  const inPlayers = result.players.some((p) => p.userId === userId);
  const started = result.startedBy.id === userId;
  if (!inRounds && !inPlayers && !started) return undefined;
  return {
    ...result,
    startedBy: started ? { ...FORGOTTEN_USER } : result.startedBy,
    rounds: result.rounds.map((r) => ({ ...r, answers: r.answers.filter((a) => a.userId !== userId) })),
    players: result.players.filter((p) => p.userId !== userId),
  };
}

/** The running game without the person's answers and streak, its starter anonymised; undefined if they are not in it. */
export function runningGameWithout(session: QuizSession, userId: string): QuizSession | undefined {
  const inRounds = session.rounds.some((r) => r.answers[userId] !== undefined);
  const started = session.startedBy.id === userId;
  if (!inRounds && !started && session.streaks[userId] === undefined) return undefined;
  const { [userId]: _streak, ...streaks } = session.streaks;
  return {
    ...session,
    startedBy: started ? { ...FORGOTTEN_USER } : session.startedBy,
    rounds: session.rounds.map((r) => {
      const { [userId]: _answer, ...answers } = r.answers;
      return { ...r, answers };
    }),
    streaks,
  };
}

/** What a finished game holds about one person, for `/privacy my-data`. */
export function resultDataOf(result: QuizResult, userId: string): Record<string, unknown> {
  return {
    channelId: result.channel.channelId,
    gameId: result.id,
    startedAt: result.startedAt,
    endedAt: result.endedAt,
    ...(result.topic ? { topic: result.topic } : {}),
    startedByYou: result.startedBy.id === userId,
    result: result.players.find((p) => p.userId === userId) ?? null,
    answers: result.rounds.flatMap((r) =>
      r.answers.filter((a) => a.userId === userId).map((a) => ({ questionId: r.questionId, ...a })),
    ),
  };
}

/** What a running game holds about one person, for `/privacy my-data`. */
export function runningGameDataOf(session: QuizSession, userId: string): Record<string, unknown> {
  return {
    channelId: session.channel.channelId,
    gameId: session.id,
    startedAt: session.startedAt,
    startedByYou: session.startedBy.id === userId,
    answers: session.rounds.flatMap((r) => {
      const a = r.answers[userId];
      return a ? [{ questionId: r.questionId, ...a }] : [];
    }),
  };
}
