/**
 * One person's data on PostgreSQL: what `/privacy my-data` lists and `/privacy forget-me` deletes,
 * for the results, running games and review decks, and the per-topic activity exports read.
 */
import {
  FORGOTTEN_USER,
  resultDataOf,
  resultWithout,
  runningGameDataOf,
  runningGameWithout,
} from '../forgotten.ts';
import type { ActivityQuery, TopicActivity, WorkspaceRef } from '../ports.ts';
import { resultSchema, scoreEntrySchema } from '../schema.ts';
import { assemble, type GameRow, GROUP_GAMES, SELECT_GAMES } from './games.ts';
import type { Db } from './pool.ts';
import { SELECT_STUDY, type StudyRow, studyRecordOf } from './results.ts';
import { json, parseRow } from './rows.ts';
import {
  CARD_COLUMNS,
  type CardRow,
  cardOf,
  type LearnerRow,
  type LogRow,
  logOf,
  profileOf,
} from './study.ts';

const USER = 'platform = $1 AND workspace_id = $2 AND user_id = $3';
/** Finished games of the workspace that name the person anywhere. */
const RESULTS_WITH = `platform = $1 AND workspace_id = $2 AND (
  data->'startedBy'->>'id' = $3
  OR jsonb_path_exists(data, '$.players[*] ? (@.userId == $u)', jsonb_build_object('u', $3::text))
  OR jsonb_path_exists(data, '$.rounds[*].answers[*] ? (@.userId == $u)', jsonb_build_object('u', $3::text)))`;

const params = (ws: WorkspaceRef, userId: string) => [ws.platform, ws.workspaceId, userId];

export function pgResultsPersonal(db: Db) {
  return {
    async playerNames(ws: WorkspaceRef) {
      const { rows } = await db.query<{ userId: string; displayName: string }>(
        `SELECT user_id AS "userId", display_name AS "displayName" FROM study_records
         WHERE platform = $1 AND workspace_id = $2`,
        [ws.platform, ws.workspaceId],
      );
      return rows;
    },

    async learnerData(ws: WorkspaceRef, userId: string): Promise<Record<string, unknown>> {
      const [record, scores, results] = await Promise.all([
        db.query<StudyRow>(
          `${SELECT_STUDY} WHERE r.platform = $1 AND r.workspace_id = $2 AND r.user_id = $3`,
          params(ws, userId),
        ),
        db.query<Record<string, unknown>>(
          `SELECT period, display_name AS "displayName", points, games, correct, answered, updated_at AS "updatedAt"
           FROM scores WHERE ${USER} ORDER BY period COLLATE "C"`,
          params(ws, userId),
        ),
        db.query<{ game_id: string; data: unknown }>(
          `SELECT game_id, data FROM quiz_results WHERE ${RESULTS_WITH} ORDER BY ended_at, game_id`,
          params(ws, userId),
        ),
      ]);
      const leaderboards = scores.rows.map(({ period, ...entry }) => ({
        period,
        ...parseRow(
          scoreEntrySchema,
          entry,
          'scores',
          `${ws.platform}:${ws.workspaceId}:${String(period)}:${userId}`,
        ),
      }));
      const finishedGames = results.rows.map((row) =>
        resultDataOf(parseRow(resultSchema, row.data, 'quiz_results', row.game_id), userId),
      );
      const found = record.rows[0];
      return {
        ...(found ? { playerRecord: studyRecordOf(ws, found) } : {}),
        ...(leaderboards.length > 0 ? { leaderboards } : {}),
        ...(finishedGames.length > 0 ? { finishedGames } : {}),
      };
    },

    /** One transaction: the record and leaderboard rows deleted, finished games rewritten without the person. */
    forgetLearner(ws: WorkspaceRef, userId: string): Promise<boolean> {
      return db.tx(async (client) => {
        const records = await client.query(`DELETE FROM study_records WHERE ${USER}`, params(ws, userId));
        const scores = await client.query(`DELETE FROM scores WHERE ${USER}`, params(ws, userId));
        const { rows } = await client.query<{ channel_id: string; game_id: string; data: unknown }>(
          `SELECT channel_id, game_id, data FROM quiz_results WHERE ${RESULTS_WITH} FOR UPDATE`,
          params(ws, userId),
        );
        for (const row of rows) {
          const without = resultWithout(
            parseRow(resultSchema, row.data, 'quiz_results', row.game_id),
            userId,
          );
          if (!without) continue;
          await client.query(
            `UPDATE quiz_results SET data = $5 WHERE platform = $1 AND workspace_id = $2 AND channel_id = $3 AND game_id = $4`,
            [ws.platform, ws.workspaceId, row.channel_id, row.game_id, json(without)],
          );
        }
        return (records.rowCount ?? 0) + (scores.rowCount ?? 0) + rows.length > 0;
      });
    },
  };
}

