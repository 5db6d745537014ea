/**
 * PostgreSQL faults: two engines on one schema (two processes), starting together, a server that is
 * not there, connections lost mid-run. Exactly-once and all-or-nothing must hold through all of it.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isConnectionError, StorageUnavailableError } from '../../src/store/pg/errors.ts';
import { openPgStorage } from '../../src/store/pg/index.ts';
import { loadMigrations, migrate } from '../../src/store/pg/migrate.ts';
import type { Storage } from '../../src/store/ports.ts';
import {
  adminClient,
  TEST_DATABASE_URL,
  type TestSchema,
  terminateBackends,
  testSchema,
} from '../helpers/pg.ts';
import { answer, channel, night, result, session, subscription as subscriptionOf } from './contract.ts';
import { recordingLogger } from './helpers.ts';

const WS = { platform: 'discord' as const, workspaceId: '1' };
const c1 = channel('c1');

let admin: pg.Client;
const schemas: TestSchema[] = [];
const opened: Storage[] = [];
/** The schema most tests share (each in channels of its own); start and fault tests make their own. */
let shared: TestSchema;

function schema(): TestSchema {
  const s = testSchema();
  schemas.push(s);
  return s;
}

async function open(db: TestSchema, log = recordingLogger()): Promise<Storage> {
  const storage = await db.open({ log });
  opened.push(storage);
  return storage;
}

/** Runs `n` calls, alternating between the engines. */
function race<T>(engines: Storage[], n: number, call: (s: Storage, i: number) => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => call(engines[i % engines.length]!, i)));
}

/** Waits until the server has no connection left of `appName` (terminations are asynchronous). */
async function gone(appName: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const { rows } = await admin.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1',
      [appName],
    );
    if (rows[0]?.n === 0) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`connections of ${appName} did not go away`);
}

