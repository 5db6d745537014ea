/**
 * Finished games and what they add up to. Recording a result inserts it first: only if that insert
 * happened (the game was not stored before) are the leaderboards and the players' records updated,
 * in the same transaction, so a game counts exactly once even when two processes finish it.
 */
import { z } from 'zod';
import { channelKey } from '../../core/platform.ts';
import type { LeaderboardRow, ResultsRepo, WorkspaceRef } from '../ports.ts';
import { periodsOf } from '../records.ts';
import {
  resultSchema,
  type StoredUser,
  type StudyEntry,
  scoreEntrySchema,
  studyRecordSchema,
  type TopicStats,
} from '../schema.ts';
import { pgResultsPersonal } from './personal.ts';
import type { Db, Queryable } from './pool.ts';
import { channelParams, json, parseRow, timeOf } from './rows.ts';

/** One answered question to note in a player's record. */
interface Noted {
  questionId: string;
  topics: readonly string[];
  correct: boolean;
  at: string;
  source: string;
}

const leaderboardRow = scoreEntrySchema.extend({ userId: z.string() });

export interface StudyRow {
  user_id: string;
  display_name: string;
  games: number;
  practice_games: number;
  topics: Record<string, TopicStats>;
  updated_at: string;
  history: StudyEntry[];
}

/** Study records with their history in order; callers add the WHERE or ORDER BY. */
export const SELECT_STUDY = `SELECT r.*, COALESCE((
    SELECT json_agg(json_strip_nulls(json_build_object('questionId', h.question_id, 'correct', h.correct,
                                                       'at', h.at, 'source', h.source)) ORDER BY h.seq)
    FROM study_history h
    WHERE h.platform = r.platform AND h.workspace_id = r.workspace_id AND h.user_id = r.user_id), '[]') AS history
  FROM study_records r`;

/** A study record row, checked against the schema. */
export function studyRecordOf(ws: WorkspaceRef, row: StudyRow) {
  return parseRow(
    studyRecordSchema,
    {
      platform: ws.platform,
      workspaceId: ws.workspaceId,
      userId: row.user_id,
      displayName: row.display_name,
      games: row.games,
      practiceGames: row.practice_games,
      topics: row.topics,
      history: row.history,
      updatedAt: row.updated_at,
    },
    'study_records',
    `${ws.platform}:${ws.workspaceId}:${row.user_id}`,
  );
}

