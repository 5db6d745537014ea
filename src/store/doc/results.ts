import { type ChannelRef, channelKey } from '../../core/platform.ts';
import { inWorkspace, resultKey, scoreKey, userKey } from '../keys.ts';
import type { LeaderboardRow, ResultsRepo, WorkspaceRef } from '../ports.ts';
import { noteStudyAnswer, type StudyAnswer } from '../records.ts';
import type { QuizResult, StoredUser, StudyRecord } from '../schema.ts';
import type { Doc } from './doc.ts';
import { listOf } from './lists.ts';
import { forgetInResults, resultsDataOf } from './personal.ts';
import { gameEffects, recordOf } from './result-effects.ts';
import { ResultFiles, withGames } from './result-files.ts';
import type { FeatureDocs } from './shapes.ts';

export class DocResults implements ResultsRepo {
  constructor(private readonly doc: Doc<FeatureDocs['results']>) {}

  /** On files, a finished game is stored in steps a crash cannot leave half done (result-files.ts). */
  record(result: QuizResult, topicsOf: (questionId: string) => readonly string[]): Promise<boolean> {
    const copy = structuredClone(result);
    if (this.doc instanceof ResultFiles) return this.doc.recordGame(copy, topicsOf);
    const key = resultKey(result.channel, result.id);
    return this.doc.update((data) => {
      if (data.results[key]) return false;
      data.results[key] = copy;
      for (const effect of gameEffects(copy, topicsOf)) effect.apply(data);
      return true;
    });
  }

  async has(channel: ChannelRef, gameId: string): Promise<boolean> {
    const key = resultKey(channel, gameId);
    if (this.doc instanceof ResultFiles) return this.doc.hasGame(key) && !this.doc.isPending(key);
    return Boolean(this.doc.read().results[key]);
  }

  async recentQuestionIds(channel: ChannelRef, games: number): Promise<string[]> {
    const prefix = `${channelKey(channel)}:`;
    // On files, most finished games are on disk only: their summaries say as much as needed here.
    const found =
      this.doc instanceof ResultFiles
        ? this.doc.gameSummaries(prefix)
        : Object.entries(this.doc.read().results)
            .filter(([k]) => k.startsWith(prefix))
            .map(([, r]) => ({ endedAt: r.endedAt, questionIds: r.rounds.map((x) => x.questionId) }));
    return found
      .sort((a, b) => b.endedAt.localeCompare(a.endedAt))
      .slice(0, games)
      .flatMap((r) => r.questionIds);
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
    const key = userKey(ws, userId);
    const found = this.doc.read().study[key];
    return found && { ...structuredClone(found), history: await this.historyOf(key) };
  }

  noteAnswer(ws: WorkspaceRef, user: StoredUser, answer: StudyAnswer): Promise<void> {
    const change = (data: FeatureDocs['results']) => {
      noteStudyAnswer(recordOf(data, ws, user, answer.at), answer);
    };
    // On files, only that player's record is written.
    if (this.doc instanceof ResultFiles) return this.doc.updateKey('study', userKey(ws, user.id), change);
    return this.doc.update(change);
  }

  async playerNames(ws: WorkspaceRef): Promise<{ userId: string; displayName: string }[]> {
    return Object.values(this.doc.read().study)
      .filter((r) => r.platform === ws.platform && r.workspaceId === ws.workspaceId)
      .map((r) => ({ userId: r.userId, displayName: r.displayName }));
  }

  /** The workspace's finished games are read back from disk for this (see `withGames`). */
  async learnerData(ws: WorkspaceRef, userId: string): Promise<Record<string, unknown>> {
    const data = await withGames(
      this.doc,
      () => resultsDataOf(this.doc.read(), ws, userId),
      (key) => inWorkspace(key, ws),
    );
    const record = data.playerRecord as StudyRecord | undefined;
    if (record) record.history = await this.historyOf(userKey(ws, userId));
    return data;
  }

  /** A player's whole answer history (on files most of it is in the player's journal). */
  private async historyOf(key: string): Promise<StudyRecord['history']> {
    const history = await listOf(this.doc, key, this.doc.read().study[key]?.history);
    return history.map((e) => ({ ...e }));
  }

  /** Each of the workspace's finished games with the person in it is rewritten without them. */
  forgetLearner(ws: WorkspaceRef, userId: string): Promise<boolean> {
    return withGames(
      this.doc,
      () => this.doc.update((data) => forgetInResults(data, ws, userId)),
      (key) => inWorkspace(key, ws),
    );
  }
}

/** Code-point order, as PostgreSQL's "C" collation: the same on every machine and engine. */
function byCode(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