/** A call's outcome: its value, or the error it rejected with. */
function settle<T>(p: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  return p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

function expectUnavailable(error: unknown): void {
  expect(error).toBeInstanceOf(StorageUnavailableError);
  expect(error).toMatchObject({
    code: 'unavailable',
    message: 'storage is unavailable, try again in a minute',
  });
}

beforeAll(async () => {
  admin = await adminClient();
  shared = schema();
});

afterAll(async () => {
  for (const s of opened) await s.close();
  for (const s of schemas) await s.drop();
  await admin?.end();
});

describe('PostgreSQL: two processes on one schema', () => {
  let a: Storage;
  let b: Storage;

  beforeAll(async () => {
    a = await open(shared);
    b = await open(shared);
  });

  it('claimDelivery has exactly one winner across both', async () => {
    const at = new Date('2026-03-01T06:00:00Z');
    const wins = await race([a, b], 20, (s) => s.daily.claimDelivery(c1, '2026-03-01', at));
    expect(wins.filter(Boolean)).toHaveLength(1);
  });

  it('recordAnswer by one user has exactly one winner across both', async () => {
    await a.games.create(session(c1, 'g1'));
    const wins = await race([a, b], 20, (s, i) => s.games.recordAnswer(c1, 'g1', 0, answer('u1', { ms: i })));
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect((await b.games.get(c1))?.rounds[0]?.answers.u1?.ms).toBe(wins.indexOf(true));
  });

  it('results.record counts a game once across both', async () => {
    const game = result(c1, 'r1', '2026-03-01T10:05:00.000Z', [
      { userId: 'u1', points: 30 },
      { userId: 'u2', points: 20 },
    ]);
    const wins = await race([a, b], 10, (s) => s.results.record(game, () => ['thaw']));
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect((await a.results.leaderboard(WS, 'all', 10)).map((r) => [r.userId, r.points, r.games])).toEqual([
      ['u1', 30, 1],
      ['u2', 20, 1],
    ]);
    expect((await b.results.player(WS, 'u1'))?.history).toHaveLength(2);
  });

  it('different games finishing together with the same players all count, without deadlock', async () => {
    const players = Array.from({ length: 30 }, (_, i) => ({ userId: `p${i}`, points: 1 }));
    const wins = await race([a, b], 10, (s, i) =>
      s.results.record(
        result(
          channel(`x${i}`),
          `game-${i}`,
          '2026-04-01T10:00:00.000Z',
          i % 2 ? players : [...players].reverse(),
        ),
        () => ['thaw'],
      ),
    );
    expect(wins.every(Boolean)).toBe(true);
    expect((await a.results.leaderboard(WS, '2026-04', 1))[0]).toMatchObject({ points: 10, games: 10 });
    expect((await b.results.player(WS, 'p7'))?.topics.thaw?.answered).toBe(20);
  });

  it('markRun records a step once across both', async () => {
    await a.nights.add(night(c1, 'n1'));
    const wins = await race([a, b], 20, (s, i) =>
      s.nights.markRun(c1, 'n1', '2026-03-06', 'reminded', `t${i}`),
    );
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect((await b.nights.inChannel(c1))[0]?.runs['2026-03-06']?.reminded).toBe(`t${wins.indexOf(true)}`);
  });
});

describe('PostgreSQL: bad rows', () => {
  it('a malformed row is an error naming its table and key, not wrong data', async () => {
    const db = shared;
    const s = await open(db);
    const bad = channel('bad');
    await s.daily.subscribe({
      channel: bad,
      time: '09:00',
      timezone: 'UTC',
      days: 'every',
      createdAt: '2026-01-01T00:00:00.000Z',
      createdBy: { id: 'u', displayName: 'U' },
    });
    await s.nights.add(night(bad, 'n1'));
    await admin.query(
      `UPDATE "${db.schema}".subscriptions SET data = data - 'time' WHERE channel_id = 'bad'`,
    );
    await admin.query(
      `UPDATE "${db.schema}".quiz_nights SET data = jsonb_set(data, '{weekday}', '9') WHERE channel_id = 'bad'`,
    );
    await expect(s.daily.subscription(bad)).rejects.toMatchObject({
      code: 'corrupt',
      message: expect.stringMatching(/subscriptions.*discord:1:bad.*time/),
    });
    await expect(s.daily.subscriptions('2026-01-01')).rejects.toMatchObject({ code: 'corrupt' });
    await expect(s.nights.all()).rejects.toMatchObject({
      code: 'corrupt',
      message: expect.stringMatching(/quiz_nights.*discord:1:bad\/n1.*weekday/),
    });
  });
});

describe('PostgreSQL: start', () => {
  it('migrations run once when two processes start together', async () => {
    const db = schema();
    const logs = [recordingLogger(), recordingLogger(), recordingLogger()];
    await Promise.all([open(db, logs[0]), open(db, logs[1]), open(db, logs[2])]);
    const known = await loadMigrations();
    const applied = logs.flatMap((l) => l.entries).filter((e) => e.msg === 'applied a PostgreSQL migration');
    expect(applied.map((e) => e.fields.version)).toEqual(known.map((m) => m.version));
    const { rows } = await admin.query(
      `SELECT version FROM "${db.schema}".thawbot_migrations ORDER BY version`,
    );
    expect(rows.map((r) => r.version)).toEqual(known.map((m) => m.version));
    // A later start finds nothing to do.
    const later = recordingLogger();
    await open(db, later);
    expect(later.entries.filter((e) => e.msg === 'applied a PostgreSQL migration')).toEqual([]);
  });

  it('an unreachable server is the unavailable error, naming host, port and database, not the password', async () => {
    const url = 'postgres://u:s3cret@127.0.0.1:1/x';
    const error = await openPgStorage({ url, log: recordingLogger() }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StorageUnavailableError);
    const message = (error as Error).message;
    expect((error as StorageUnavailableError).code).toBe('unavailable');
    expect(message).toContain('127.0.0.1:1/x');
    expect(message).not.toContain('s3cret');
    expect(message).not.toContain(url);
    expect(message).not.toContain('\n');
  });

  it('tells connection failures from statement errors', () => {
    const coded = (message: string, code: string) => Object.assign(new Error(message), { code });
    for (const err of [
      coded('connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED'),
      coded('terminating connection due to administrator command', '57P01'),
      coded('connection failure', '08006'),
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
    ])
      expect(isConnectionError(err), err.message).toBe(true);
    for (const err of [
      coded('duplicate key value violates unique constraint', '23505'),
      coded('relation "x" does not exist', '42P01'),
      new Error('fn failed'),
    ])
      expect(isConnectionError(err), err.message).toBe(false);
  });

  it('describe names where the data is, without the password', async () => {
    const db = shared;
    const s = await open(db);
    expect(s.describe()).toMatch(
      new RegExp(`^PostgreSQL at 127\\.0\\.0\\.1:5432/\\w+ \\(schema ${db.schema}\\)$`),
    );
    await s.probe();
  });
});

describe('PostgreSQL: connections lost mid-run', () => {
  let db: TestSchema;

  beforeAll(() => {
    db = schema();
  });

  it('the next call reconnects or says unavailable, never crashes, and later calls work', async () => {
    const log = recordingLogger();
    const s = await open(db, log);
    // Several idle connections in the pool.
    await Promise.all(
      Array.from({ length: 5 }, (_, i) => s.daily.claimDelivery(c1, `2026-01-0${i + 1}`, new Date())),
    );
    expect(await terminateBackends(admin, db.appName)).toBeGreaterThan(0);
    await gone(db.appName);

    const next = await settle(s.daily.claimDelivery(c1, '2026-02-01', new Date()));
    if (!next.ok) expectUnavailable(next.error);
    expect(await s.daily.claimDelivery(c1, '2026-02-02', new Date())).toBe(true);
    expect(await s.daily.delivery(c1, '2026-01-01')).toMatchObject({ status: 'pending' });
    await s.probe();
    // The pool's error event was handled (logged), not left to crash the process.
    expect(log.entries.some((e) => e.level === 'warn' && /connection was lost/.test(e.msg))).toBe(true);
  });

  it('calls in flight when connections drop either land or say unavailable', async () => {
    const s = await open(db);
    const ch = channel('inflight');
    await s.games.create(session(ch, 'g1'));
    const calls = Array.from({ length: 200 }, (_, i) =>
      settle(s.games.recordAnswer(ch, 'g1', 0, answer(`u${i}`))),
    );
    await terminateBackends(admin, db.appName);
    const outcomes = await Promise.all(calls);
    for (const o of outcomes) if (!o.ok) expectUnavailable(o.error);
    // Every answer reported as recorded is there (one rejected may have landed before the drop).
    // Calls queued behind the drop opened new connections; one that died idle may still be handed
    // out once, so the next call may say unavailable.
    await settle(s.probe());
    const stored = await s.games.get(ch);
    const answers = stored?.rounds[0]?.answers ?? {};
    outcomes.forEach((o, i) => {
      if (o.ok && o.value) expect(answers[`u${i}`]).toBeDefined();
    });
    expect(await s.games.recordAnswer(ch, 'g1', 0, answer('late'))).toBe(true);
  });

  it('a server that refuses writes (disk full) is the write-failed error, and readiness shows it', async () => {
    const s = await open(db);
    const ch = channel('full');
    const table = `${db.schema}.subscriptions`;
    // The server itself raises disk_full (53100) on every new subscription, as a full disk would.
    await admin.query(
      `CREATE FUNCTION ${db.schema}.disk_full() RETURNS trigger LANGUAGE plpgsql AS
       $$ BEGIN RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = 'disk_full'; END $$`,
    );
    await admin.query(
      `CREATE TRIGGER disk_full BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION ${db.schema}.disk_full()`,
    );
    try {
      await expect(s.daily.subscribe(subscriptionOf(ch))).rejects.toMatchObject({
        code: 'write-failed',
        message: expect.stringMatching(/No space left on device/),
      });
      expect(s.health().ok).toBe(false);
      expect(await s.daily.subscription(ch)).toBeUndefined();
    } finally {
      await admin.query(`DROP TRIGGER disk_full ON ${table}`);
    }
    await s.daily.subscribe(subscriptionOf(ch));
    expect(s.health().ok).toBe(true);
    expect(await s.daily.subscription(ch)).toBeDefined();
  });

  it('a forget cut off halfway deletes nothing', async () => {
    const s = await open(db);
    const ws = { platform: 'slack' as const, workspaceId: 'T9' };
    const c = channel('c', ws);
    await s.settings.change(ws, (x) => {
      x.timezone = 'UTC';
    });
    await s.daily.subscribe({
      channel: c,
      time: '09:00',
      timezone: 'UTC',
      days: 'every',
      createdAt: '2026-01-01T00:00:00.000Z',
      createdBy: { id: 'u', displayName: 'U' },
    });
    await s.games.create(session(c, 'g1'));
    await s.results.record(
      result(c, 'r1', '2026-03-01T10:05:00.000Z', [
        { userId: 'u1', points: 3 },
        { userId: 'u2', points: 2 },
      ]),
      () => ['thaw'],
    );
    await s.nights.add(night(c, 'n1'));
    const before = await s.workspaces.footprint(ws);

    // Hold the night's row, so forget deletes everything before it and then waits: cut it off there.
    const holder = await adminClient();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT 1 FROM "${db.schema}".quiz_nights WHERE platform = 'slack' FOR UPDATE`);
      const forgetting = settle(s.workspaces.forget(ws));
      for (let i = 0; ; i++) {
        const { rows } = await admin.query(
          `SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'`,
          [db.appName],
        );
        if (rows.length > 0) break;
        if (i > 200) throw new Error('forget never reached the held row');
        await new Promise((r) => setTimeout(r, 10));
      }
      await terminateBackends(admin, db.appName);
      const outcome = await forgetting;
      expect(outcome.ok).toBe(false);
      if (!outcome.ok) expectUnavailable(outcome.error);
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    await gone(db.appName);
    await settle(s.probe());
    expect(await s.workspaces.footprint(ws)).toEqual(before);
    expect(await s.settings.get(ws)).toEqual({ timezone: 'UTC', hostUserIds: [] });
    // Run again to the end, it deletes everything.
    expect(await s.workspaces.forget(ws)).toEqual(before);
    expect(await s.workspaces.footprint(ws)).toEqual({});
  });

  it('a failing migration applies nothing of itself and names itself', async () => {
    const name = `${db.schema}_m`;
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL, options: `-c search_path=${name}` });
    await client.connect();
    try {
      const migrations = [
        { version: 1, name: 'first', sql: 'CREATE TABLE one (x int);' },
        { version: 2, name: 'broken', sql: 'CREATE TABLE two (x int); SELECT no_such_function();' },
      ];
      await expect(migrate(client, name, recordingLogger(), migrations)).rejects.toMatchObject({
        code: 'migration-failed',
        message: expect.stringContaining('2_broken'),
      });
      const { rows } = await client.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`,
        [name],
      );
      expect(rows.map((r) => r.table_name)).toEqual(['one', 'thawbot_migrations']);
      const versions = await client.query('SELECT version FROM thawbot_migrations');
      expect(versions.rows).toEqual([{ version: 1 }]);
    } finally {
      await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
      await client.end();
    }
  });

  it('calls after close are refused with the closed error, not a pool crash', async () => {
    const s = await openPgStorage({ url: TEST_DATABASE_URL, schema: db.schema, log: recordingLogger() });
    await s.close();
    await expect(s.daily.subscription(c1)).rejects.toMatchObject({ code: 'closed' });
  });
});