export function pgGamesPersonal(db: Db) {
  const inWorkspace = async (ws: WorkspaceRef) => {
    const { rows } = await db.query<GameRow>(
      `${SELECT_GAMES} WHERE g.platform = $1 AND g.workspace_id = $2 ${GROUP_GAMES}`,
      [ws.platform, ws.workspaceId],
    );
    return rows.map(assemble);
  };
  return {
    async learnerData(ws: WorkspaceRef, userId: string): Promise<Record<string, unknown>> {
      const runningGames = (await inWorkspace(ws))
        .filter((s) => runningGameWithout(s, userId))
        .map((s) => runningGameDataOf(s, userId));
      return runningGames.length > 0 ? { runningGames } : {};
    },

    /** The person's answer rows go; their streak goes and a game they started names nobody. */
    forgetLearner(ws: WorkspaceRef, userId: string): Promise<boolean> {
      return db.tx(async (client) => {
        const answers = await client.query(`DELETE FROM quiz_answers WHERE ${USER}`, params(ws, userId));
        const games = await client.query(
          `UPDATE quiz_games SET state = jsonb_set(
             jsonb_set(state, '{streaks}', COALESCE(state->'streaks', '{}'::jsonb) - $3::text),
             '{startedBy}', CASE WHEN state->'startedBy'->>'id' = $3 THEN $4::jsonb ELSE state->'startedBy' END)
           WHERE platform = $1 AND workspace_id = $2
             AND (jsonb_exists(state->'streaks', $3) OR state->'startedBy'->>'id' = $3)`,
          [...params(ws, userId), json(FORGOTTEN_USER)],
        );
        return (answers.rowCount ?? 0) + (games.rowCount ?? 0) > 0;
      });
    },
  };
}

export function pgStudyPersonal(db: Db) {
  return {
    async learnerData(ws: WorkspaceRef, userId: string): Promise<Record<string, unknown>> {
      const [learner, cards, log, reminded] = await Promise.all([
        db.query<LearnerRow>(`SELECT * FROM study_learners WHERE ${USER}`, params(ws, userId)),
        db.query<CardRow>(
          `SELECT ${CARD_COLUMNS} FROM study_cards WHERE ${USER} ORDER BY question_id COLLATE "C"`,
          params(ws, userId),
        ),
        db.query<LogRow>(
          `SELECT question_id, at, rating, correct, source FROM study_log WHERE ${USER} ORDER BY at, seq`,
          params(ws, userId),
        ),
        db.query<{ local_date: string }>(
          `SELECT local_date FROM study_reminded WHERE ${USER} ORDER BY local_date`,
          params(ws, userId),
        ),
      ]);
      const row = learner.rows[0];
      if (!row) return {};
      return {
        profile: profileOf(row),
        cards: cards.rows.map((c) => cardOf(c, ws, userId)),
        log: log.rows.map((e) => logOf(e, ws, userId)),
        reminderClaims: reminded.rows.map((r) => r.local_date),
      };
    },

    /** Aggregated in SQL, so a 500-learner term reads one row per learner and topic. */
    async activity(ws: WorkspaceRef, query: ActivityQuery): Promise<TopicActivity[]> {
      const questions: string[] = [];
      const topics: string[] = [];
      for (const [questionId, list] of query.topicsOf)
        for (const topic of list) {
          questions.push(questionId);
          topics.push(topic);
        }
      const { rows } = await db.query<{
        user_id: string;
        topic: string;
        answered: number;
        correct: number;
        last_at: Date;
        mastered: number;
      }>(
        `WITH t AS (SELECT * FROM unnest($3::text[], $4::text[]) AS t(question_id, topic)),
         -- Per learner and question first: the join with the topics then sees one row per card, not per answer.
         q AS (
           SELECT user_id, question_id, count(*) AS answered, count(*) FILTER (WHERE correct) AS correct,
                  max(at) AS last_at
           FROM study_log
           WHERE platform = $1 AND workspace_id = $2 AND at >= $5 AND at < $6
           GROUP BY user_id, question_id),
         a AS (
           SELECT q.user_id, t.topic, sum(q.answered)::int AS answered, sum(q.correct)::int AS correct,
                  max(q.last_at) AS last_at
           FROM q JOIN t ON t.question_id = q.question_id
           GROUP BY q.user_id, t.topic),
         m AS (
           SELECT c.user_id, t.topic, count(*)::int AS mastered
           FROM study_cards c JOIN t ON t.question_id = c.question_id
           WHERE c.platform = $1 AND c.workspace_id = $2 AND c.stability >= $7
           GROUP BY c.user_id, t.topic)
         SELECT a.user_id, a.topic, a.answered, a.correct, a.last_at, COALESCE(m.mastered, 0)::int AS mastered
         FROM a LEFT JOIN m USING (user_id, topic)
         ORDER BY a.user_id COLLATE "C", a.topic COLLATE "C"`,
        [ws.platform, ws.workspaceId, questions, topics, query.from, query.to, query.masteredDays],
      );
      return rows.map((r) => ({
        userId: r.user_id,
        topic: r.topic,
        answered: r.answered,
        correct: r.correct,
        lastAt: r.last_at.toISOString(),
        mastered: r.mastered,
      }));
    },
  };
}
