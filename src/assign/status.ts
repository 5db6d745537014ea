/**
 * Where an assignment stands: who finished (with their score), who started, and who of the people
 * seen in the server has not started, as a card for hosts and as CSV rows for a spreadsheet.
 */
import type { Assignment, AssignmentProgress } from '../store/ports.ts';
import { plainName, tally } from './pick.ts';

/** Names shown per list in the card; the rest are counted. */
export const LIST_LIMIT = 20;

export interface LearnerRow {
  userId: string;
  name: string;
  started: boolean;
  finished: boolean;
  right: number;
  answered: number;
  total: number;
  lastActive?: string;
}

export interface Standing {
  finished: LearnerRow[];
  started: LearnerRow[];
  notStarted: LearnerRow[];
}

/**
 * Sorts learners into finished, started and not started. Not started are the people seen here
 * (`people`) with no progress, minus hosts: the server's host list, and whoever was seen hosting
 * this assignment. Nobody else is known: the bot does not read the member list.
 */
export function standing(
  assignment: Assignment,
  progress: readonly AssignmentProgress[],
  people: readonly { userId: string; displayName?: string }[],
  hostIds: ReadonlySet<string>,
  hidden: ReadonlySet<string> = new Set(),
): Standing {
  const rows = progress.map((p): LearnerRow => {
    const t = tally(p, hidden);
    return {
      userId: p.userId,
      name: p.displayName,
      started: true,
      finished: t.finished,
      right: t.right,
      answered: t.answered,
      total: t.total,
      lastActive: p.updatedAt,
    };
  });
  const byName = (a: LearnerRow, b: LearnerRow) =>
    a.name.localeCompare(b.name) || a.userId.localeCompare(b.userId);
  const startedIds = new Set(progress.map((p) => p.userId));
  const hosts = new Set([...hostIds, ...Object.keys(assignment.hosts), assignment.createdBy.id]);
  const notStarted = people
    .filter((p) => !startedIds.has(p.userId) && !hosts.has(p.userId))
    .map(
      (p): LearnerRow => ({
        userId: p.userId,
        name: p.displayName ?? `user ${p.userId}`,
        started: false,
        finished: false,
        right: 0,
        answered: 0,
        total: assignment.questionIds.length,
      }),
    );
  return {
    finished: rows.filter((r) => r.finished).sort((a, b) => b.right - a.right || byName(a, b)),
    started: rows.filter((r) => !r.finished).sort(byName),
    notStarted: notStarted.sort(byName),
  };
}

/** "- Ana: 8/10", at most LIST_LIMIT lines and "…and 12 more". */
export function listLines(rows: readonly LearnerRow[], line: (r: LearnerRow) => string): string[] {
  const shown = rows.slice(0, LIST_LIMIT).map((r) => `- ${line(r)}`);
  if (rows.length > LIST_LIMIT) shown.push(`- …and ${rows.length - LIST_LIMIT} more`);
  return shown;
}

export function standingText(s: Standing): string {
  const part = (title: string, rows: readonly LearnerRow[], line: (r: LearnerRow) => string, none: string) =>
    [`**${title} (${rows.length})**`, ...(rows.length ? listLines(rows, line) : [none])].join('\n');
  return [
    part('Finished', s.finished, (r) => `${plainName(r.name)}: ${r.right}/${r.total}`, 'Nobody yet.'),
    part(
      'Started, not finished',
      s.started,
      (r) => `${plainName(r.name)}: ${r.answered} of ${r.total} answered`,
      'Nobody.',
    ),
    part(
      'Not started',
      s.notStarted,
      (r) => plainName(r.name),
      'Nobody else seen here (only people who played or studied here are known).',
    ),
  ].join('\n\n');
}

export const CSV_HEADER = [
  'name',
  'user id',
  'started',
  'finished',
  'score',
  'right',
  'answered',
  'last active',
];

/** One row per learner (finished, started, then not started), for `toCsv`. */
export function csvRows(s: Standing): (string | number)[][] {
  return [...s.finished, ...s.started, ...s.notStarted].map((r) => [
    r.name,
    r.userId,
    r.started ? 'yes' : 'no',
    r.finished ? 'yes' : 'no',
    r.started ? `${r.right}/${r.total}` : '',
    r.right,
    r.answered,
    r.lastActive ?? '',
  ]);
}
