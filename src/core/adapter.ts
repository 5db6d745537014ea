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
  /**
   * Whether the adapter can take events and post right now (gateway or socket connected), for the
   * readiness check. An adapter without it counts as ready while it runs.
   */
  ready?(): boolean;
  /**
   * Every workspace the bot is in right now (Discord guild ids, the Slack team id), complete, once
   * started. Lets the composition root notice servers left or rejoined while the bot was offline.
   */
  workspaces?(): string[];
  stop(): Promise<void>;
}
