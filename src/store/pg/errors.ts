/**
 * The one fault the PostgreSQL engine adds to StoreError's: the server cannot be reached. It is
 * temporary (the pool reconnects on the next call), so callers say "try again" instead of exiting.
 */
export class StorageUnavailableError extends Error {
  readonly code = 'unavailable';

  constructor(message = 'storage is unavailable, try again in a minute', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageUnavailableError';
  }
}

/** Node socket errors that mean the server is not there (or went away). */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * Whether an error from `pg` means the connection failed, not the statement: socket errors,
 * SQLSTATE class 08 (connection exception), 57P01-57P03 (server shut down or starting), and pg's
 * own messages for a connection that closed or timed out.
 */
export function isConnectionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (SOCKET_CODES.has(code) || code.startsWith('08')) return true;
    if (code === '57P01' || code === '57P02' || code === '57P03') return true;
  }
  return /Connection terminated|timeout exceeded when trying to connect|timeout expired|connection error and is not queryable/i.test(
    err.message,
  );
}
