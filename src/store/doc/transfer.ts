/**
 * Moving a deployment (`StorageTransfer` in ports.ts) on the document engine: its feature documents
 * are the transfer format, so a dump is a copy of them and a load replaces them. Also what both
 * engines share about that format: checking it and counting its records by kind.
 */
import { StoreError } from '../errors.ts';
import { describeIssues } from '../schema.ts';
import type { Doc } from './doc.ts';
import { withRecords } from './in-use.ts';
import { listOf } from './lists.ts';
import { withGames } from './result-files.ts';
import { FEATURES, type Feature, type FeatureDocs, featureSchemas } from './shapes.ts';
import type { DocSet } from './workspaces.ts';

/** The kinds of record the transfer format holds, by feature, in the order they are reported. */
export const RECORD_KINDS = [
  { kind: 'settings', feature: 'settings', label: 'settings' },
  { kind: 'subscriptions', feature: 'daily', label: 'subscriptions' },
  { kind: 'deliveries', feature: 'daily', label: 'deliveries' },
  { kind: 'games', feature: 'games', label: 'running games' },
  { kind: 'answers', feature: 'games', label: 'answers' },
  { kind: 'results', feature: 'results', label: 'results' },
  { kind: 'scoreBoards', feature: 'results', label: 'score boards' },
  { kind: 'scoreEntries', feature: 'results', label: 'score board entries' },
  { kind: 'study', feature: 'results', label: 'study records' },
  { kind: 'studyHistory', feature: 'results', label: 'study history entries' },
  { kind: 'nights', feature: 'nights', label: 'quiz nights' },
  { kind: 'nightRuns', feature: 'nights', label: 'quiz night runs' },
  { kind: 'learners', feature: 'study', label: 'learners' },
  { kind: 'studyCards', feature: 'study', label: 'review cards' },
  { kind: 'reviewLogs', feature: 'study', label: 'review log entries' },
  { kind: 'reminderClaims', feature: 'study', label: 'reminder claims' },
  { kind: 'assignments', feature: 'assignments', label: 'assignments' },
  { kind: 'assignmentProgress', feature: 'assignments', label: 'assignment progress records' },
  { kind: 'removed', feature: 'workspaces', label: 'removed workspaces' },
  { kind: 'disputes', feature: 'disputes', label: 'dispute reports' },
] as const satisfies readonly { kind: string; feature: Feature; label: string }[];

export type RecordKind = (typeof RECORD_KINDS)[number]['kind'];
export type RecordCounts = Record<RecordKind, number>;

/** How many records of each kind the documents hold. */
export function countRecords(docs: FeatureDocs): RecordCounts {
  const sessions = Object.values(docs.games.sessions);
  const boards = Object.values(docs.results.scores);
  const study = Object.values(docs.results.study);
  const nights = Object.values(docs.nights.nights);
  const learners = Object.values(docs.study.learners);
  const sum = <T>(items: T[], n: (item: T) => number) => items.reduce((total, item) => total + n(item), 0);
  return {
    settings: Object.keys(docs.settings.settings).length,
    subscriptions: Object.keys(docs.daily.subscriptions).length,
    deliveries: sum(Object.values(docs.daily.deliveries), (byDate) => Object.keys(byDate).length),
    games: sessions.length,
    answers: sum(sessions, (s) => sum(s.rounds, (r) => Object.keys(r.answers).length)),
    results: Object.keys(docs.results.results).length,
    scoreBoards: boards.length,
    scoreEntries: sum(boards, (b) => Object.keys(b.users).length),
    study: study.length,
    studyHistory: sum(study, (r) => r.history.length),
    nights: nights.length,
    nightRuns: sum(nights, (n) => Object.keys(n.runs).length),
    learners: learners.length,
    studyCards: sum(learners, (l) => Object.keys(l.cards).length),
    reviewLogs: sum(learners, (l) => l.log.length),
    reminderClaims: sum(learners, (l) => Object.keys(l.reminded).length),
    assignments: Object.keys(docs.assignments.assignments).length,
    assignmentProgress: Object.keys(docs.assignments.progress).length,
    removed: Object.keys(docs.workspaces.removed).length,
    disputes: Object.keys(docs.disputes.disputes).length,
  };
}

/** "3 subscriptions, 120 deliveries": the kinds with records, for messages. */
export function describeCounts(counts: RecordCounts): string {
  return RECORD_KINDS.filter((k) => counts[k.kind] > 0)
    .map((k) => `${counts[k.kind]} ${k.label}`)
    .join(', ');
}

/** Documents to load, checked against the feature schemas: a StoreError names what is wrong. */
export function checkDocs(docs: FeatureDocs): FeatureDocs {
  const checked = {} as Record<Feature, unknown>;
  for (const feature of FEATURES) {
    const parsed = featureSchemas[feature].safeParse((docs as Partial<FeatureDocs>)[feature]);
    if (!parsed.success)
      throw new StoreError(
        'corrupt',
        `The ${feature} records to copy do not fit the schema: ${describeIssues(parsed.error)}`,
      );
    checked[feature] = parsed.data;
  }
  return checked as FeatureDocs;
}

/**
 * A copy of every document, finished games held on disk only read back for it: what `dumpDocs`
 * copies, which reads memory only.
 */
export function dumpAll(docs: DocSet): Promise<FeatureDocs> {
  return withGames(docs.results, () => withRecords(docs.study, () => dumpDocs(docs)));
}

/**
 * A copy of every document in memory (see `dumpAll`). Containers with nothing in them (a channel's deliveries with no date
 * left, a leaderboard with no player) are left out: they hold no record, and PostgreSQL has no row
 * for them, so a copy either way compares equal.
 */
export async function dumpDocs(docs: DocSet): Promise<FeatureDocs> {
  const dump = structuredClone(
    Object.fromEntries(FEATURES.map((f) => [f, docs[f].read()])) as unknown as FeatureDocs,
  );
  // The lists kept in journals on files, whole.
  for (const [key, record] of Object.entries(dump.results.study))
    record.history = await listOf(docs.results, key, record.history);
  for (const [key, learner] of Object.entries(dump.study.learners))
    learner.log = await listOf(docs.study, key, learner.log);
  for (const [key, byDate] of Object.entries(dump.daily.deliveries))
    if (Object.keys(byDate).length === 0) delete dump.daily.deliveries[key];
  for (const [key, board] of Object.entries(dump.results.scores))
    if (Object.keys(board.users).length === 0) delete dump.results.scores[key];
  return dump;
}

/**
 * Replaces every document with its part of `input`, each written durably. Refuses (changing
 * nothing) when any record is stored, unless `replace`. `where` names the storage in messages.
 */
export async function loadDocs(
  docs: DocSet,
  input: FeatureDocs,
  options: { replace?: boolean; where: string },
): Promise<void> {
  // Every finished game in memory while replacing, so that one held on disk only is deleted too.
  await withGames(docs.results, () => withRecords(docs.study, () => replaceDocs(docs, input, options)));
}

async function replaceDocs(
  docs: DocSet,
  input: FeatureDocs,
  options: { replace?: boolean; where: string },
): Promise<void> {
  const checked = checkDocs(input);
  if (!options.replace) {
    const held = describeCounts(countRecords(await dumpDocs(docs)));
    if (held) throw new StoreError('not-empty', `${options.where} already holds data (${held}).`);
  }
  for (const feature of FEATURES) {
    const next = checked[feature];
    const doc = docs[feature] as unknown as Doc<Record<string, unknown>>;
    await doc.update((data) => {
      for (const key of Object.keys(data)) delete data[key];
      Object.assign(data, structuredClone(next));
    });
  }
}
