import { workspaceKey } from '../keys.ts';
import type { SettingsRepo, WorkspaceRef } from '../ports.ts';
import type { WorkspaceSettings } from '../schema.ts';
import type { Doc } from './doc.ts';
import type { FeatureDocs } from './shapes.ts';

export class DocSettings implements SettingsRepo {
  constructor(private readonly doc: Doc<FeatureDocs['settings']>) {}

  async get(ws: WorkspaceRef): Promise<WorkspaceSettings | undefined> {
    const found = this.doc.read().settings[workspaceKey(ws)];
    return found && structuredClone(found);
  }

  change<T>(ws: WorkspaceRef, fn: (settings: WorkspaceSettings) => T): Promise<T> {
    const key = workspaceKey(ws);
    return this.doc.update((data) => {
      // Changed on a copy, so a throwing `fn` leaves the stored settings as they were.
      const draft = structuredClone(data.settings[key] ?? { hostUserIds: [] });
      const result = fn(draft);
      data.settings[key] = draft;
      return result;
    });
  }
}
