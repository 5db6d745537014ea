import type { Deps } from './command.ts';
import type { Logger } from './log.ts';
import type { Platform, Poster } from './platform.ts';
import type { Router } from './router.ts';

/** What every adapter receives from the composition root. */
export interface AdapterContext {
  router: Router;
  deps: Deps;
  log: Logger;
  /** The bot was removed from a Discord server or uninstalled from a Slack workspace. */
  workspaceRemoved?: (ref: { platform: Platform; workspaceId: string }) => void;
  /** The bot was added (back) to a server or workspace. */
  workspaceAdded?: (ref: { platform: Platform; workspaceId: string }) => void;
}

/** A started adapter: its Poster for scheduled posts and quiz rounds, and a clean stop. */
export interface RunningAdapter {
  platform: Platform;
  poster: Poster;
  /** Human-readable mode for the startup summary, e.g. "gateway" or "socket mode". */
  mode: string;
  stop(): Promise<void>;
}
