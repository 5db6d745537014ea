/**
 * The teacher export: one CSV row per learner and topic over a period, from the review log (every
 * answer in games, "quiz me", reviews and assignments) and the review cards (mastery).
 */

import type { ContentIndex } from '../content/index.ts';
import { hiddenIds } from '../disputes/hidden.ts';
import type { Storage, TopicActivity, WorkspaceRef } from '../store/ports.ts';
import { type CsvCell, toCsv } from './csv.ts';
import type { ExportPeriod } from './period.ts';

/** A card counts as mastered once FSRS expects it to stay recallable this long (as in /progress). */
export const MASTERED_DAYS = 21;

/**
 * Assignments finished per learner and topic in a period. Optional: without one, the column is 0.
 * The assignments feature passes one in.
 */
export interface AssignmentsFinished {
  finished(
    ws: WorkspaceRef,
    period: ExportPeriod,
  ): Promise<readonly { userId: string; topic: string; finished: number }[]>;
}

export interface ProgressExportInput {
  storage: Pick<Storage, 'study' | 'results' | 'settings'>;
  content: ContentIndex;
  assignments?: AssignmentsFinished;
}

export interface ProgressExport {
  csv: Buffer;
  rows: number;
  learners: number;
}

export function exportHeader(zone: string): string[] {
  return [
    'learner',
    'user id',
    'topic',
    'questions answered',
    'right',
    'mastery (%)',
    'assignments finished',
    `last active (${zone})`,
  ];
}

/** Reads the period's activity and builds the CSV. */
export async function progressExport(
  input: ProgressExportInput,
  ws: WorkspaceRef,
  period: ExportPeriod,
): Promise<ProgressExport> {
  const hidden = hiddenIds(await input.storage.settings.get(ws));
  const topicsOf = new Map<string, readonly string[]>();
  const totals = new Map<string, number>();
  for (const q of input.content.questions()) {
    // Questions hidden in this server count nowhere: they can no longer be asked here.
    if (hidden.has(q.id)) continue;
    topicsOf.set(q.id, q.topics);
    for (const t of q.topics) totals.set(t, (totals.get(t) ?? 0) + 1);
  }
  const [activity, names, finished] = await Promise.all([
    input.storage.study.activity(ws, {
      from: period.from,
      to: period.to,
      topicsOf,
      masteredDays: MASTERED_DAYS,
    }),
    input.storage.results.playerNames(ws),
    input.assignments?.finished(ws, period) ?? Promise.resolve([]),
  ]);
  const rows = exportRows({
    activity,
    names: new Map(names.map((n) => [n.userId, n.displayName])),
    titles: new Map(input.content.topics.map((t) => [t.id, t.title])),
    totals,
    finished: new Map(finished.map((f) => [`${f.userId}\n${f.topic}`, f.finished])),
    zone: period.zone,
  });
  return {
    csv: toCsv(exportHeader(period.zone), rows),
    rows: rows.length,
    learners: new Set(activity.map((a) => a.userId)).size,
  };
}

export interface RowInput {
  activity: readonly TopicActivity[];
  names: ReadonlyMap<string, string>;
  titles: ReadonlyMap<string, string>;
  /** Questions per topic (not hidden here): mastery's denominator. */
  totals: ReadonlyMap<string, number>;
  /** Assignments finished by `${userId}\n${topic}`. */
  finished: ReadonlyMap<string, number>;
  zone: string;
}

/** The rows, by learner name (then user id) and topic title. Names go in as stored; toCsv neutralises formulas. */
export function exportRows(input: RowInput): CsvCell[][] {
  const when = localMinute(input.zone);
  const rows = input.activity.map((a) => {
    const total = input.totals.get(a.topic) ?? 0;
    return {
      name: input.names.get(a.userId) ?? a.userId,
      userId: a.userId,
      topic: input.titles.get(a.topic) ?? a.topic,
      cells: [
        a.answered,
        a.correct,
        total > 0 ? Math.round((Math.min(a.mastered, total) / total) * 100) : 0,
        input.finished.get(`${a.userId}\n${a.topic}`) ?? 0,
        when(a.lastAt),
      ],
    };
  });
  rows.sort(
    (a, b) =>
      a.name.localeCompare(b.name, 'en') ||
      byCode(a.userId, b.userId) ||
      a.topic.localeCompare(b.topic, 'en'),
  );
  return rows.map((r) => [r.name, r.userId, r.topic, ...r.cells]);
}

/**
 * "2026-02-20 10:00" in `zone`. A term has thousands of rows: the zone's offset is looked up once
 * per UTC hour (an hour whose two ends have the same offset has no change inside it), and a time
 * is shifted by it.
 */
function localMinute(zone: string): (iso: string) => string {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const exact = (ms: number) => {
    const p = Object.fromEntries(format.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
    return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
  };
  const offsetAt = (ms: number) => {
    const local = exact(ms);
    return Date.parse(`${local.replace(' ', 'T')}:00Z`) - Math.floor(ms / 60_000) * 60_000;
  };
  const offsets = new Map<number, number | undefined>();
  return (iso) => {
    const ms = Date.parse(iso);
    const hour = Math.floor(ms / HOUR) * HOUR;
    if (!offsets.has(hour)) {
      const start = offsetAt(hour);
      offsets.set(hour, start === offsetAt(hour + HOUR - 60_000) ? start : undefined);
    }
    const offset = offsets.get(hour);
    if (offset === undefined) return exact(ms);
    const shifted = new Date(ms + offset).toISOString();
    return `${shifted.slice(0, 10)} ${shifted.slice(11, 16)}`;
  };
}

const HOUR = 3_600_000;

function byCode(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
