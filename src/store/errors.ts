export type StoreErrorCode =
  | 'locked'
  | 'newer-version'
  | 'corrupt'
  | 'migration-failed'
  | 'closed'
  | 'permission'
  | 'bad-path'
  | 'not-empty'
  /** A change could not be made durable (a full disk, a failing database): nothing was changed. */
  | 'write-failed';

/**
 * A reason the store cannot open or go on. The message says what happened, which files are
 * involved and what to do; main prints it and exits instead of starting on the wrong data.
 */
export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreError';
  }
}

/** The one error for a change that could not be made durable and was undone: "try again". */
export function writeFailed(where: string, cause: unknown): StoreError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new StoreError('write-failed', `Could not save to ${where}, so the change was undone: ${reason}`, {
    cause,
  });
}

/**
 * Whether storage failed for now and changed nothing: a write that could not be saved, or a
 * database that cannot be reached. The same call may succeed later, so it is worth trying again.
 */
export function isTemporaryStoreFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'write-failed' || code === 'unavailable';
}
