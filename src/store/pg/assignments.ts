/**
 * Assignments on PostgreSQL: each record as jsonb, with the columns the clock and retention read
 * (due, closed, reminded). The reminder's claim and closing are conditional updates of one row, so
 * one process wins; an answer locks its learner's row for the read-modify-write.
 */

import {
  type Assignment,
  type AssignmentProgress,
  assignmentProgressSchema,
  assignmentSchema,
} from '../assignment-schema.ts';
import { type AssignmentsRepo, assignmentsHostedBy, FORMER_MEMBER } from '../assignments-port.ts';
import type { WorkspaceRef } from '../ports.ts';
import type { Db, Queryable } from './pool.ts';
import { json, parseRow } from './rows.ts';

const KEY = 'platform = $1 AND workspace_id = $2 AND id = $3';
const PROGRESS_KEY = 'platform = $1 AND workspace_id = $2 AND assignment_id = $3 AND user_id = $4';

type DataRow = { data: unknown };

export function assignmentOf(row: DataRow): Assignment {
  const id = String((row.data as { id?: unknown })?.id);
  return parseRow(assignmentSchema, row.data, 'assignments', id);
}

export function progressOf(row: DataRow): AssignmentProgress {
  const d = row.data as { assignmentId?: unknown; userId?: unknown };
  return parseRow(
    assignmentProgressSchema,
    row.data,
    'assignment_progress',
    `${d?.assignmentId}:${d?.userId}`,
  );
}

/** The row of an assignment, for inserts here and in `store:copy`. */
export function assignmentRow(a: Assignment): unknown[] {
  const checked = assignmentSchema.parse(a);
  return [
    checked.channel.platform,
    checked.channel.workspaceId,
    checked.id,
    checked.channel.channelId,
    new Date(checked.createdAt),
    new Date(checked.dueAt),
    checked.closedAt ? new Date(checked.closedAt) : null,
    checked.remindedAt ? new Date(checked.remindedAt) : null,
    json(checked),
  ];
}

export function progressRow(p: AssignmentProgress): unknown[] {
  const checked = assignmentProgressSchema.parse(p);
  return [
    checked.platform,
    checked.workspaceId,
    checked.assignmentId,
    checked.userId,
    new Date(checked.startedAt),
    json(checked),
  ];
}

