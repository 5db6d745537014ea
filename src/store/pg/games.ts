/**
 * Running games: the state (rounds without answers) in quiz_games, each answer a row of quiz_answers
 * whose primary key (game, round, user) lets exactly one answer per user and round land.
 */
import type { GamesRepo } from '../ports.ts';
import { type QuizAnswer, type QuizSession, sessionSchema } from '../schema.ts';
import { pgGamesPersonal } from './personal.ts';
import type { Db, Queryable } from './pool.ts';
import { channelParams, json, parseRow, timeOf } from './rows.ts';

const WHERE_GAME = 'platform = $1 AND workspace_id = $2 AND channel_id = $3 AND game_id = $4';

export interface GameRow {
  key: string;
  state: QuizSession;
  answers: { round: number; user_id: string; data: QuizAnswer }[];
}

/**
 * One statement reads a game and its answers, so they are one consistent snapshot. `answers` narrows
 * which answer rows come with it (a condition on `a` and `g`).
 */
function selectGames(answers = ''): string {
  return `
  SELECT g.platform || ':' || g.workspace_id || ':' || g.channel_id AS key, g.state,
         COALESCE(json_agg(json_build_object('round', a.round, 'user_id', a.user_id, 'data', a.data) ORDER BY a.seq)
                  FILTER (WHERE a.user_id IS NOT NULL), '[]') AS answers
  FROM quiz_games g
  LEFT JOIN quiz_answers a ON a.platform = g.platform AND a.workspace_id = g.workspace_id
    AND a.channel_id = g.channel_id AND a.game_id = g.game_id ${answers}`;
}
export const SELECT_GAMES = selectGames();
/** The current round's answers only: a click needs no more. */
const SELECT_GAMES_CURRENT_ROUND = selectGames("AND a.round = (g.state->>'current')::int");
const WHERE_CHANNEL = 'WHERE g.platform = $1 AND g.workspace_id = $2 AND g.channel_id = $3';
export const GROUP_GAMES = 'GROUP BY g.platform, g.workspace_id, g.channel_id';

