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
  /**
   * The platform refused this process for good while it ran (a reset token: Discord's close code
   * 4004): retrying cannot help, so the composition root reports it and stops if nothing else works.
   */
  platformFailed?: (platform: Platform, reason: string) => void;
  /**
   * A request pace shared with the other processes of a fleet (on PostgreSQL), for a limit the
   * platform counts per bot rather than per process; absent when this process is the only one.
   */
  sharedPace?: (name: string, perSecond: number) => RestPace;
}

/** Waits for this request's turn under a shared pace; rejects if `signal` aborts first. */
export type RestPace = (signal?: AbortSignal) => Promise<void>;

/**
 * A platform refused the credentials (an invalid or revoked token): starting again cannot help until
 * the operator changes them, so the platform is not retried. `message` says what to do.
 */
export class PlatformRefusedError extends Error {
  constructor(
    readonly platform: Platform,
    message: string,
  ) {
    super(message);
    this.name = 'PlatformRefusedError';
  }
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
   * Connected, but the platform's API keeps failing (500s, 429s, timeouts): why, for readiness;
   * undefined while calls succeed.
   */
  trouble?(): string | undefined;
  /**
   * Every workspace the bot is in right now (Discord guild ids, the Slack team id), complete, once
   * started. Lets the composition root notice servers left or rejoined while the bot was offline.
   */
  workspaces?(): string[];
  /** Each gateway shard's state, for the health endpoint (Discord); a shard not ready fails readiness. */
  shards?(): Promise<ShardState[]>;
  stop(): Promise<void>;
}

/** One gateway shard as the health endpoint shows it. */
export interface ShardState {
  id: number;
  /** `ready` when it serves; else what it is doing (`connecting`, `resuming`, `respawning`, ...). */
  status: string;
  /** Heartbeat round trip in ms; undefined before the first. */
  ping?: number;
  guilds: number;
}
