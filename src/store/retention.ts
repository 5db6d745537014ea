import type { Data } from './types.ts';

/** How long time-growing collections keep their entries. */
export interface RetentionPolicy {
  /** Deliveries by local date. */
  deliveryDays: number;
  /** Exactly-once markers: work older than this is never retried, so the marker can go. */
  claimDays: number;
  /** Finished games with every answer (leaderboards and study records keep the totals). */
  resultDays: number;
  /** A user's answer history: entries older than this go, and at most `studyMaxEntries` stay. */
  studyDays: number;
  studyMaxEntries: number;
  /** Monthly leaderboards ("YYYY-MM"); the all-time board stays. */
  monthlyScoreMonths: number;
  /** A game not changed for this long was abandoned (no game lasts more than a few hours). */
  sessionIdleDays: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = {
  deliveryDays: 60,
  claimDays: 60,
  resultDays: 180,
  studyDays: 365,
  studyMaxEntries: 500,
  monthlyScoreMonths: 24,
  sessionIdleDays: 2,
};

export interface PruneReport {
  deliveries: number;
  claims: number;
  quizResults: number;
  studyEntries: number;
  scoreBoards: number;
  quizSessions: number;
}

const DAY_MS = 86_400_000;

/** Removes entries past their retention, in place. Returns how many of each went. */
export function prune(data: Data, now: Date, policy: RetentionPolicy = DEFAULT_RETENTION): PruneReport {
  const report: PruneReport = {
    deliveries: 0,
    claims: 0,
    quizResults: 0,
    studyEntries: 0,
    scoreBoards: 0,
    quizSessions: 0,
  };
  const t = now.getTime();
  const before = (days: number) => t - days * DAY_MS;

  // Local dates are compared as text with the UTC date; a day either way does not matter at 60 days.
  const oldestDate = new Date(before(policy.deliveryDays)).toISOString().slice(0, 10);
  for (const [channel, byDate] of Object.entries(data.deliveries)) {
    for (const date of Object.keys(byDate)) {
      if (date < oldestDate) {
        delete byDate[date];
        report.deliveries++;
      }
    }
    if (Object.keys(byDate).length === 0) delete data.deliveries[channel];
  }

  const claimCutoff = before(policy.claimDays);
  for (const [key, claim] of Object.entries(data.claims)) {
    if (olderThan(claim.at, claimCutoff)) {
      delete data.claims[key];
      report.claims++;
    }
  }

  const resultCutoff = before(policy.resultDays);
  for (const [key, result] of Object.entries(data.quizResults)) {
    if (olderThan(result.endedAt, resultCutoff)) {
      delete data.quizResults[key];
      report.quizResults++;
    }
  }

  const studyCutoff = before(policy.studyDays);
  for (const record of Object.values(data.study)) {
    const kept = record.history
      .filter((entry) => !olderThan(entry.at, studyCutoff))
      .slice(-policy.studyMaxEntries);
    if (kept.length !== record.history.length) {
      report.studyEntries += record.history.length - kept.length;
      record.history = kept;
    }
  }

  const oldestMonth = monthsBefore(now, policy.monthlyScoreMonths);
  for (const [key, board] of Object.entries(data.scores)) {
    if (/^\d{4}-\d{2}$/.test(board.period) && board.period < oldestMonth) {
      delete data.scores[key];
      report.scoreBoards++;
    }
  }

  const sessionCutoff = before(policy.sessionIdleDays);
  for (const [key, session] of Object.entries(data.quizSessions)) {
    if (olderThan(session.updatedAt, sessionCutoff)) {
      delete data.quizSessions[key];
      report.quizSessions++;
    }
  }
  return report;
}

export function prunedAnything(report: PruneReport): boolean {
  return Object.values(report).some((n) => n > 0);
}

/** An unparseable time is kept: retention never deletes what it cannot date. */
function olderThan(iso: string, cutoff: number): boolean {
  const time = Date.parse(iso);
  return Number.isFinite(time) && time < cutoff;
}

/** "YYYY-MM" of the month `months` before now's month (UTC). */
function monthsBefore(now: Date, months: number): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months, 1));
  return d.toISOString().slice(0, 7);
}
