/**
 * Review decks on PostgreSQL. A learner's writes lock their `study_learners` row first (created if
 * missing), so concurrent answers of one learner apply one after the other and none is lost; the
 * card, its log entry and the learner's topics change in one transaction.
 */
import { StoreError } from '../errors.ts';
import { type CardChange, defaultStudyProfile, type StudyRepo, type WorkspaceRef } from '../ports.ts';
import {
  platformSchema,
  type StudyCard,
  type StudyLogEntry,
  type StudyProfile,
  studyCardSchema,
  studyLogEntrySchema,
  studyProfileSchema,
  studyReminderSchema,
} from '../schema.ts';
import { pgStudyPersonal } from './personal.ts';
import type { Db, Queryable } from './pool.ts';
import { json, parseRow, timeOf } from './rows.ts';

export interface CardRow {
  question_id: string;
  due: Date;
  stability: number;
  difficulty: number;
  elapsed_days: number;
  scheduled_days: number;
  learning_steps: number;
  reps: number;
  lapses: number;
  state: string;
  last_review: Date | null;
  added_at: Date;
  added_by: string;
}

export interface LearnerRow {
  platform: string;
  workspace_id: string;
  user_id: string;
  new_per_day: number;
  topics: string[];
  reminder: unknown;
}

export const CARD_COLUMNS = `question_id, due, stability, difficulty, elapsed_days, scheduled_days, learning_steps,
  reps, lapses, state, last_review, added_at, added_by`;
const LEARNER = 'platform = $1 AND workspace_id = $2 AND user_id = $3';

export function pgStudy(db: Db): StudyRepo {
  const key = (ws: WorkspaceRef, userId: string): [string, string, string] => [
    ws.platform,
    ws.workspaceId,
    userId,
  ];

  return {
    ...pgStudyPersonal(db),
    async card(ws, userId, questionId) {
      const { rows } = await db.query<CardRow>(
        `SELECT ${CARD_COLUMNS} FROM study_cards WHERE ${LEARNER} AND question_id = $4`,
        [...key(ws, userId), questionId],
      );
      return rows[0] && cardOf(rows[0], ws, userId);
    },

    changeCard(ws, userId, questionId, fn: (card: StudyCard | undefined) => CardChange) {
      return db.tx(async (client) => {
        await lockLearner(client, ws, userId);
        const { rows } = await client.query<CardRow>(
          `SELECT ${CARD_COLUMNS} FROM study_cards WHERE ${LEARNER} AND question_id = $4`,
          [...key(ws, userId), questionId],
        );
        const before = rows[0] && cardOf(rows[0], ws, userId);
        const change = fn(before && { ...before });
        const card = studyCardSchema.parse({ ...change.card, questionId });
        const log = studyLogEntrySchema.parse({ ...change.log, questionId });
        await client.query(
          `INSERT INTO study_cards (platform, workspace_id, user_id, ${CARD_COLUMNS})
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
           ON CONFLICT (platform, workspace_id, user_id, question_id) DO UPDATE SET
             due = excluded.due, stability = excluded.stability, difficulty = excluded.difficulty,
             elapsed_days = excluded.elapsed_days, scheduled_days = excluded.scheduled_days,
             learning_steps = excluded.learning_steps, reps = excluded.reps, lapses = excluded.lapses,
             state = excluded.state, last_review = excluded.last_review, added_at = excluded.added_at,
             added_by = excluded.added_by`,
          [
            ...key(ws, userId),
            questionId,
            time(card.due, 'due'),
            card.stability,
            card.difficulty,
            card.elapsedDays,
            card.scheduledDays,
            card.learningSteps,
            card.reps,
            card.lapses,
            card.state,
            card.lastReview === undefined ? null : time(card.lastReview, 'lastReview'),
            time(card.addedAt, 'addedAt'),
            card.addedBy,
          ],
        );
        await client.query(
          `INSERT INTO study_log (platform, workspace_id, user_id, question_id, at, rating, correct, source)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [...key(ws, userId), questionId, time(log.at, 'at'), log.rating, log.correct, log.source],
        );
        const topics = [...new Set(change.topics ?? [])];
        if (topics.length > 0)
          // Appends the topics not yet listed, keeping the order they were first noted in.
          await client.query(
            `UPDATE study_learners SET topics = topics || ARRAY(
               SELECT t FROM unnest($4::text[]) WITH ORDINALITY AS x(t, i) WHERE t <> ALL(topics) ORDER BY i)
             WHERE ${LEARNER}`,
            [...key(ws, userId), topics],
          );
        return { before, card: { ...card } };
      });
    },

    async due(ws, userId, now, options) {
      const filter = options.questionIds ? 'AND question_id = ANY($6::text[])' : '';
      const { rows } = await db.query<CardRow>(
        `SELECT ${CARD_COLUMNS} FROM study_cards WHERE ${LEARNER} AND due <= $4 ${filter}
         ORDER BY due, question_id COLLATE "C" LIMIT $5`,
        [
          ...key(ws, userId),
          now,
          Math.max(0, Math.floor(options.limit)),
          ...(options.questionIds ? [[...options.questionIds]] : []),
        ],
      );
      return rows.map((row) => cardOf(row, ws, userId));
    },

    async dueCounts(ws, userId, bounds, options = {}) {
      if (bounds.length === 0) return [];
      const filter = options.questionIds ? 'AND question_id = ANY($5::text[])' : '';
      const { rows } = await db.query<{ n: number }>(
        `SELECT (SELECT count(*) FROM study_cards WHERE ${LEARNER} AND due <= b ${filter})::int AS n
         FROM unnest($4::timestamptz[]) WITH ORDINALITY AS x(b, i) ORDER BY i`,
        [...key(ws, userId), [...bounds], ...(options.questionIds ? [[...options.questionIds]] : [])],
      );
      return rows.map((row) => row.n);
    },

    async cards(ws, userId) {
      const { rows } = await db.query<CardRow>(
        `SELECT ${CARD_COLUMNS} FROM study_cards WHERE ${LEARNER} ORDER BY question_id COLLATE "C"`,
        key(ws, userId),
      );
      return rows.map((row) => cardOf(row, ws, userId));
    },

    async logs(ws, userId, since) {
      const { rows } = await db.query<LogRow>(
        `SELECT question_id, at, rating, correct, source FROM study_log WHERE ${LEARNER} AND at >= $4
         ORDER BY at, seq`,
        [...key(ws, userId), since],
      );
      return rows.map((row) => logOf(row, ws, userId));
    },

    async profile(ws, userId) {
      const { rows } = await db.query<LearnerRow>(
        `SELECT * FROM study_learners WHERE ${LEARNER}`,
        key(ws, userId),
      );
      return rows[0] && profileOf(rows[0]);
    },

    changeProfile(ws, userId, fn) {
      return db.tx(async (client) => {
        const row = await lockLearner(client, ws, userId);
        const draft = profileOf(row);
        const result = fn(draft);
        const checked = parseRow(studyProfileSchema, draft, 'study_learners', learnerKey(ws, userId));
        await client.query(
          `UPDATE study_learners SET new_per_day = $4, topics = $5, reminder = $6 WHERE ${LEARNER}`,
          [
            ...key(ws, userId),
            checked.newPerDay,
            checked.topics,
            checked.reminder ? json(checked.reminder) : null,
          ],
        );
        return result;
      });
    },

    async reminders() {
      const { rows } = await db.query<LearnerRow>(
        'SELECT * FROM study_learners WHERE reminder IS NOT NULL ORDER BY platform, workspace_id, user_id',
      );
      return rows.map((row) => ({
        ws: {
          platform: parseRow(platformSchema, row.platform, 'study_learners', row.platform),
          workspaceId: row.workspace_id,
        },
        userId: row.user_id,
        reminder: parseRow(studyReminderSchema, row.reminder, 'study_learners', learnerKey(row, row.user_id)),
      }));
    },

    claimReminder(ws, userId, date, at) {
      return db.tx(async (client) => {
        await ensureLearner(client, ws, userId);
        // The primary key makes the claim: of any number of concurrent inserts exactly one lands.
        const res = await client.query(
          `INSERT INTO study_reminded (platform, workspace_id, user_id, local_date, at)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
          [...key(ws, userId), date, at],
        );
        return res.rowCount === 1;
      });
    },

    async forgetLearner(ws, userId) {
      const res = await db.query(`DELETE FROM study_learners WHERE ${LEARNER}`, key(ws, userId));
      return (res.rowCount ?? 0) > 0;
    },
  };
}

