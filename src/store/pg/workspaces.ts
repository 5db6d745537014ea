/**
 * A workspace's data over its life. Every table carries platform and workspace id, so counting and
 * deleting a workspace's rows is plain equality: workspace "1" never takes "12" with it.
 */
import type { Platform } from '../../core/platform.ts';
import type { Footprint, FootprintKind, WorkspacesRepo } from '../ports.ts';
import { platformSchema } from '../schema.ts';
import type { Db, Queryable } from './pool.ts';

/**
 * What each kind counts: rows, except scores, which count leaderboards (one per period). Answers,
 * history entries and night runs belong to their game, record and night and go with them.
 */
const KINDS: { kind: FootprintKind; table: string; count: string }[] = [
  { kind: 'settings', table: 'workspace_settings', count: 'count(*)' },
  { kind: 'subscriptions', table: 'subscriptions', count: 'count(*)' },
  { kind: 'deliveries', table: 'deliveries', count: 'count(*)' },
  { kind: 'quizSessions', table: 'quiz_games', count: 'count(*)' },
  { kind: 'quizResults', table: 'quiz_results', count: 'count(*)' },
  { kind: 'scores', table: 'scores', count: 'count(DISTINCT period)' },
  { kind: 'study', table: 'study_records', count: 'count(*)' },
  { kind: 'quizNights', table: 'quiz_nights', count: 'count(*)' },
  // Cards before learners: forgetting deletes in this order, and the learners' delete cascades.
  { kind: 'studyCards', table: 'study_cards', count: 'count(*)' },
  { kind: 'learners', table: 'study_learners', count: 'count(*)' },
  { kind: 'disputes', table: 'disputes', count: 'count(*)' },
  // Progress before assignments, for the same reason.
  { kind: 'assignmentProgress', table: 'assignment_progress', count: 'count(*)' },
  { kind: 'assignments', table: 'assignments', count: 'count(*)' },
];

export function pgWorkspaces(db: Db): WorkspacesRepo {
  return {
    async markRemoved(ws, at) {
      const res = await db.query(
        'INSERT INTO removed_workspaces (platform, workspace_id, removed_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
        [ws.platform, ws.workspaceId, at],
      );
      return res.rowCount === 1;
    },

    async markAdded(ws) {
      const res = await db.query('DELETE FROM removed_workspaces WHERE platform = $1 AND workspace_id = $2', [
        ws.platform,
        ws.workspaceId,
      ]);
      return (res.rowCount ?? 0) > 0;
    },

    async removed() {
      const { rows } = await db.query<{ platform: string; workspace_id: string; removed_at: Date }>(
        'SELECT platform, workspace_id, removed_at FROM removed_workspaces ORDER BY removed_at, platform, workspace_id',
      );
      return rows.map((row) => ({
        ws: { platform: platformSchema.parse(row.platform), workspaceId: row.workspace_id },
        removedAt: row.removed_at.toISOString(),
      }));
    },

    async storedIds(platform: Platform) {
      const union = KINDS.map((k) => `SELECT workspace_id FROM ${k.table} WHERE platform = $1`).join(
        ' UNION ',
      );
      const { rows } = await db.query<{ workspace_id: string }>(`${union} ORDER BY workspace_id`, [platform]);
      return rows.map((row) => row.workspace_id);
    },

    async footprint(ws) {
      return count(db, ws.platform, ws.workspaceId);
    },

    async people(ws) {
      const { rows } = await db.query<{ user_id: string; display_name: string | null }>(
        `SELECT user_id, max(display_name) AS display_name FROM (
           SELECT user_id, display_name FROM study_records WHERE platform = $1 AND workspace_id = $2
           UNION ALL
           SELECT user_id, NULL FROM study_learners WHERE platform = $1 AND workspace_id = $2) seen
         GROUP BY user_id ORDER BY user_id COLLATE "C"`,
        [ws.platform, ws.workspaceId],
      );
      return rows.map((r) =>
        r.display_name === null ? { userId: r.user_id } : { userId: r.user_id, displayName: r.display_name },
      );
    },

    forget(ws) {
      return db.tx(async (client) => {
        // Counted from what the deletes return. Answers, history entries and night runs cascade
        // from their game, record and night.
        const gone: Footprint = {};
        for (const k of KINDS) {
          const { rows } = await client.query<{ n: number }>(
            `WITH gone AS (DELETE FROM ${k.table} WHERE platform = $1 AND workspace_id = $2 RETURNING *)
             SELECT ${k.count}::int AS n FROM gone`,
            [ws.platform, ws.workspaceId],
          );
          const n = rows[0]?.n ?? 0;
          if (n > 0) gone[k.kind] = n;
        }
        await client.query('DELETE FROM removed_workspaces WHERE platform = $1 AND workspace_id = $2', [
          ws.platform,
          ws.workspaceId,
        ]);
        return gone;
      });
    },
  };
}

async function count(db: Queryable, platform: string, workspaceId: string): Promise<Footprint> {
  const select = KINDS.map(
    (k) =>
      `(SELECT ${k.count} FROM ${k.table} WHERE platform = $1 AND workspace_id = $2)::int AS "${k.kind}"`,
  );
  const { rows } = await db.query<Record<FootprintKind, number>>(`SELECT ${select.join(', ')}`, [
    platform,
    workspaceId,
  ]);
  const footprint: Footprint = {};
  for (const { kind } of KINDS) {
    const n = rows[0]?.[kind] ?? 0;
    if (n > 0) footprint[kind] = n;
  }
  return footprint;
}