export function pgResults(db: Db): ResultsRepo {
  return {
    ...pgResultsPersonal(db),
    record(result, topicsOf) {
      const checked = resultSchema.parse(result);
      const ws = checked.channel;
      return db.tx(async (client) => {
        const inserted = await client.query(
          `INSERT INTO quiz_results (platform, workspace_id, channel_id, game_id, ended_at, data)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
          [...channelParams(ws), checked.id, timeOf(checked.endedAt), json(checked)],
        );
        if (inserted.rowCount !== 1) return false;
        // Rows are touched in user id order, so two games finishing together cannot deadlock.
        const players = [...new Map(checked.players.map((p) => [p.userId, p])).values()].sort((a, b) =>
          a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0,
        );
        if (!checked.practice && players.length > 0) {
          for (const period of periodsOf(checked)) {
            await client.query(
              `INSERT INTO scores (platform, workspace_id, period, user_id, display_name, points, games,
                                   correct, answered, updated_at)
               SELECT $1, $2, $3, u, n, p, 1, c, a, $4
               FROM unnest($5::text[], $6::text[], $7::float8[], $8::int[], $9::int[]) AS x(u, n, p, c, a)
               ON CONFLICT (platform, workspace_id, period, user_id) DO UPDATE SET
                 display_name = excluded.display_name, points = scores.points + excluded.points,
                 games = scores.games + 1, correct = scores.correct + excluded.correct,
                 answered = scores.answered + excluded.answered, updated_at = excluded.updated_at`,
              [
                ws.platform,
                ws.workspaceId,
                period,
                checked.endedAt,
                players.map((p) => p.userId),
                players.map((p) => p.displayName),
                players.map((p) => p.points),
                players.map((p) => p.correct),
                players.map((p) => p.answered),
              ],
            );
          }
        }
        const noted = new Map<string, Noted[]>();
        for (const round of checked.rounds) {
          for (const a of round.answers) {
            const list = noted.get(a.userId) ?? [];
            list.push({
              questionId: round.questionId,
              topics: topicsOf(round.questionId),
              correct: a.correct,
              at: a.at,
              source: `quiz:${checked.id}`,
            });
            noted.set(a.userId, list);
          }
        }
        await noteStudy(
          client,
          ws,
          players.map((p) => ({
            user: { id: p.userId, displayName: p.displayName },
            answers: noted.get(p.userId) ?? [],
          })),
          checked.endedAt,
          checked.practice ? 'practice' : 'game',
        );
        return true;
      });
    },

    async has(channel, gameId) {
      const { rows } = await db.query(
        'SELECT 1 FROM quiz_results WHERE platform = $1 AND workspace_id = $2 AND channel_id = $3 AND game_id = $4',
        [...channelParams(channel), gameId],
      );
      return rows.length > 0;
    },

    async recentQuestionIds(channel, games) {
      const { rows } = await db.query<{ game_id: string; data: unknown }>(
        `SELECT game_id, data FROM quiz_results
         WHERE platform = $1 AND workspace_id = $2 AND channel_id = $3
         ORDER BY ended_at DESC NULLS LAST, game_id LIMIT $4`,
        [...channelParams(channel), Math.max(0, Math.floor(games))],
      );
      return rows.flatMap((row) =>
        parseRow(resultSchema, row.data, 'quiz_results', `${channelKey(channel)}/${row.game_id}`).rounds.map(
          (r) => r.questionId,
        ),
      );
    },

    async leaderboard(ws, period, limit) {
      const { rows } = await db.query<LeaderboardRow>(
        `SELECT user_id AS "userId", display_name AS "displayName", points, games, correct, answered,
                updated_at AS "updatedAt"
         FROM scores WHERE platform = $1 AND workspace_id = $2 AND period = $3
         ORDER BY points DESC, display_name COLLATE "C", user_id LIMIT $4`,
        [ws.platform, ws.workspaceId, period, Math.max(0, Math.floor(limit))],
      );
      return rows.map((row) =>
        parseRow(leaderboardRow, row, 'scores', `${ws.platform}:${ws.workspaceId}:${period}:${row.userId}`),
      );
    },

    async standing(ws, period, userId) {
      const { rows } = await db.query<LeaderboardRow & { rank: string }>(
        `SELECT s.user_id AS "userId", s.display_name AS "displayName", s.points, s.games, s.correct,
                s.answered, s.updated_at AS "updatedAt",
                1 + (SELECT count(*) FROM scores o WHERE o.platform = s.platform
                       AND o.workspace_id = s.workspace_id AND o.period = s.period AND o.points > s.points) AS rank
         FROM scores s WHERE s.platform = $1 AND s.workspace_id = $2 AND s.period = $3 AND s.user_id = $4`,
        [ws.platform, ws.workspaceId, period, userId],
      );
      const found = rows[0];
      if (!found) return undefined;
      const { rank, ...row } = found;
      return {
        rank: Number(rank),
        row: parseRow(leaderboardRow, row, 'scores', `${ws.platform}:${ws.workspaceId}:${period}:${userId}`),
      };
    },

    async player(ws, userId) {
      const { rows } = await db.query<StudyRow>(
        `${SELECT_STUDY} WHERE r.platform = $1 AND r.workspace_id = $2 AND r.user_id = $3`,
        [ws.platform, ws.workspaceId, userId],
      );
      return rows[0] && studyRecordOf(ws, rows[0]);
    },

    noteAnswer(ws, user, answer) {
      return db.tx((client) => noteStudy(client, ws, [{ user, answers: [answer] }], answer.at, undefined));
    },
  };
}

/**
 * Adds answers (and a game, if `game` says which kind) to players' records, creating missing ones:
 * insert-then-lock, so concurrent first notes of a player cannot lose each other's counts.
 */
async function noteStudy(
  client: Queryable,
  ws: WorkspaceRef,
  players: { user: StoredUser; answers: Noted[] }[],
  at: string,
  game: 'game' | 'practice' | undefined,
): Promise<void> {
  if (players.length === 0) return;
  const ids = players.map((p) => p.user.id);
  await client.query(
    `INSERT INTO study_records (platform, workspace_id, user_id, display_name, games, practice_games, topics, updated_at)
     SELECT $1, $2, u, n, 0, 0, '{}', $5 FROM unnest($3::text[], $4::text[]) AS x(u, n)
     ORDER BY u ON CONFLICT DO NOTHING`,
    [ws.platform, ws.workspaceId, ids, players.map((p) => p.user.displayName), at],
  );
  const { rows } = await client.query<Pick<StudyRow, 'user_id' | 'topics'>>(
    `SELECT user_id, topics FROM study_records
     WHERE platform = $1 AND workspace_id = $2 AND user_id = ANY($3::text[])
     ORDER BY user_id FOR UPDATE`,
    [ws.platform, ws.workspaceId, ids],
  );
  const topicsBy = new Map(rows.map((r) => [r.user_id, r.topics]));
  const history: { user: string; entry: Noted }[] = [];
  const topics = players.map((p) => {
    const stats = { ...(topicsBy.get(p.user.id) ?? {}) };
    for (const a of p.answers) {
      for (const topic of a.topics) {
        const t = stats[topic] ?? { answered: 0, correct: 0, lastAt: a.at };
        stats[topic] = { answered: t.answered + 1, correct: t.correct + (a.correct ? 1 : 0), lastAt: a.at };
      }
      history.push({ user: p.user.id, entry: a });
    }
    return json(stats);
  });
  await client.query(
    `UPDATE study_records r SET display_name = x.n, topics = x.t, updated_at = $4,
            games = r.games + $5, practice_games = r.practice_games + $6
     FROM unnest($3::text[], $7::text[], $8::jsonb[]) AS x(u, n, t)
     WHERE r.platform = $1 AND r.workspace_id = $2 AND r.user_id = x.u`,
    [
      ws.platform,
      ws.workspaceId,
      ids,
      at,
      game === 'game' ? 1 : 0,
      game === 'practice' ? 1 : 0,
      players.map((p) => p.user.displayName),
      topics,
    ],
  );
  if (history.length === 0) return;
  // unnest WITH ORDINALITY keeps the answers' order, which is the history's order (oldest first).
  await client.query(
    `INSERT INTO study_history (platform, workspace_id, user_id, question_id, correct, at, at_time, source)
     SELECT $1, $2, u, q, c, a, t, s
     FROM unnest($3::text[], $4::text[], $5::bool[], $6::text[], $7::timestamptz[], $8::text[])
          WITH ORDINALITY AS x(u, q, c, a, t, s, i)
     ORDER BY i`,
    [
      ws.platform,
      ws.workspaceId,
      history.map((h) => h.user),
      history.map((h) => h.entry.questionId),
      history.map((h) => h.entry.correct),
      history.map((h) => h.entry.at),
      history.map((h) => timeOf(h.entry.at)),
      history.map((h) => h.entry.source),
    ],
  );
}
