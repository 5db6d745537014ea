import type { SettingsRepo, WorkspaceRef } from '../store/ports.ts';

/** The questions hidden in a workspace (accepted disputes), from its settings. */
export function hiddenIn(settings: SettingsRepo): (ws: WorkspaceRef) => Promise<ReadonlySet<string>> {
  return async (ws) =>
    new Set(
      Object.keys(
        (await settings.get({ platform: ws.platform, workspaceId: ws.workspaceId }))?.hiddenQuestions ?? {},
      ),
    );
}
