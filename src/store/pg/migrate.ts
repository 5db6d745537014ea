/**
 * Schema migrations: numbered plain SQL files in ./migrations, applied at start.
 *
 * Why not a migration tool: there is no extra CLI to install or remember to run; the migrations ship
 * with the code and run when it starts, under an advisory lock so processes starting together take
 * turns; and plain SQL is what a reviewer or an operator reads anyway.
 */
import { readdir, readFile } from 'node:fs/promises';
import type pg from 'pg';
import type { Logger } from '../../core/log.ts';
import { StoreError } from '../errors.ts';
import { isConnectionError } from './errors.ts';

const MIGRATIONS = new URL('./migrations/', import.meta.url);
const FILE = /^(\d+)_([\w-]+)\.sql$/;
/** First half of the advisory lock key ("thaw"); the second is the schema's hash. */
const LOCK_CLASS = 0x74686177;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export async function loadMigrations(dir: URL = MIGRATIONS): Promise<Migration[]> {
  const migrations: Migration[] = [];
  for (const file of await readdir(dir)) {
    const match = FILE.exec(file);
    if (!match) continue;
    migrations.push({
      version: Number(match[1]),
      name: match[2]!,
      sql: await readFile(new URL(file, dir), 'utf8'),
    });
  }
  return migrations.sort((a, b) => a.version - b.version);
}

/**
 * Creates the schema if missing and applies every migration not yet recorded, each in its own
 * transaction. Returns the versions applied by this call.
 */
export async function migrate(
  client: pg.ClientBase,
  schema: string,
  log: Logger,
  migrations?: Migration[],
): Promise<number[]> {
  const all = migrations ?? (await loadMigrations());
  // Most starts find nothing to do: say so without queueing behind the lock.
  if (await upToDate(client, all)) return [];
  await client.query('SELECT pg_advisory_lock($1, hashtext($2))', [LOCK_CLASS, schema]);
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS thawbot_migrations (
         version integer PRIMARY KEY,
         name text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const done = await client.query<{ version: number }>('SELECT version FROM thawbot_migrations');
    const applied = new Set(done.rows.map((r) => r.version));
    const known = Math.max(0, ...all.map((m) => m.version));
    const newest = Math.max(0, ...applied);
    if (newest > known)
      log.warn({ schema, database: newest, code: known }, 'the database was migrated by a newer version');
    const ran: number[] = [];
    for (const m of all) {
      if (applied.has(m.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO thawbot_migrations (version, name) VALUES ($1, $2)', [
          m.version,
          m.name,
        ]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        if (isConnectionError(err)) throw err;
        throw new StoreError(
          'migration-failed',
          `PostgreSQL migration ${m.version}_${m.name} failed (nothing of it was applied): ${(err as Error).message}`,
        );
      }
      ran.push(m.version);
      log.info({ schema, version: m.version, name: m.name }, 'applied a PostgreSQL migration');
    }
    return ran;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [LOCK_CLASS, schema]).catch(() => {});
  }
}

async function upToDate(client: pg.ClientBase, all: Migration[]): Promise<boolean> {
  try {
    const { rows } = await client.query<{ version: number }>('SELECT version FROM thawbot_migrations');
    const applied = new Set(rows.map((r) => r.version));
    return all.every((m) => applied.has(m.version));
  } catch (err) {
    // No migrations table yet (42P01), or no schema: the locked path creates them.
    if ((err as { code?: string }).code === '42P01' || (err as { code?: string }).code === '3F000')
      return false;
    throw err;
  }
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