async function insertAssignment(client: Queryable, a: Assignment): Promise<boolean> {
  const res = await client.query(
    `INSERT INTO assignments (platform, workspace_id, id, channel_id, created_at, due_at, closed_at, reminded_at, data)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
    assignmentRow(a),
  );
  return res.rowCount === 1;
}

export function pgAssignments(db: Db): AssignmentsRepo {
  const ws3 = (ws: WorkspaceRef, id: string) => [ws.platform, ws.workspaceId, id];

  const repo: AssignmentsRepo = {
    create: (a) => insertAssignment(db, a),

    async get(ws, id) {
      const { rows } = await db.query<DataRow>(`SELECT data FROM assignments WHERE ${KEY}`, ws3(ws, id));
      return rows[0] && assignmentOf(rows[0]);
    },

    async inWorkspace(ws) {
      const { rows } = await db.query<DataRow>(
        `SELECT data FROM assignments WHERE platform = $1 AND workspace_id = $2 ORDER BY created_at DESC, id DESC`,
        [ws.platform, ws.workspaceId],
      );
      return rows.map(assignmentOf);
    },

    async awaitingReminder(now) {
      const { rows } = await db.query<DataRow>(
        'SELECT data FROM assignments WHERE closed_at IS NULL AND reminded_at IS NULL AND due_at > $1 ORDER BY due_at',
        [now],
      );
      return rows.map(assignmentOf);
    },

    async unsentReminders(now) {
      const { rows } = await db.query<DataRow>(
        `SELECT data FROM assignments WHERE closed_at IS NULL AND reminded_at IS NOT NULL
           AND NOT (data ? 'reminderSentAt') AND due_at > $1 ORDER BY due_at`,
        [now],
      );
      return rows.map(assignmentOf);
    },

    async reminderSent(ws, id, at) {
      await db.query(
        `UPDATE assignments SET data = jsonb_set(data, '{reminderSentAt}', to_jsonb($4::text))
         WHERE ${KEY} AND NOT (data ? 'reminderSentAt')`,
        [...ws3(ws, id), at.toISOString()],
      );
    },

    async close(ws, id, by, at) {
      const res = await db.query(
        `UPDATE assignments SET closed_at = $4,
           data = data || jsonb_build_object('closedAt', $5::text, 'closedBy', $6::jsonb)
         WHERE ${KEY} AND closed_at IS NULL`,
        [...ws3(ws, id), at, at.toISOString(), json({ id: by.id, displayName: by.displayName })],
      );
      return res.rowCount === 1;
    },

    async noteHost(ws, id, user) {
      await db.query(
        `UPDATE assignments SET data = jsonb_set(data, ARRAY['hosts', $4::text], to_jsonb($5::text))
         WHERE ${KEY} AND (data->'hosts'->>$4::text) IS DISTINCT FROM $5::text`,
        [...ws3(ws, id), user.id, user.displayName],
      );
    },

    async claimReminder(ws, id, at) {
      const res = await db.query(
        `UPDATE assignments SET reminded_at = $4, data = jsonb_set(data, '{remindedAt}', to_jsonb($5::text))
         WHERE ${KEY} AND reminded_at IS NULL`,
        [...ws3(ws, id), at, at.toISOString()],
      );
      return res.rowCount === 1;
    },

    async start(progress) {
      try {
        await db.query(
          `INSERT INTO assignment_progress (platform, workspace_id, assignment_id, user_id, started_at, data)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
          progressRow(progress),
        );
      } catch (err) {
        // The assignment is gone (a foreign key violation).
        if ((err as { code?: string }).code === '23503') return undefined;
        throw err;
      }
      return repo.progress(
        { platform: progress.platform, workspaceId: progress.workspaceId },
        progress.assignmentId,
        progress.userId,
      );
    },

    async progress(ws, id, userId) {
      const { rows } = await db.query<DataRow>(`SELECT data FROM assignment_progress WHERE ${PROGRESS_KEY}`, [
        ...ws3(ws, id),
        userId,
      ]);
      return rows[0] && progressOf(rows[0]);
    },

    async progressOf(ws, id) {
      const { rows } = await db.query<DataRow>(
        `SELECT data FROM assignment_progress WHERE platform = $1 AND workspace_id = $2 AND assignment_id = $3
         ORDER BY started_at, user_id`,
        ws3(ws, id),
      );
      return rows.map(progressOf);
    },

    async progressOfLearner(ws, userId) {
      const { rows } = await db.query<DataRow>(
        `SELECT data FROM assignment_progress WHERE platform = $1 AND workspace_id = $2 AND user_id = $3
         ORDER BY started_at, assignment_id`,
        [ws.platform, ws.workspaceId, userId],
      );
      return rows.map(progressOf);
    },

    answer(ws, id, userId, questionId, answer) {
      return db.tx(async (client, rollback) => {
        const { rows } = await client.query<DataRow>(
          `SELECT data FROM assignment_progress WHERE ${PROGRESS_KEY} FOR UPDATE`,
          [...ws3(ws, id), userId],
        );
        const p = rows[0] && progressOf(rows[0]);
        if (!p?.order.includes(questionId) || p.answers[questionId]) {
          rollback();
          return { recorded: false, progress: p };
        }
        p.answers[questionId] = { choice: answer.choice, correct: answer.correct, at: answer.at };
        p.updatedAt = answer.at;
        if (p.order.every((q) => p.answers[q])) p.finishedAt = answer.at;
        await client.query(`UPDATE assignment_progress SET data = $5 WHERE ${PROGRESS_KEY}`, [
          ...ws3(ws, id),
          userId,
          json(p),
        ]);
        return { recorded: true, progress: p };
      });
    },

    async learnerData(ws, userId) {
      const hosted = assignmentsHostedBy(await repo.inWorkspace(ws), userId);
      return { progress: await repo.progressOfLearner(ws, userId), hosted };
    },

    forgetLearner(ws, userId) {
      return db.tx(async (client) => {
        const params = [ws.platform, ws.workspaceId, userId];
        const gone = await client.query(
          'DELETE FROM assignment_progress WHERE platform = $1 AND workspace_id = $2 AND user_id = $3',
          params,
        );
        const former = json(FORMER_MEMBER);
        const changed = await client.query(
          `UPDATE assignments SET data = jsonb_set(
             CASE WHEN data->'createdBy'->>'id' = $3 THEN jsonb_set(data, '{createdBy}', $4::jsonb) ELSE data END
             || CASE WHEN data->'closedBy'->>'id' = $3 THEN jsonb_build_object('closedBy', $4::jsonb) ELSE '{}'::jsonb END,
             '{hosts}', (data->'hosts') - $3)
           WHERE platform = $1 AND workspace_id = $2
             AND (data->'createdBy'->>'id' = $3 OR data->'closedBy'->>'id' = $3 OR data->'hosts' ? $3)`,
          [...params, former],
        );
        return (gone.rowCount ?? 0) + (changed.rowCount ?? 0) > 0;
      });
    },
  };
  return repo;
}
