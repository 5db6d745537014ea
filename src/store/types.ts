/**
 * The one persistence contract every stateful feature uses. No storage library types here:
 * lowdb lives behind `LowStore`, tests use `MemoryStore`.
 */

/** Per-workspace settings, keyed by `platform:workspaceId`. */
export interface WorkspaceSettings {
  /** Default IANA time zone for daily posts and dates. */
  timezone?: string;
  /** Discord: members with this role are hosts. */
  hostRoleId?: string;
  hostRoleName?: string;
  /** Hosts named one by one (user ids), on any platform. */
  hostUserIds: string[];
  /** Display names for the host list, by user id. */
  hostNames?: Record<string, string>;
}

/** The whole persisted state. Collections are plain records keyed by strings that include the platform and workspace. */
export interface Data {
  schemaVersion: number;
  settings: Record<string, WorkspaceSettings>;
  /** Exactly-once markers written by `claim`. */
  claims: Record<string, { at: string; value?: string }>;
}

export interface Store {
  /** The current in-memory state. Treat it as read-only; change it only through `update`. */
  read(): Readonly<Data>;
  /**
   * Applies `fn` to the state in memory at once and resolves when the change is durable on disk.
   * Updates arriving while a write is in flight are written together in the next write.
   */
  update<T>(fn: (data: Data) => T): Promise<T>;
  /** Atomic compare-and-set: true (after it is durable) if `key` was unclaimed and is now ours. */
  claim(key: string, value?: string): Promise<boolean>;
  /** Resolves when everything applied so far is on disk. */
  flush(): Promise<void>;
  /** Flushes and releases the data file. */
  close(): Promise<void>;
}
