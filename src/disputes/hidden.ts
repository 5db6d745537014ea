import type { SettingsRepo, WorkspaceRef, WorkspaceSettings } from '../store/ports.ts';

/** The ids of the questions hidden in a workspace (accepted disputes), from its settings. */
export function hiddenIds(settings: WorkspaceSettings | undefined): ReadonlySet<string> {
  return new Set(Object.keys(settings?.hiddenQuestions ?? {}));
}

/** Looks up the questions hidden in a workspace: what quizzes, reviews and assignments skip. */
export function hiddenIn(settings: SettingsRepo): (ws: WorkspaceRef) => Promise<ReadonlySet<string>> {
  return async (ws) => hiddenIds(await settings.get({ platform: ws.platform, workspaceId: ws.workspaceId }));
}