export function pgGames(db: Db): GamesRepo {
  return {
    ...pgGamesPersonal(db),
    async get(channel) {
      const { rows } = await db.query<GameRow>(
        `${SELECT_GAMES} ${WHERE_CHANNEL} ${GROUP_GAMES}`,
        channelParams(channel),
      );
      return rows[0] ? assemble(rows[0]) : undefined;
    },

    async getForAnswer(channel) {
      // Reading every earlier answer for every click grew with the game.
      const { rows } = await db.query<GameRow>(
        `${SELECT_GAMES_CURRENT_ROUND} ${WHERE_CHANNEL} ${GROUP_GAMES}`,
        channelParams(channel),
      );
      return rows[0] ? assemble(rows[0]) : undefined;
    },

    async everyoneAnswered(channel, gameId, round) {
      // Answers go when their game does (a foreign key), so a game gone has no earlier answers.
      const { rows } = await db.query<{ all: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM quiz_answers WHERE ${WHERE_GAME} AND round < $5)
            AND NOT EXISTS (
              SELECT 1 FROM quiz_answers p WHERE ${WHERE_GAME} AND p.round < $5
                AND NOT EXISTS (
                  SELECT 1 FROM quiz_answers c WHERE c.platform = p.platform AND c.workspace_id = p.workspace_id
                    AND c.channel_id = p.channel_id AND c.game_id = p.game_id AND c.round = $5
                    AND c.user_id = p.user_id)) AS all`,
        [...channelParams(channel), gameId, round],
      );
      return rows[0]?.all === true;
    },

    async all() {
      const { rows } = await db.query<GameRow>(
        `${SELECT_GAMES} ${GROUP_GAMES} ORDER BY g.platform, g.workspace_id, g.channel_id`,
      );
      return rows.map(assemble);
    },

    create(session) {
      const checked = sessionSchema.parse(session);
      return db.tx(async (client) => {
        const res = await client.query(
          `INSERT INTO quiz_games (platform, workspace_id, channel_id, game_id, state, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (platform, workspace_id, channel_id) DO NOTHING`,
          [...channelParams(checked.channel), checked.id, json(stateOf(checked)), timeOf(checked.updatedAt)],
        );
        if (res.rowCount !== 1) return false;
        await insertAnswers(client, checked);
        return true;
      });
    },

    save(session) {
      const checked = sessionSchema.parse(session);
      return db.tx(async (client) => {
        const res = await client.query(
          `UPDATE quiz_games SET state = $5, updated_at = $6 WHERE ${WHERE_GAME}`,
          [...channelParams(checked.channel), checked.id, json(stateOf(checked)), timeOf(checked.updatedAt)],
        );
        if (res.rowCount !== 1) return false;
        // Answers recorded meanwhile stay; any the session holds that were never recorded are added.
        await insertAnswers(client, checked);
        return true;
      });
    },

    saveStep(session, step) {
      const checked = sessionSchema.parse(session);
      return db.tx(async (client) => {
        // The step goes in with the state: a process that loses the race stores nothing.
        const res = await client.query(
          `UPDATE quiz_games SET state = $5, updated_at = $6, steps = array_append(steps, $7::text)
           WHERE ${WHERE_GAME} AND NOT ($7::text = ANY(steps))`,
          [
            ...channelParams(checked.channel),
            checked.id,
            json(stateOf(checked)),
            timeOf(checked.updatedAt),
            step,
          ],
        );
        if (res.rowCount !== 1) return false;
        await insertAnswers(client, checked);
        return true;
      });
    },

    async recordAnswer(channel, gameId, round, answer) {
      try {
        const res = await db.query(
          `INSERT INTO quiz_answers (platform, workspace_id, channel_id, game_id, round, user_id, data)
           SELECT platform, workspace_id, channel_id, game_id, $5, $6, $7 FROM quiz_games WHERE ${WHERE_GAME}
           ON CONFLICT DO NOTHING`,
          [...channelParams(channel), gameId, round, answer.userId, json(answer)],
        );
        return res.rowCount === 1;
      } catch (err) {
        // The game was removed between our read of it and the insert: the foreign key says so.
        if ((err as { code?: string }).code === '23503') return false;
        throw err;
      }
    },

    async setMessageId(channel, gameId, round, messageId) {
      // Only a round that exists: jsonb_set would append past the end of the array.
      await db.query(
        `UPDATE quiz_games SET state = jsonb_set(state, ARRAY['rounds', $5::text, 'messageId'], to_jsonb($6::text))
         WHERE ${WHERE_GAME} AND $5::int >= 0 AND $5::int < jsonb_array_length(state->'rounds')`,
        [...channelParams(channel), gameId, round, messageId],
      );
    },

    async remove(channel, gameId) {
      const res = await db.query(`DELETE FROM quiz_games WHERE ${WHERE_GAME}`, [
        ...channelParams(channel),
        gameId,
      ]);
      return (res.rowCount ?? 0) > 0;
    },
  };
}

/** The state as stored: every round's answers left out (they are rows of quiz_answers). */
export function stateOf(session: QuizSession): QuizSession {
  return { ...session, rounds: session.rounds.map((r) => ({ ...r, answers: {} })) };
}

async function insertAnswers(client: Queryable, session: QuizSession): Promise<void> {
  const rounds: number[] = [];
  const users: string[] = [];
  const data: string[] = [];
  session.rounds.forEach((round, i) => {
    for (const [userId, answer] of Object.entries(round.answers)) {
      rounds.push(i);
      users.push(userId);
      data.push(json(answer));
    }
  });
  if (rounds.length === 0) return;
  await client.query(
    `INSERT INTO quiz_answers (platform, workspace_id, channel_id, game_id, round, user_id, data)
     SELECT $1, $2, $3, $4, r, u, d FROM unnest($5::int[], $6::text[], $7::jsonb[]) AS x(r, u, d)
     ON CONFLICT DO NOTHING`,
    [...channelParams(session.channel), session.id, rounds, users, data],
  );
}

export function assemble(row: GameRow): QuizSession {
  const state = row.state;
  if (state && Array.isArray(state.rounds)) {
    for (const a of row.answers) {
      const round = state.rounds[a.round];
      if (round && typeof round === 'object') {
        round.answers ??= {};
        round.answers[a.user_id] = a.data;
      }
    }
  }
  return parseRow(sessionSchema, state, 'quiz_games', `${row.key}/${String(state?.id)}`);
}
