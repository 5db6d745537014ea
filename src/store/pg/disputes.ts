/**
 * Dispute reports on PostgreSQL: a row per report. Filing takes a transaction-scoped advisory lock
 * on the reporter, so the daily limit holds across processes.
 */
import type { DisputesRepo } from '../disputes-port.ts';
import { type Dispute, disputeSchema } from '../schema.ts';
import type { Db } from './pool.ts';
import { parseRow } from './rows.ts';

export interface DisputeRow {
  platform: string;
  workspace_id: string;
  id: string;
  channel_id: string;
  question_id: string;
  reason: string;
  body: string;
  user_id: string | null;
  user_name: string | null;
  created_at: Date;
  status: string;
  closed_at: Date | null;
  note: string | null;
  seen_at: Date | null;
}

export function disputeOf(row: DisputeRow): Dispute {
  return parseRow(
    disputeSchema,
    {
      id: row.id,
      platform: row.platform,
      workspaceId: row.workspace_id,
      channelId: row.channel_id,
      questionId: row.question_id,
      reason: row.reason,
      text: row.body,
      ...(row.user_id !== null ? { userId: row.user_id } : {}),
      ...(row.user_name !== null ? { userName: row.user_name } : {}),
      createdAt: row.created_at.toISOString(),
      status: row.status,
      ...(row.closed_at ? { closedAt: row.closed_at.toISOString() } : {}),
      ...(row.note !== null ? { note: row.note } : {}),
      ...(row.seen_at ? { seenAt: row.seen_at.toISOString() } : {}),
    },
    'disputes',
    `${row.platform}:${row.workspace_id}:${row.id}`,
  );
}

/** The columns of a report, in the order of `disputeValues`. */
export const DISPUTE_COLUMNS: [string, string][] = [
  ['platform', 'text'],
  ['workspace_id', 'text'],
  ['id', 'text'],
  ['channel_id', 'text'],
  ['question_id', 'text'],
  ['reason', 'text'],
  ['body', 'text'],
  ['user_id', 'text'],
  ['user_name', 'text'],
  ['created_at', 'timestamptz'],
  ['status', 'text'],
  ['closed_at', 'timestamptz'],
  ['note', 'text'],
  ['seen_at', 'timestamptz'],
];

export function disputeValues(d: Dispute): unknown[] {
  const time = (iso: string | undefined) => (iso === undefined ? null : new Date(iso));
  return [
    d.platform,
    d.workspaceId,
    d.id,
    d.channelId,
    d.questionId,
    d.reason,
    d.text,
    d.userId ?? null,
    d.userName ?? null,
    time(d.createdAt),
    d.status,
    time(d.closedAt),
    d.note ?? null,
    time(d.seenAt),
  ];
}

const ORDER = 'ORDER BY created_at, id';

export function pgDisputes(db: Db): DisputesRepo {
  return {
    file(report, limit) {
      const d = disputeSchema.parse(report);
      return db.tx(async (client) => {
        if (d.userId) {
          await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
            `dispute:${d.platform}:${d.workspaceId}:${d.userId}`,
          ]);
          const { rows } = await client.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM disputes
             WHERE platform = $1 AND workspace_id = $2 AND user_id = $3 AND created_at >= $4`,
            [d.platform, d.workspaceId, d.userId, limit.since],
          );
          if ((rows[0]?.n ?? 0) >= limit.max) return false;
        }
        const names = DISPUTE_COLUMNS.map(([n]) => n).join(', ');
        const params = DISPUTE_COLUMNS.map((_, i) => `$${i + 1}`).join(', ');
        const res = await client.query(
          `INSERT INTO disputes (${names}) VALUES (${params}) ON CONFLICT DO NOTHING`,
          disputeValues(d),
        );
        return res.rowCount === 1;
      });
    },

    async filedSince(ws, userId, since) {
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM disputes
         WHERE platform = $1 AND workspace_id = $2 AND user_id = $3 AND created_at >= $4`,
        [ws.platform, ws.workspaceId, userId, since],
      );
      return rows[0]?.n ?? 0;
    },

    async open(ws) {
      const { rows } = await db.query<DisputeRow>(
        `SELECT * FROM disputes WHERE platform = $1 AND workspace_id = $2 AND status = 'open' ${ORDER}`,
        [ws.platform, ws.workspaceId],
      );
      return rows.map(disputeOf);
    },

    async list(statuses) {
      const { rows } = await db.query<DisputeRow>(
        `SELECT * FROM disputes WHERE status = ANY($1::text[]) ${ORDER}, platform, workspace_id`,
        [[...statuses]],
      );
      return rows.map(disputeOf);
    },

    async close(ws, questionId, outcome) {
      const { rows } = await db.query<DisputeRow>(
        `UPDATE disputes SET status = $4, closed_at = $5, note = COALESCE($6, note)
         WHERE platform = $1 AND workspace_id = $2 AND question_id = $3 AND status = 'open'
         RETURNING *`,
        [ws.platform, ws.workspaceId, questionId, outcome.status, outcome.at, outcome.note ?? null],
      );
      return rows
        .map(disputeOf)
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    },

    async unseen(ws, userId) {
      const { rows } = await db.query<DisputeRow>(
        `SELECT * FROM disputes WHERE platform = $1 AND workspace_id = $2 AND user_id = $3
           AND status <> 'open' AND seen_at IS NULL ${ORDER}`,
        [ws.platform, ws.workspaceId, userId],
      );
      return rows.map(disputeOf);
    },

    async markSeen(ws, userId, ids, at) {
      if (ids.length === 0) return;
      await db.query(
        `UPDATE disputes SET seen_at = $5 WHERE platform = $1 AND workspace_id = $2 AND user_id = $3
           AND id = ANY($4::text[]) AND status <> 'open'`,
        [ws.platform, ws.workspaceId, userId, [...ids], at],
      );
    },

    async learnerData(ws, userId) {
      const { rows } = await db.query<DisputeRow>(
        `SELECT * FROM disputes WHERE platform = $1 AND workspace_id = $2 AND user_id = $3 ${ORDER}`,
        [ws.platform, ws.workspaceId, userId],
      );
      return { reports: rows.map(disputeOf) };
    },

    async forgetLearner(ws, userId) {
      const res = await db.query(
        `UPDATE disputes SET user_id = NULL, user_name = NULL
         WHERE platform = $1 AND workspace_id = $2 AND user_id = $3`,
        [ws.platform, ws.workspaceId, userId],
      );
      return res.rowCount ?? 0;
    },
  };
}
