/** Retention in SQL: each rule is one DELETE, all in one transaction, counted from what went. */
import type { PruneReport } from '../ports.ts';
import {
  daysBefore,
  dateBefore as localDateBefore,
  monthsBefore,
  type RetentionPolicy,
} from '../retention.ts';
import type { Db, Queryable } from './pool.ts';

export function pgPrune(db: Db, now: Date, policy: RetentionPolicy): Promise<PruneReport> {
  // The cutoffs of the document engine's retention, as values for SQL.
  const before = (days: number) => new Date(daysBefore(now, days));
  const dateBefore = (days: number) => localDateBefore(now, days);
  const oldestMonth = monthsBefore(now, policy.monthlyScoreMonths);

  return db.tx(async (client) => {
    const n = async (sql: string, params: unknown[]) => {
      const { rows } = await client.query<{ n: number }>(sql, params);
      return rows[0]?.n ?? 0;
    };
    const deleted = (table: string, where: string, params: unknown[]) =>
      n(
        `WITH gone AS (DELETE FROM ${table} WHERE ${where} RETURNING 1) SELECT count(*)::int AS n FROM gone`,
        params,
      );

    const report: PruneReport = {
      deliveries: await deleted('deliveries', 'local_date < $1', [dateBefore(policy.deliveryDays)]),
      // Rows with no readable time have a NULL time column and never match: nothing undatable goes.
      quizResults: await deleted('quiz_results', 'ended_at < $1', [before(policy.resultDays)]),
      studyEntries: await pruneStudy(client, before(policy.studyDays), policy.studyMaxEntries),
      scoreBoards: await n(
        `WITH gone AS (DELETE FROM scores WHERE period ~ '^\\d{4}-\\d{2}$' AND period < $1
                       RETURNING platform, workspace_id, period)
         SELECT count(DISTINCT (platform, workspace_id, period))::int AS n FROM gone`,
        [oldestMonth],
      ),
      quizSessions: await deleted('quiz_games', 'updated_at < $1', [before(policy.sessionIdleDays)]),
      nightRuns: await deleted('quiz_night_runs', 'local_date < $1', [dateBefore(policy.nightRunDays)]),
      reviewLogs: await deleted('study_log', 'at < $1', [before(policy.reviewLogDays)]),
      reminderClaims: await deleted('study_reminded', 'local_date < $1', [dateBefore(policy.deliveryDays)]),
      disputes: await deleted('disputes', "status <> 'open' AND closed_at < $1", [
        before(policy.disputeDays),
      ]),
      // Progress rows cascade with their assignment.
      assignments: await deleted('assignments', 'COALESCE(closed_at, due_at) < $1', [
        before(policy.assignmentDays),
      ]),
    };
    return report;
  });
}

/** Entries older than the cutoff, then all but each player's newest `max`. */
async function pruneStudy(client: Queryable, cutoff: Date, max: number): Promise<number> {
  const old = await client.query('DELETE FROM study_history WHERE at_time < $1', [cutoff]);
  const over = await client.query(
    `DELETE FROM study_history WHERE seq IN (
       SELECT seq FROM (
         SELECT seq, row_number() OVER (PARTITION BY platform, workspace_id, user_id ORDER BY seq DESC) AS rank
         FROM study_history) ranked
       WHERE rank > $1)`,
    [Math.max(0, Math.floor(max))],
  );
  return (old.rowCount ?? 0) + (over.rowCount ?? 0);
}
