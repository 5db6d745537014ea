/** How long time-growing collections keep their entries. */
export interface RetentionPolicy {
  /** Deliveries by local date. */
  deliveryDays: number;
  /** Finished games with every answer (leaderboards and study records keep the totals). */
  resultDays: number;
  /** A user's answer history: entries older than this go, and at most `studyMaxEntries` stay. */
  studyDays: number;
  studyMaxEntries: number;
  /** Monthly leaderboards ("YYYY-MM"); the all-time board stays. */
  monthlyScoreMonths: number;
  /** A game not changed for this long was abandoned (no game lasts more than a few hours). */
  sessionIdleDays: number;
  /** A quiz night's record of past runs, by local date. */
  nightRunDays: number;
  /** A learner's review log (the 30-day line, the streak, FSRS history); reminder claims follow `deliveryDays`. */
  reviewLogDays: number;
  /** Closed dispute reports, from when they were closed (open ones stay until a host acts). */
  disputeDays: number;
  /** Assignments closed (or due) longer ago than this go, with every learner's progress in them. */
  assignmentDays: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = {
  deliveryDays: 60,
  resultDays: 180,
  studyDays: 365,
  studyMaxEntries: 500,
  monthlyScoreMonths: 24,
  sessionIdleDays: 2,
  nightRunDays: 60,
  reviewLogDays: 400,
  disputeDays: 365,
  assignmentDays: 365,
};

const DAY_MS = 86_400_000;

/** The instant `days` before `now`. */
export function daysBefore(now: Date, days: number): number {
  return now.getTime() - days * DAY_MS;
}

/** The local date ("YYYY-MM-DD") `days` before now; a day either way does not matter at these ages. */
export function dateBefore(now: Date, days: number): string {
  return new Date(daysBefore(now, days)).toISOString().slice(0, 10);
}

/** "YYYY-MM" of the month `months` before now's month (UTC). */
export function monthsBefore(now: Date, months: number): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months, 1));
  return d.toISOString().slice(0, 7);
}

/** An unparseable time is kept: retention never deletes what it cannot date. */
export function olderThan(iso: string, cutoff: number): boolean {
  const time = Date.parse(iso);
  return Number.isFinite(time) && time < cutoff;
}

export function prunedAnything(report: Record<string, number>): boolean {
  return Object.values(report).some((n) => n > 0);
}
