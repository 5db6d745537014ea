/** One person's data in the document engine's results and games: listing it and forgetting it. */

import { resultDataOf, resultWithout, runningGameDataOf, runningGameWithout } from '../forgotten.ts';
import { inWorkspace, scoreKey, userKey } from '../keys.ts';
import type { WorkspaceRef } from '../ports.ts';
import type { FeatureDocs } from './shapes.ts';

type ResultsDoc = FeatureDocs['results'];
type GamesDoc = FeatureDocs['games'];

/**
 * The person's data in `data`, which must hold the workspace's finished games (on files, those
 * held on disk only are read back first: `withGames` in result-files.ts, as DocResults does).
 */
export function resultsDataOf(data: ResultsDoc, ws: WorkspaceRef, userId: string): Record<string, unknown> {
  const leaderboards = Object.values(data.scores)
    .filter((b) => b.platform === ws.platform && b.workspaceId === ws.workspaceId && b.users[userId])
    .map((b) => ({ period: b.period, ...b.users[userId] }))
    .sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
  const finishedGames = Object.entries(data.results)
    .filter(([key, r]) => inWorkspace(key, ws) && resultWithout(r, userId))
    .map(([, r]) => resultDataOf(r, userId))
    .sort(byEnded);
  const record = data.study[userKey(ws, userId)];
  return {
    ...(record ? { playerRecord: structuredClone(record) } : {}),
    ...(leaderboards.length > 0 ? { leaderboards } : {}),
    ...(finishedGames.length > 0 ? { finishedGames } : {}),
  };
}

/**
 * Deletes the player's record and leaderboard rows, and takes them out of finished games (of
 * `data`: on files, run it with the workspace's games read back, as for `resultsDataOf`).
 */
export function forgetInResults(data: ResultsDoc, ws: WorkspaceRef, userId: string): boolean {
  let changed = false;
  const record = userKey(ws, userId);
  if (data.study[record]) {
    delete data.study[record];
    changed = true;
  }
  for (const [key, board] of Object.entries(data.scores)) {
    if (key !== scoreKey(ws, board.period) || !board.users[userId]) continue;
    delete board.users[userId];
    changed = true;
  }
  for (const [key, result] of Object.entries(data.results)) {
    if (!inWorkspace(key, ws)) continue;
    const without = resultWithout(result, userId);
    if (!without) continue;
    data.results[key] = without;
    changed = true;
  }
  return changed;
}

export function gamesDataOf(data: GamesDoc, ws: WorkspaceRef, userId: string): Record<string, unknown> {
  const runningGames = Object.entries(data.sessions)
    .filter(([key, s]) => inWorkspace(key, ws) && runningGameWithout(s, userId))
    .map(([, s]) => runningGameDataOf(s, userId));
  return runningGames.length > 0 ? { runningGames } : {};
}

/** The keys of the running games in the workspace that hold anything about the person. */
export function gamesWith(data: GamesDoc, ws: WorkspaceRef, userId: string): string[] {
  return Object.entries(data.sessions)
    .filter(([key, s]) => inWorkspace(key, ws) && runningGameWithout(s, userId))
    .map(([key]) => key);
}

/** Takes the person out of one running game (answers, streak; an anonymous starter). */
export function forgetInGame(data: GamesDoc, key: string, userId: string): boolean {
  const session = data.sessions[key];
  const without = session && runningGameWithout(session, userId);
  if (!without) return false;
  data.sessions[key] = without;
  return true;
}

function byEnded(a: Record<string, unknown>, b: Record<string, unknown>): number {
  return String(a.endedAt).localeCompare(String(b.endedAt));
}
