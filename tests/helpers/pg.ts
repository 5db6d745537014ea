/**
 * PostgreSQL for tests: the local server (TEST_DATABASE_URL, or postgres@127.0.0.1:5432/test), one
 * schema of its own per run, dropped afterwards. An unreachable server fails the tests: a storage
 * engine that is never exercised must not look green.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Logger } from '../../src/core/log.ts';
import { silentLogger } from '../../src/core/log.ts';
import { openPgStorage } from '../../src/store/pg/index.ts';
import type { Storage } from '../../src/store/ports.ts';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The application name the tests' pools use, so fault tests terminate only their own connections. */
export function testAppName(schema: string): string {
  return `thawbot_test_${schema.slice(-12)}`;
}

/** A schema name nobody else uses: `thawbot_test_<pid>_<random>`. */
export function testSchemaName(): string {
  return `thawbot_test_${process.pid}_${randomBytes(4).toString('hex')}`;
}

/** A plain client on the test database (for setup, inspection and terminating backends). */
export async function adminClient(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 5_000 });
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (err) {
    const where = new URL(TEST_DATABASE_URL);
    throw new Error(
      `PostgreSQL is not reachable at ${where.hostname}:${where.port || 5432}${where.pathname} ` +
        `(${(err as Error).message || (err as { code?: string }).code}). The PostgreSQL tests need a running ` +
        'server: start it, or set TEST_DATABASE_URL to one.',
      { cause: err },
    );
  }
  return client;
}

export interface TestSchema {
  schema: string;
  appName: string;
  /** Opens a storage engine on this schema (another pool each call, like another process). */
  open(options?: { log?: Logger; now?: () => Date; poolSize?: number }): Promise<Storage>;
  /**
   * Empties every table but the migrations' (a schema per test would cost its migration; DELETE is
   * faster than TRUNCATE on tables this small).
   */
  reset(): Promise<void>;
  /** Drops the schema and everything in it. */
  drop(): Promise<void>;
}

/** A fresh schema (created by the first `open`). */
export function testSchema(): TestSchema {
  const schema = testSchemaName();
  const appName = testAppName(schema);
  let checked = false;
  let admin: Promise<pg.Client> | undefined;
  let tables: string[] | undefined;
  return {
    schema,
    appName,
    open: async (options = {}) => {
      // A clear message when the server is down, before the engine's own.
      if (!checked) await adminClient().then((c) => c.end());
      checked = true;
      return openPgStorage({
        url: TEST_DATABASE_URL,
        schema,
        applicationName: appName,
        log: options.log ?? silentLogger,
        ...(options.now ? { now: options.now } : {}),
        // Small pools: the engine opens its whole pool at start, and tests keep several engines open.
        poolSize: options.poolSize ?? 3,
      });
    },
    reset: async () => {
      admin ??= adminClient();
      const client = await admin;
      // Listed once the tables exist (the first reset may come before the first open).
      if (!tables?.length)
        tables = (
          await client.query<{ name: string }>(
            `SELECT quote_ident(table_name) AS name FROM information_schema.tables
           WHERE table_schema = $1 AND table_type = 'BASE TABLE' AND table_name <> 'thawbot_migrations'`,
            [schema],
          )
        ).rows.map((r) => `DELETE FROM "${schema}".${r.name};`);
      if (tables.length > 0) await client.query(tables.join('\n'));
    },
    drop: async () => {
      const client = await (admin ?? adminClient());
      admin = undefined;
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Ends every server connection of an application name, as a server restart would; returns how many. */
export async function terminateBackends(admin: pg.Client, appName: string): Promise<number> {
  const { rows } = await admin.query<{ ok: boolean }>(
    `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
     WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name = $1`,
    [appName],
  );
  return rows.filter((r) => r.ok).length;
}
