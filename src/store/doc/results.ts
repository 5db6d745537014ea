import { type ChannelRef, channelKey } from '../../core/platform.ts';
import { resultKey, scoreKey, userKey } from '../keys.ts';
import type { LeaderboardRow, ResultsRepo, WorkspaceRef } from '../ports.ts';
import {
  addGame,
  newStudyRecord,
  noteGame,
  noteStudyAnswer,
  periodsOf,
  type StudyAnswer,
} from '../records.ts';
import type { QuizResult, StoredUser, StudyRecord } from '../schema.ts';
import type { Doc } from './doc.ts';
import { forgetInResults, resultsDataOf } from './personal.ts';
import type { FeatureDocs } from './shapes.ts';

export class DocResults implements ResultsRepo {
  constructor(private readonly doc: Doc<FeatureDocs['results']>) {}

  record(result: QuizResult, topicsOf: (questionId: string) => readonly string[]): Promise<boolean> {
    const key = resultKey(result.channel, result.id);
    const copy = structuredClone(result);
    const ws = result.channel;
    return this.doc.update((data) => {
      if (data.results[key]) return false;
      data.results[key] = copy;
      if (!copy.practice) {
        for (const period of periodsOf(copy)) {
          const key = scoreKey(ws, period);
          data.scores[key] ??= { platform: ws.platform, workspaceId: ws.workspaceId, period, users: {} };
          const board = data.scores[key];
          for (const p of copy.players)
            board.users[p.userId] = addGame(board.users[p.userId], p, copy.endedAt);
        }
      }
      for (const p of copy.players) {
        const record = recordOf(data, ws, { id: p.userId, displayName: p.displayName }, copy.endedAt);
        noteGame(record, copy, p.userId, topicsOf);
      }
      return true;
    });
  }

  async has(channel: ChannelRef, gameId: string): Promise<boolean> {
    return Boolean(this.doc.read().results[resultKey(channel, gameId)]);
  }

  async recentQuestionIds(channel: ChannelRef, games: number): Promise<string[]> {
    const prefix = `${channelKey(channel)}:`;
    return Object.entries(this.doc.read().results)
      .filter(([k]) => k.startsWith(prefix))
      .map(([, r]) => r)
      .sort((a, b) => b.endedAt.localeCompare(a.endedAt))
      .slice(0, games)
      .flatMap((r) => r.rounds.map((x) => x.questionId));
  }

  async leaderboard(ws: WorkspaceRef, period: string, limit: number): Promise<LeaderboardRow[]> {
    const board = this.doc.read().scores[scoreKey(ws, period)];
    return Object.entries(board?.users ?? {})
      .map(([userId, e]) => ({ userId, ...e }))
      .sort(
        (a, b) => b.points - a.points || byCode(a.displayName, b.displayName) || byCode(a.userId, b.userId),
      )
      .slice(0, limit);
  }

  async standing(
    ws: WorkspaceRef,
    period: string,
    userId: string,
  ): Promise<{ rank: number; row: LeaderboardRow } | undefined> {
    const users = this.doc.read().scores[scoreKey(ws, period)]?.users ?? {};
    const mine = users[userId];
    if (!mine) return undefined;
    const ahead = Object.values(users).filter((e) => e.points > mine.points).length;
    return { rank: ahead + 1, row: { userId, ...mine } };
  }

  async player(ws: WorkspaceRef, userId: string): Promise<StudyRecord | undefined> {
    const found = this.doc.read().study[userKey(ws, userId)];
    return found && structuredClone(found);
  }

  noteAnswer(ws: WorkspaceRef, user: StoredUser, answer: StudyAnswer): Promise<void> {
    return this.doc.update((data) => {
      noteStudyAnswer(recordOf(data, ws, user, answer.at), answer);
    });
  }

  async playerNames(ws: WorkspaceRef): Promise<{ userId: string; displayName: string }[]> {
    return Object.values(this.doc.read().study)
      .filter((r) => r.platform === ws.platform && r.workspaceId === ws.workspaceId)
      .map((r) => ({ userId: r.userId, displayName: r.displayName }));
  }

  async learnerData(ws: WorkspaceRef, userId: string): Promise<Record<string, unknown>> {
    return resultsDataOf(this.doc.read(), ws, userId);
  }

  forgetLearner(ws: WorkspaceRef, userId: string): Promise<boolean> {
    return this.doc.update((data) => forgetInResults(data, ws, userId));
  }
}

/** A user's study record, created on first use, with the display name kept current. */
function recordOf(data: FeatureDocs['results'], ws: WorkspaceRef, user: StoredUser, at: string): StudyRecord {
  const key = userKey(ws, user.id);
  data.study[key] ??= newStudyRecord(ws, user, at);
  const record = data.study[key];
  record.displayName = user.displayName;
  record.updatedAt = at;
  return record;
}

/** Code-point order, as PostgreSQL's "C" collation: the same on every machine and engine. */
function byCode(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
