/**
 * A document: one feature's records as one JSON value, changed by synchronous functions. The
 * document engine's repositories are written against this, so they run the same on a durable
 * lowdb file (file.ts) and in memory (memory.ts).
 */
export interface Doc<T> {
  /** The current state. Treat it as read-only; change it only through `update`. */
  read(): T;
  /**
   * Applies `fn` at once and resolves when the change is durable. `fn` must be synchronous and
   * should check before it changes anything: a throw rejects the update, but changes made before
   * the throw stay. When the write fails, the change is undone in memory and the update rejects
   * with a StoreError 'write-failed'.
   */
  update<R>(fn: (data: T) => R): Promise<R>;
  /** Resolves when everything applied so far is durable. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A document of records by key (running games by channel) where a change can be scoped to one
 * record, so that a store keeping each record in its own file writes only that file.
 */
export interface KeyedDoc<T> extends Doc<T> {
  /** As `update`, for a function that changes at most the record under `key`. */
  updateKey<R>(key: string, fn: (data: T) => R): Promise<R>;
}

export function isThenable(value: unknown): boolean {
  return (
    typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'
  );
}

export function notSynchronous(): TypeError {
  return new TypeError('Doc.update: the function must be synchronous (it returned a promise)');
}
