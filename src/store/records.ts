/** Record arithmetic both engines share: a player's study record and leaderboard totals. */
import type { WorkspaceRef } from './ports.ts';
import type { QuizResult, ScoreEntry, StoredUser, StudyRecord } from './schema.ts';

export function newStudyRecord(ws: WorkspaceRef, user: StoredUser, at: string): StudyRecord {
  return {
    platform: ws.platform,
    workspaceId: ws.workspaceId,
    userId: user.id,
    displayName: user.displayName,
    games: 0,
    practiceGames: 0,
    topics: {},
    history: [],
    updatedAt: at,
  };
}

export interface StudyAnswer {
  questionId: string;
  topics: readonly string[];
  correct: boolean;
  at: string;
  source: string;
}

/** Notes one answered question in a study record: its history and accuracy by topic. */
export function noteStudyAnswer(record: StudyRecord, answer: StudyAnswer): void {
  for (const topic of answer.topics) {
    const t = record.topics[topic] ?? { answered: 0, correct: 0, lastAt: answer.at };
    record.topics[topic] = {
      answered: t.answered + 1,
      correct: t.correct + (answer.correct ? 1 : 0),
      lastAt: answer.at,
    };
  }
  record.history.push({
    questionId: answer.questionId,
    correct: answer.correct,
    at: answer.at,
    source: answer.source,
  });
}

/** Applies a finished game to one player's study record. */
export function noteGame(
  record: StudyRecord,
  result: QuizResult,
  userId: string,
  topicsOf: (questionId: string) => readonly string[],
): void {
  if (result.practice) record.practiceGames += 1;
  else record.games += 1;
  for (const round of result.rounds) {
    const a = round.answers.find((x) => x.userId === userId);
    if (!a) continue;
    noteStudyAnswer(record, {
      questionId: round.questionId,
      topics: topicsOf(round.questionId),
      correct: a.correct,
      at: a.at,
      source: `quiz:${result.id}`,
    });
  }
}

/** The leaderboard periods a game counts in: the UTC month it ended in and all time. */
export function periodsOf(result: QuizResult): string[] {
  const ended = new Date(result.endedAt);
  const month = Number.isNaN(ended.getTime()) ? result.endedAt.slice(0, 7) : ended.toISOString().slice(0, 7);
  return [month, 'all'];
}

/** A player's leaderboard entry after one more game. */
export function addGame(
  entry: ScoreEntry | undefined,
  player: QuizResult['players'][number],
  at: string,
): ScoreEntry {
  return {
    displayName: player.displayName,
    points: (entry?.points ?? 0) + player.points,
    games: (entry?.games ?? 0) + 1,
    correct: (entry?.correct ?? 0) + player.correct,
    answered: (entry?.answered ?? 0) + player.answered,
    updatedAt: at,
  };
}
