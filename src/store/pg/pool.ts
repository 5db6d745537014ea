/**
 * The connection pool and the two ways repositories use it: one statement, or a transaction on one
 * checked-out connection. Connection failures become StorageUnavailableError; pg's Pool opens new
 * connections on later checkouts, so the engine recovers when the server returns without a restart.
 */
import type pg from 'pg';
import type { Logger } from '../../core/log.ts';
import { StoreError, writeFailed } from '../errors.ts';
import { WriteHealth } from '../health.ts';
import { isConnectionError, StorageUnavailableError } from './errors.ts';

/** Where the server is, for messages: never the password or the full URL. */
export interface Where {
  host: string;
  port: number;
  database: string;
}

/** Host, port and database of a connection URL (libpq defaults and PG* variables fill the gaps). */
export function whereOf(url: string): Where {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new StorageUnavailableError('the PostgreSQL connection URL is not a valid URL');
  }
  const host =
    decodeURIComponent(parsed.hostname) ||
    parsed.searchParams.get('host') ||
    process.env.PGHOST ||
    'localhost';
  const port = Number(parsed.port || parsed.searchParams.get('port') || process.env.PGPORT || 5432);
  const user = decodeURIComponent(parsed.username) || process.env.PGUSER || 'postgres';
  const database = decodeURIComponent(parsed.pathname.slice(1)) || process.env.PGDATABASE || user;
  return { host, port, database };
}

/** What repositories run statements on: the pool (one statement) or a transaction's client. */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    sql: string,
    params?: unknown[],
  ): Promise<pg.QueryResult<R>>;
}

export class Db implements Queryable {
  private closing: Promise<void> | undefined;

  /** Connection failures and the successes after them, for readiness. */
  readonly health = new WriteHealth();

  constructor(
    readonly pool: pg.Pool,
    private readonly log: Logger,
  ) {
    // An idle connection that dies (server restart, terminated backend) is reported here; without a
    // listener Node would crash the process. The pool has already dropped it.
    pool.on('error', (err) => {
      this.log.warn(
        { err: { message: err.message, code: (err as { code?: string }).code } },
        'a PostgreSQL connection was lost; the next call opens a new one',
      );
    });
  }

  async query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    sql: string,
    params: unknown[] = [],
  ): Promise<pg.QueryResult<R>> {
    this.checkOpen();
    try {
      const result = await this.pool.query<R>(sql, params);
      this.health.succeeded();
      return result;
    } catch (err) {
      throw this.noted(translate(err));
    }
  }

  /**
   * Runs `fn` in a transaction: committed if it returns, rolled back if it throws or calls
   * `rollback` (for "nothing changed" outcomes that still return a value).
   */
  async tx<T>(fn: (client: Queryable, rollback: () => void) => Promise<T>): Promise<T> {
    this.checkOpen();
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw this.noted(translate(err));
    }
    // A checked-out client has no error listener of the pool's; one is needed while we hold it.
    let broken: Error | undefined;
    const onError = (err: Error) => {
      broken = err;
    };
    client.on('error', onError);
    let rolledBack = false;
    try {
      await client.query('BEGIN');
      const result = await fn(client, () => {
        rolledBack = true;
      });
      await client.query(rolledBack ? 'ROLLBACK' : 'COMMIT');
      this.health.succeeded();
      return result;
    } catch (err) {
      if (!broken && !isConnectionError(err)) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackError) {
          broken = rollbackError as Error;
        }
      } else {
        broken ??= err as Error;
      }
      throw this.noted(translate(err));
    } finally {
      client.removeListener('error', onError);
      // A connection that failed is destroyed, not handed to the next caller.
      client.release(broken);
    }
  }

  /** An unavailable database or a refused write counts against readiness; a bad statement does not. */
  private noted(err: unknown): unknown {
    if (err instanceof StorageUnavailableError || (err instanceof StoreError && err.code === 'write-failed'))
      this.health.failed(err);
    return err;
  }

  async end(): Promise<void> {
    this.closing ??= this.pool.end();
    await this.closing;
  }

  private checkOpen(): void {
    if (this.closing) throw new StoreError('closed', 'storage is closed');
  }
}

/**
 * SQLSTATEs of a server that cannot take writes for now (the transaction is rolled back): disk
 * full, out of memory, an I/O error, a read-only server (a standby after a failover).
 */
const WRITE_REFUSED = new Set(['53100', '53200', '58030', '25006']);

/**
 * Connection failures become the one "try again" error, and a server that refuses writes the one
 * "could not save" error; everything else is a bug or bad data.
 */
export function translate(err: unknown): unknown {
  if (err instanceof StorageUnavailableError || err instanceof StoreError) return err;
  if (isConnectionError(err)) return new StorageUnavailableError(undefined, { cause: err });
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && WRITE_REFUSED.has(code)) return writeFailed('PostgreSQL', err);
  return err;
}
