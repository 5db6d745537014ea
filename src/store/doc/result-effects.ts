/** What a finished game changes besides its own record: its leaderboards and its players' records. */
import { scoreKey, userKey } from '../keys.ts';
import type { WorkspaceRef } from '../ports.ts';
import { addGame, newStudyRecord, noteGame, periodsOf } from '../records.ts';
import type { QuizResult, StoredUser, StudyRecord } from '../schema.ts';
import type { FeatureDocs } from './shapes.ts';

export type ResultsData = FeatureDocs['results'];
export type TopicsOf = (questionId: string) => readonly string[];

/** One change a finished game makes to one leaderboard (`scores`) or player's record (`study`). */
export interface GameEffect {
  part: 'scores' | 'study';
  key: string;
  apply(data: ResultsData): void;
}

/**
 * The changes a finished game makes: its month's and the all-time leaderboard (not for practice
 * games), and each player's record. Applying them all is what storing a game adds to the boards.
 */
export function gameEffects(result: QuizResult, topicsOf: TopicsOf): GameEffect[] {
  const ws = result.channel;
  const effects: GameEffect[] = [];
  if (!result.practice) {
    for (const period of periodsOf(result)) {
      const key = scoreKey(ws, period);
      effects.push({
        part: 'scores',
        key,
        apply: (data) => {
          data.scores[key] ??= { platform: ws.platform, workspaceId: ws.workspaceId, period, users: {} };
          const board = data.scores[key];
          for (const p of result.players)
            board.users[p.userId] = addGame(board.users[p.userId], p, result.endedAt);
        },
      });
    }
  }
  for (const p of result.players) {
    effects.push({
      part: 'study',
      key: userKey(ws, p.userId),
      apply: (data) => {
        const record = recordOf(data, ws, { id: p.userId, displayName: p.displayName }, result.endedAt);
        noteGame(record, result, p.userId, topicsOf);
      },
    });
  }
  return effects;
}

/** A user's study record, created on first use, with the display name kept current. */
export function recordOf(data: ResultsData, ws: WorkspaceRef, user: StoredUser, at: string): StudyRecord {
  const key = userKey(ws, user.id);
  data.study[key] ??= newStudyRecord(ws, user, at);
  const record = data.study[key];
  record.displayName = user.displayName;
  record.updatedAt = at;
  return record;
}
