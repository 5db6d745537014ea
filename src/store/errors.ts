export type StoreErrorCode =
  | 'locked'
  | 'newer-version'
  | 'corrupt'
  | 'migration-failed'
  | 'closed'
  | 'permission'
  | 'bad-path'
  | 'not-empty';

/**
 * A reason the store cannot open or go on. The message says what happened, which files are
 * involved and what to do; main prints it and exits instead of starting on the wrong data.
 */
export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}
