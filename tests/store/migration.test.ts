import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyData, SCHEMA_VERSION } from '../../src/store/data.ts';
import { StoreError } from '../../src/store/errors.ts';
import { MIGRATIONS, migrate } from '../../src/store/migrations.ts';
import { backupPathFor, openStore } from '../../src/store/open.ts';
import { validateData } from '../../src/store/schema.ts';
import { recordingLogger, tempDir } from './helpers.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

function setup() {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t;
}

const V1 = JSON.stringify({
  schemaVersion: 1,
  settings: { 'slack:T1': { hostUserIds: ['U1'], hostNames: { U1: 'Ana' }, timezone: 'Europe/Paris' } },
  claims: { 'slack:T1:job': { at: '2026-11-20T08:00:00.000Z', value: 'done' } },
});

describe('schema migrations', () => {
  it('has a step from every older version to the current one', () => {
    for (let v = 1; v < SCHEMA_VERSION; v++)
      expect(MIGRATIONS[v], `migration ${v} -> ${v + 1}`).toBeTypeOf('function');
    expect(() => migrate({ schemaVersion: 0 }, 0)).toThrow(/no migration from schema version 0/);
  });

  it('migrates a version 1 file on open, keeping its data and a copy of the original', async () => {
    const { dir, file } = setup();
    writeFileSync(file, V1);
    const log = recordingLogger();
    const store = await openStore({ file, log, now: () => new Date('2026-11-26T12:00:00Z') });
    cleanups.push(() => store.close());

    const data = store.read();
    expect(data.schemaVersion).toBe(SCHEMA_VERSION);
    expect(data.settings['slack:T1']?.hostNames).toEqual({ U1: 'Ana' });
    expect(data.claims['slack:T1:job']?.value).toBe('done');
    expect(data.subscriptions).toEqual({});
    expect(data.quizSessions).toEqual({});
    expect(JSON.parse(readFileSync(file, 'utf8')).schemaVersion).toBe(SCHEMA_VERSION);

    const copy = readdirSync(dir).find((f) => f.startsWith('thawbot.json.v1-'));
    expect(copy).toBe('thawbot.json.v1-2026-11-26T12-00-00.000Z');
    expect(readFileSync(`${dir}/${copy}`, 'utf8')).toBe(V1);
    const note = log.entries.find((e) => e.level === 'warn' && e.msg.startsWith('migrating'));
    expect(note?.fields).toMatchObject({ from: 1, to: SCHEMA_VERSION, original: `${dir}/${copy}` });
  });

  it('does not migrate or copy a file that is already current', async () => {
    const { dir, file } = setup();
    writeFileSync(file, JSON.stringify(emptyData()));
    const store = await openStore({ file, log: recordingLogger() });
    await store.close();
    expect(readdirSync(dir).sort()).toEqual(['thawbot.json', 'thawbot.json.bak']);
  });

  it('keeps fields it does not know through migration and validation', async () => {
    const { file } = setup();
    const v1 = JSON.parse(V1);
    v1.settings['slack:T1'].futureOption = true;
    v1.extraCollection = { a: 1 };
    writeFileSync(file, JSON.stringify(v1));
    const store = await openStore({ file, log: recordingLogger() });
    await store.close();
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    expect(saved.settings['slack:T1'].futureOption).toBe(true);
    expect(saved.extraCollection).toEqual({ a: 1 });
    expect(validateData(saved).ok).toBe(true);
  });

  it('refuses a file from a newer version with a clear message and touches nothing', async () => {
    const { dir, file } = setup();
    const newer = JSON.stringify({ ...emptyData(), schemaVersion: SCHEMA_VERSION + 7 });
    writeFileSync(file, newer);
    const error = (await openStore({ file, log: recordingLogger() }).catch((e: unknown) => e)) as StoreError;
    expect(error).toBeInstanceOf(StoreError);
    expect(error.code).toBe('newer-version');
    expect(error.message).toContain(
      `schema version ${SCHEMA_VERSION + 7}; this version knows up to ${SCHEMA_VERSION}`,
    );
    expect(error.message).toMatch(/Nothing was changed\. Upgrade thawbot/);
    expect(readFileSync(file, 'utf8')).toBe(newer);
    expect(readdirSync(dir)).toEqual(['thawbot.json']); // no backup written over, lock released
  });

  it('does not restore an older backup over a newer file', async () => {
    const { file } = setup();
    writeFileSync(backupPathFor(file), JSON.stringify(emptyData()));
    writeFileSync(file, JSON.stringify({ ...emptyData(), schemaVersion: SCHEMA_VERSION + 1 }));
    await expect(openStore({ file, log: recordingLogger() })).rejects.toMatchObject({
      code: 'newer-version',
    });
  });
});
