/**
 * The PostgreSQL engine: one pool shared by the repositories, migrations applied at start.
 * Several processes may open the same database and schema: exactly-once work is done by the
 * database (unique keys, conditional inserts, row locks), never by in-process state.
 */
import pg from 'pg';
import type { Logger } from '../../core/log.ts';
import type { Storage, StorageTransfer } from '../ports.ts';
import { DEFAULT_RETENTION } from '../retention.ts';
import { pgAssignments } from './assignments.ts';
import { pgDaily } from './daily.ts';
import { pgDisputes } from './disputes.ts';
import { isConnectionError, StorageUnavailableError } from './errors.ts';
import { pgFleet } from './fleet.ts';
import { pgGames } from './games.ts';
import { migrate } from './migrate.ts';
import { pgNights } from './nights.ts';
import { Db, whereOf } from './pool.ts';
import { pgPrune } from './prune.ts';
import { pgResults } from './results.ts';
import { pgSettings } from './settings.ts';
import { pgStudy } from './study.ts';
import { pgDump, pgLoad } from './transfer.ts';
import { pgWorkspaces } from './workspaces.ts';

export { StorageUnavailableError } from './errors.ts';

export interface PgStorageOptions {
  /** postgres://user:password@host:port/database */
  url: string;
  log: Logger;
  /** Where the tables live (default `public`); created if missing. */
  schema?: string;
  poolSize?: number;
  /** Shown in pg_stat_activity (default "thawbot"). */
  applicationName?: string;
  now?: () => Date;
}

/** The engine's repositories, and moving every record in or out (`npm run store:copy`). */
export interface PgStorage extends Storage, StorageTransfer {}

/** Schema names are put into a connection option, so only plain identifiers are accepted. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export async function openPgStorage(options: PgStorageOptions): Promise<PgStorage> {
  const schema = options.schema ?? 'public';
  if (!SCHEMA_NAME.test(schema))
    throw new Error(`PostgreSQL schema name "${schema}" must be lowercase letters, digits and _`);
  const where = whereOf(options.url);
  const place = `${where.host}:${where.port}/${where.database}`;
  const log = options.log.child({ storage: 'postgresql' });
  const now = options.now ?? (() => new Date());

  const poolSize = options.poolSize ?? 10;
  const pool = new pg.Pool({
    connectionString: options.url,
    max: poolSize,
    application_name: options.applicationName ?? 'thawbot',
    // Every pooled connection, including ones opened after an outage, resolves tables in the schema.
    options: `-c search_path=${schema}`,
    connectionTimeoutMillis: 5_000,
    // Connections stay open between quiz nights: a burst of answers never waits for new ones.
    idleTimeoutMillis: 0,
    keepAlive: true,
  });
  const db = new Db(pool, log);

  try {
    const client = await pool.connect();
    try {
      await migrate(client, schema, log);
    } finally {
      client.release();
    }
    // Open the whole pool now, so the first burst of clicks does not pay for connecting.
    await Promise.all(Array.from({ length: poolSize }, () => pool.query('SELECT 1')));
  } catch (err) {
    await db.end().catch(() => {});
    if (isConnectionError(err) || isStartupRefusal(err))
      throw new StorageUnavailableError(`cannot reach PostgreSQL at ${place}: ${reason(err, options.url)}`, {
        cause: err,
      });
    throw err;
  }

  const storage: PgStorage = {
    settings: pgSettings(db),
    daily: pgDaily(db),
    games: pgGames(db),
    results: pgResults(db),
    nights: pgNights(db),
    workspaces: pgWorkspaces(db),
    study: pgStudy(db),
    disputes: pgDisputes(db),
    assignments: pgAssignments(db),
    fleet: pgFleet(db),
    prune: (at, policy = DEFAULT_RETENTION) => pgPrune(db, at, policy),
    async probe() {
      await db.query(
        `INSERT INTO thawbot_probe (id, at) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET at = excluded.at`,
        [now()],
      );
    },
    health: () => db.health.state(),
    dump: () => pgDump(db),
    load: (docs, load = {}) => pgLoad(db, docs, { ...load, where: storage.describe() }),
    describe: () => `PostgreSQL at ${place} (schema ${schema})`,
    close: () => db.end(),
  };
  return storage;
}

/** Refusals at connection time: bad password, unknown database or role, too many connections. */
function isStartupRefusal(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /^(28|3D|53)/.test(code);
}

/** The error's one-line reason, with the password cut out should a message ever carry it. */
function reason(err: unknown, url: string): string {
  const e = err as { code?: string; message?: string; errors?: { code?: string }[] };
  // Node reports a refused "localhost" (IPv4 and IPv6) as an AggregateError with an empty message.
  const text = e.message || e.errors?.[0]?.code || e.code || 'unknown error';
  let password = '';
  try {
    password = decodeURIComponent(new URL(url).password);
  } catch {}
  const line = text.split('\n')[0]!;
  return password ? line.replaceAll(password, '***').replaceAll(url, '***') : line.replaceAll(url, '***');
}
