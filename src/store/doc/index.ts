/** The document engine: the repositories over one document per feature, on lowdb files or in memory. */
import { WriteHealth } from '../health.ts';
import type { PruneReport, Storage, StorageTransfer } from '../ports.ts';
import type { RetentionPolicy } from '../retention.ts';
import { DocAssignments } from './assignments.ts';
import { DocDaily } from './daily.ts';
import { DocDisputes } from './disputes.ts';
import { DocGames } from './games.ts';
import { MemoryDoc, type WriteFaults } from './memory.ts';
import { DocNights } from './nights.ts';
import { pruneDocs } from './prune.ts';
import { DocResults } from './results.ts';
import { DocSettings } from './settings.ts';
import { emptyDocs, FEATURES, type FeatureDocs } from './shapes.ts';
import { DocStudy } from './study.ts';
import { dumpAll, loadDocs } from './transfer.ts';

export { WriteFaults } from './memory.ts';

import { type DocSet, DocWorkspaces } from './workspaces.ts';

export interface DocStorageOptions {
  describe: string;
  /** The feature files' write outcomes (memory documents never fail). */
  health?: WriteHealth;
  /** Runs after every document is closed (releases the lock). */
  onClose?: () => Promise<void>;
}

export class DocStorage implements Storage, StorageTransfer {
  readonly settings: DocSettings;
  readonly daily: DocDaily;
  readonly games: DocGames;
  readonly results: DocResults;
  readonly nights: DocNights;
  readonly workspaces: DocWorkspaces;
  readonly study: DocStudy;
  readonly disputes: DocDisputes;
  readonly assignments: DocAssignments;
  private closing: Promise<void> | undefined;

  constructor(
    readonly docs: DocSet,
    private readonly options: DocStorageOptions,
  ) {
    this.settings = new DocSettings(docs.settings);
    this.daily = new DocDaily(docs.daily);
    this.games = new DocGames(docs.games);
    this.results = new DocResults(docs.results);
    this.nights = new DocNights(docs.nights);
    this.workspaces = new DocWorkspaces(docs);
    this.study = new DocStudy(docs.study);
    this.disputes = new DocDisputes(docs.disputes);
    this.assignments = new DocAssignments(docs.assignments);
  }

  prune(now: Date, policy?: RetentionPolicy): Promise<PruneReport> {
    return pruneDocs(this.docs, now, policy);
  }

  /** An empty durable write of the smallest file proves the directory writable. */
  probe(): Promise<void> {
    return this.docs.workspaces.update(() => undefined);
  }

  health(): { ok: boolean; detail: string } {
    return this.options.health?.state() ?? { ok: true, detail: 'in memory' };
  }

  /** Resolves when every change so far is durable. */
  async flush(): Promise<void> {
    for (const feature of FEATURES) await this.docs[feature].flush();
  }

  /** Updates applied in memory documents so far: lets tests check that a command changed nothing. */
  get updates(): number {
    return FEATURES.reduce((n, f) => n + ((this.docs[f] as { updates?: number }).updates ?? 0), 0);
  }

  /** A copy of every feature document: lets tests compare whole states. */
  snapshot(): FeatureDocs {
    return structuredClone(
      Object.fromEntries(FEATURES.map((f) => [f, this.docs[f].read()])) as unknown as FeatureDocs,
    );
  }

  async dump(): Promise<FeatureDocs> {
    return dumpAll(this.docs);
  }

  load(docs: FeatureDocs, options: { replace?: boolean } = {}): Promise<void> {
    return loadDocs(this.docs, docs, { ...options, where: this.describe() });
  }

  describe(): string {
    return this.options.describe;
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      // Every document is flushed and backed up even if another fails; the first failure is reported.
      const results = await Promise.allSettled(FEATURES.map((f) => this.docs[f].close()));
      await this.options.onClose?.();
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    })();
    return this.closing;
  }
}

/**
 * Storage in memory, for tests and the playground's throwaway runs. With `faults`, tests make its
 * writes fail (and recover) as a full disk would, and `health()` reports it.
 */
export function memoryStorage(
  initial: Partial<FeatureDocs> = {},
  options: { faults?: WriteFaults; now?: () => Date } = {},
): DocStorage {
  const data = { ...emptyDocs(), ...structuredClone(initial) };
  const health = options.faults ? new WriteHealth(options.now) : undefined;
  const docs = Object.fromEntries(
    FEATURES.map((f) => [f, new MemoryDoc(data[f], { name: f, faults: options.faults, health })]),
  ) as unknown as DocSet;
  return new DocStorage(docs, { describe: 'memory (nothing is kept)', health });
}
