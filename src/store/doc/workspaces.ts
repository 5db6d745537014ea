import type { Platform } from '../../core/platform.ts';
import { inWorkspace, workspaceKey } from '../keys.ts';
import type { Footprint, FootprintKind, WorkspaceRef, WorkspacesRepo } from '../ports.ts';
import type { Doc, KeyedDoc } from './doc.ts';
import { keysOf, withRecords } from './in-use.ts';
import { gameKeysOf, withGames } from './result-files.ts';
import type { FeatureDocs } from './shapes.ts';
import { learnerSummaries } from './study-files.ts';

/** Running games and study records are keyed documents: an answer is written with its own game or learner only. */
export type DocSet = { [F in Exclude<keyof FeatureDocs, 'games' | 'study'>]: Doc<FeatureDocs[F]> } & {
  games: KeyedDoc<FeatureDocs['games']>;
  study: KeyedDoc<FeatureDocs['study']>;
};

/** Every keyed collection of the feature documents, as footprint kinds. */
function collections(docs: DocSet, data: { [F in keyof FeatureDocs]: FeatureDocs[F] }) {
  return [
    ['settings', docs.settings, data.settings.settings],
    ['subscriptions', docs.daily, data.daily.subscriptions],
    ['deliveries', docs.daily, data.daily.deliveries],
    ['quizSessions', docs.games, data.games.sessions],
    ['quizResults', docs.results, data.results.results],
    ['scores', docs.results, data.results.scores],
    ['study', docs.results, data.results.study],
    ['quizNights', docs.nights, data.nights.nights],
    ['learners', docs.study, data.study.learners],
    ['disputes', docs.disputes, data.disputes.disputes],
    ['assignments', docs.assignments, data.assignments.assignments],
    ['assignmentProgress', docs.assignments, data.assignments.progress],
  ] as [FootprintKind, Doc<unknown>, Record<string, unknown>][];
}

export class DocWorkspaces implements WorkspacesRepo {
  constructor(private readonly docs: DocSet) {}

  markRemoved(ws: WorkspaceRef, at: Date): Promise<boolean> {
    const key = workspaceKey(ws);
    if (this.docs.workspaces.read().removed[key]) return Promise.resolve(false);
    return this.docs.workspaces.update((data) => {
      if (data.removed[key]) return false;
      data.removed[key] = at.toISOString();
      return true;
    });
  }

  markAdded(ws: WorkspaceRef): Promise<boolean> {
    const key = workspaceKey(ws);
    if (!this.docs.workspaces.read().removed[key]) return Promise.resolve(false);
    return this.docs.workspaces.update((data) => {
      if (!data.removed[key]) return false;
      delete data.removed[key];
      return true;
    });
  }

  async removed(): Promise<{ ws: WorkspaceRef; removedAt: string }[]> {
    return Object.entries(this.docs.workspaces.read().removed)
      .map(([key, removedAt]) => ({ ws: refOf(key), removedAt }))
      .filter((e): e is { ws: WorkspaceRef; removedAt: string } => e.ws !== undefined)
      .sort((a, b) => a.removedAt.localeCompare(b.removedAt));
  }

  async storedIds(platform: Platform): Promise<string[]> {
    const ids = new Set<string>();
    const prefix = `${platform}:`;
    for (const [kind, , collection] of collections(this.docs, this.snapshot())) {
      for (const key of this.keysOf(kind, collection)) {
        if (!key.startsWith(prefix)) continue;
        const id = key.slice(prefix.length).split(':')[0];
        if (id) ids.add(id);
      }
    }
    return [...ids];
  }

  async footprint(ws: WorkspaceRef): Promise<Footprint> {
    const counts: Footprint = {};
    for (const [kind, , collection] of collections(this.docs, this.snapshot())) {
      const n = this.keysOf(kind, collection).filter((key) => inWorkspace(key, ws)).length;
      if (n > 0) counts[kind] = n;
    }
    const cards = cardsIn(this.docs.study, ws);
    if (cards > 0) counts.studyCards = cards;
    return counts;
  }

  async people(ws: WorkspaceRef): Promise<{ userId: string; displayName?: string }[]> {
    const found = new Map<string, string | undefined>();
    for (const record of Object.values(this.docs.results.read().study))
      if (record.platform === ws.platform && record.workspaceId === ws.workspaceId)
        found.set(record.userId, record.displayName);
    const learners = learnerSummaries(this.docs.study).map(([, summary]) => summary);
    for (const learner of learners)
      if (
        learner.platform === ws.platform &&
        learner.workspaceId === ws.workspaceId &&
        !found.has(learner.userId)
      )
        found.set(learner.userId, undefined);
    return [...found]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([userId, displayName]) => (displayName === undefined ? { userId } : { userId, displayName }));
  }

  /** Each feature file is changed in one durable write; a crash between files is finished by the next call. */
  async forget(ws: WorkspaceRef): Promise<Footprint> {
    const report: Footprint = {};
    const byDoc = new Map<Doc<unknown>, FootprintKind[]>();
    for (const [kind, doc] of collections(this.docs, this.snapshot()))
      byDoc.set(doc, [...(byDoc.get(doc) ?? []), kind]);
    for (const [doc, kinds] of byDoc) {
      const change = () =>
        doc.update(() => {
          const live = collections(this.docs, this.snapshot()).filter(([k]) => kinds.includes(k));
          for (const [kind, , collection] of live) {
            if (kind === 'learners') {
              const cards = cardsIn(this.docs.study, ws);
              if (cards > 0) report.studyCards = cards;
            }
            for (const key of Object.keys(collection)) {
              if (!inWorkspace(key, ws)) continue;
              delete collection[key];
              report[kind] = (report[kind] ?? 0) + 1;
            }
          }
        });
      // On files, the workspace's finished games are read back from disk to be deleted.
      if (doc === this.docs.results)
        await withGames(this.docs.results, change, (key) => inWorkspace(key, ws));
      else if (doc === this.docs.study)
        await withRecords(this.docs.study, change, (key) => inWorkspace(key, ws));
      else await change();
    }
    const key = workspaceKey(ws);
    await this.docs.workspaces.update((data) => {
      delete data.removed[key];
    });
    return report;
  }

  /** The keys of a collection; finished games also those on disk only. */
  private keysOf(kind: FootprintKind, collection: Record<string, unknown>): string[] {
    if (kind === 'quizResults') return gameKeysOf(this.docs.results);
    if (kind === 'learners') return keysOf(this.docs.study, (data) => data.learners);
    return Object.keys(collection);
  }

  private snapshot() {
    return {
      settings: this.docs.settings.read(),
      daily: this.docs.daily.read(),
      games: this.docs.games.read(),
      results: this.docs.results.read(),
      nights: this.docs.nights.read(),
      workspaces: this.docs.workspaces.read(),
      study: this.docs.study.read(),
      disputes: this.docs.disputes.read(),
      assignments: this.docs.assignments.read(),
    };
  }
}

/** The cards in the review decks of a workspace's learners (in memory or on disk only). */
function cardsIn(doc: DocSet['study'], ws: WorkspaceRef): number {
  let n = 0;
  for (const [key, summary] of learnerSummaries(doc)) if (inWorkspace(key, ws)) n += summary.cards;
  return n;
}

export function refOf(key: string): WorkspaceRef | undefined {
  const colon = key.indexOf(':');
  if (colon <= 0) return undefined;
  const platform = key.slice(0, colon);
  if (platform !== 'discord' && platform !== 'slack' && platform !== 'console') return undefined;
  return { platform, workspaceId: key.slice(colon + 1) };
}