export interface LogRow {
  question_id: string;
  at: Date;
  rating: number;
  correct: boolean;
  source: string;
}

async function ensureLearner(client: Queryable, ws: WorkspaceRef, userId: string): Promise<void> {
  const profile = defaultStudyProfile();
  await client.query(
    `INSERT INTO study_learners (platform, workspace_id, user_id, new_per_day, topics)
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
    [ws.platform, ws.workspaceId, userId, profile.newPerDay, profile.topics],
  );
}

/** The learner's row, created if missing, locked until the transaction ends. */
async function lockLearner(client: Queryable, ws: WorkspaceRef, userId: string): Promise<LearnerRow> {
  await ensureLearner(client, ws, userId);
  const { rows } = await client.query<LearnerRow>(
    `SELECT * FROM study_learners WHERE ${LEARNER} FOR UPDATE`,
    [ws.platform, ws.workspaceId, userId],
  );
  return rows[0] as LearnerRow;
}

function learnerKey(
  ws: { platform: string; workspaceId?: string; workspace_id?: string },
  userId: string,
): string {
  return `${ws.platform}:${ws.workspaceId ?? ws.workspace_id}:${userId}`;
}

/** A time column's value: record times must be times (the engine sorts and prunes by them). */
function time(iso: string, field: string): Date {
  const at = timeOf(iso);
  if (!at) throw new StoreError('corrupt', `study card field ${field} is not a time: "${iso.slice(0, 40)}"`);
  return at;
}

export function profileOf(row: LearnerRow): StudyProfile {
  return parseRow(
    studyProfileSchema,
    {
      newPerDay: row.new_per_day,
      topics: row.topics,
      ...(row.reminder ? { reminder: row.reminder } : {}),
    },
    'study_learners',
    learnerKey(row, row.user_id),
  );
}

export function cardOf(row: CardRow, ws: WorkspaceRef, userId: string): StudyCard {
  return parseRow(
    studyCardSchema,
    {
      questionId: row.question_id,
      due: row.due.toISOString(),
      stability: row.stability,
      difficulty: row.difficulty,
      elapsedDays: row.elapsed_days,
      scheduledDays: row.scheduled_days,
      learningSteps: row.learning_steps,
      reps: row.reps,
      lapses: row.lapses,
      state: row.state,
      ...(row.last_review ? { lastReview: row.last_review.toISOString() } : {}),
      addedAt: row.added_at.toISOString(),
      addedBy: row.added_by,
    },
    'study_cards',
    `${learnerKey(ws, userId)}/${row.question_id}`,
  );
}

export function logOf(row: LogRow, ws: WorkspaceRef, userId: string): StudyLogEntry {
  return parseRow(
    studyLogEntrySchema,
    {
      questionId: row.question_id,
      at: row.at.toISOString(),
      rating: row.rating,
      correct: row.correct,
      source: row.source,
    },
    'study_log',
    `${learnerKey(ws, userId)}/${row.question_id}`,
  );
}
