/** One person's data in one server: gathered into one JSON file, or deleted everywhere it is kept. */
import type { WorkspaceRef } from '../store/ports.ts';
import type { PersonalDataSource } from './sources.ts';

export interface MyData {
  about: { platform: string; workspaceId: string; userId: string; exportedAt: string };
  /** Each source's part, by its name (sources holding nothing are left out). */
  data: Record<string, Record<string, unknown>>;
}

export interface Forgotten {
  /** Sources that deleted something. */
  deleted: string[];
  /** What forgetting keeps on purpose, in words. */
  kept: string[];
}

export class PrivacyService {
  constructor(private readonly sources: readonly PersonalDataSource[]) {}

  async myData(ws: WorkspaceRef, userId: string, now: Date): Promise<MyData> {
    const parts = await Promise.all(this.sources.map((s) => s.learnerData(ws, userId)));
    const data: MyData['data'] = {};
    this.sources.forEach((source, i) => {
      const part = parts[i];
      if (part && !isEmpty(part)) data[source.name] = part;
    });
    return {
      about: { platform: ws.platform, workspaceId: ws.workspaceId, userId, exportedAt: now.toISOString() },
      data,
    };
  }

  /**
   * Deletes through every source, one after the other; each source's deletion is atomic. Running
   * it again after a failure finishes the job (forgetting what is gone changes nothing).
   */
  async forget(ws: WorkspaceRef, userId: string): Promise<Forgotten> {
    const deleted: string[] = [];
    const kept: string[] = [];
    for (const source of this.sources) {
      if (await source.forgetLearner(ws, userId)) deleted.push(source.name);
      if (source.kept && !isEmpty(await source.learnerData(ws, userId))) kept.push(source.kept);
    }
    return { deleted, kept };
  }
}

/** A part that holds nothing: no keys, or only empty lists and nulls. */
function isEmpty(part: Record<string, unknown>): boolean {
  return Object.values(part).every(
    (v) => v === null || v === undefined || (Array.isArray(v) && v.length === 0),
  );
}
