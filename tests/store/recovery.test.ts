import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/store/errors.ts';
import { backupPathFor, openStore } from '../../src/store/open.ts';
import type { Data } from '../../src/store/types.ts';
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

async function open(
  file: string,
  log = recordingLogger(),
  extra: { now?: () => Date; backupIntervalMs?: number } = {},
) {
  const store = await openStore({ file, log, ...extra });
  cleanups.push(() => store.close());
  return store;
}

/** A data file with one setting, closed cleanly (which also rolls the backup). */
async function goodFileWithBackup(file: string): Promise<void> {
  const store = await openStore({ file, log: recordingLogger() });
  await store.update((d) => {
    d.settings['discord:g1'] = { hostUserIds: ['u1'], timezone: 'Europe/Berlin' };
  });
  await store.close();
}

function sideFiles(dir: string, part: string): string[] {
  return readdirSync(dir).filter((f) => f.includes(part));
}

describe('corrupt data file', () => {
  const cases: [string, string, RegExp][] = [
    ['not valid JSON', '{"schemaVersion": 2, "settings": {', /not valid JSON/],
    ['empty (truncated)', '', /the file is empty/],
    ['valid JSON of the wrong shape', JSON.stringify({ schemaVersion: 2, settings: 5 }), /schema: settings/],
    ['without a schema version', JSON.stringify({ settings: {} }), /no valid schemaVersion/],
  ];
  for (const [name, content, reason] of cases) {
    it(`is moved aside and restored from the backup when it is ${name}`, async () => {
      const { dir, file } = setup();
      await goodFileWithBackup(file);
      writeFileSync(file, content);
      const log = recordingLogger();
      const store = await open(file, log);

      expect(store.read().settings['discord:g1']?.timezone).toBe('Europe/Berlin');
      const [aside] = sideFiles(dir, '.corrupt-');
      expect(aside).toMatch(/^thawbot\.json\.corrupt-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{3}Z$/);
      expect(readFileSync(`${dir}/${aside}`, 'utf8')).toBe(content); // kept byte for byte
      const report = log.entries.find((e) => e.level === 'error');
      expect(report?.msg).toMatch(reason);
      expect(report?.fields).toMatchObject({ file, movedTo: `${dir}/${aside}`, backup: backupPathFor(file) });
      expect(report?.msg).toContain('changes made after that time are lost');
      // The restored state is written back as a valid file.
      expect((JSON.parse(readFileSync(file, 'utf8')) as Data).settings['discord:g1']?.hostUserIds).toEqual([
        'u1',
      ]);
    });
  }

  it('refuses to start without a usable backup, says how to recover, and changes nothing', async () => {
    const { dir, file } = setup();
    writeFileSync(file, '{ broken');
    const error = await openStore({ file, log: recordingLogger() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('corrupt');
    expect((error as StoreError).message).toMatch(
      /not valid JSON.*there is no backup.*restore a copy.*repair it by hand.*move it away/s,
    );
    expect(readFileSync(file, 'utf8')).toBe('{ broken');
    expect(readdirSync(dir).sort()).toEqual(['thawbot.json']); // no side files, lock released
  });

  it('refuses when the backup is corrupt too, naming both problems', async () => {
    const { file } = setup();
    await goodFileWithBackup(file);
    writeFileSync(file, '[]');
    writeFileSync(backupPathFor(file), 'garbage');
    const error = (await openStore({ file, log: recordingLogger() }).catch((e: unknown) => e)) as StoreError;
    expect(error.code).toBe('corrupt');
    expect(error.message).toContain('does not hold a JSON object');
    expect(error.message).toContain(
      `the backup ${backupPathFor(file)} cannot be used either: it is not valid JSON`,
    );
    expect(readFileSync(file, 'utf8')).toBe('[]');
    expect(readFileSync(backupPathFor(file), 'utf8')).toBe('garbage');
  });

  it('restores a missing data file from the backup and says so', async () => {
    const { file } = setup();
    await goodFileWithBackup(file);
    const { rmSync } = await import('node:fs');
    rmSync(file);
    const log = recordingLogger();
    const store = await open(file, log);
    expect(store.read().settings['discord:g1']?.timezone).toBe('Europe/Berlin');
    expect(
      log.entries.some((e) => e.level === 'warn' && /is missing; restored it from the backup/.test(e.msg)),
    ).toBe(true);
  });

  it('refuses to start empty when the data file is missing and the backup is unusable', async () => {
    const { file } = setup();
    writeFileSync(backupPathFor(file), '{');
    const error = (await openStore({ file, log: recordingLogger() }).catch((e: unknown) => e)) as StoreError;
    expect(error.code).toBe('corrupt');
    expect(error.message).toMatch(/missing and the backup .* cannot be used either/);
    expect(existsSync(file)).toBe(false);
  });

  it('starts empty on a first run, with no files at all', async () => {
    const { file } = setup();
    const log = recordingLogger();
    const store = await open(file, log);
    expect(store.read().subscriptions).toEqual({});
    expect(existsSync(file)).toBe(true);
    expect(existsSync(backupPathFor(file))).toBe(true);
    expect(log.entries.some((e) => e.msg === 'no data file yet: starting with empty data')).toBe(true);
  });

  it('removes a temp file left by a crash during a write', async () => {
    const { dir, file } = setup();
    await goodFileWithBackup(file);
    writeFileSync(`${dir}/.thawbot.json.tmp`, '{"half": ');
    const store = await open(file);
    expect(store.read().settings['discord:g1']).toBeDefined();
    expect(existsSync(`${dir}/.thawbot.json.tmp`)).toBe(false);
  });
});

describe('rolling backup', () => {
  it('rolls forward to the last written state once the interval has passed', async () => {
    const { file } = setup();
    let now = new Date('2026-11-26T10:00:00Z');
    const store = await open(file, recordingLogger(), { now: () => now, backupIntervalMs: 600_000 });
    const backup = () => JSON.parse(readFileSync(backupPathFor(file), 'utf8')) as Data;

    await store.update((d) => {
      d.claims.first = { at: now.toISOString() };
    });
    expect(backup().claims.first).toBeUndefined(); // within the interval: the backup is the state at open
    now = new Date('2026-11-26T10:10:00Z');
    await store.update((d) => {
      d.claims.second = { at: now.toISOString() };
    });
    await store.flush(); // the backup rolls right after the write that resolved the update
    expect(backup().claims.second).toBeDefined();
    expect(store.stats.backups).toBe(2);
  });

  it('never rolls the backup to a state that would not load, so a bad write is recovered from it', async () => {
    const { dir, file } = setup();
    await goodFileWithBackup(file);
    const log = recordingLogger();
    const store = await openStore({ file, log });
    await store.update((d) => {
      // A bug writing the wrong shape: the file is written (it is JSON), the backup must not follow.
      (d as unknown as { settings: unknown }).settings = 'oops';
    });
    await store.close();
    expect(log.entries.some((e) => e.level === 'error' && /not rolling the backup/.test(e.msg))).toBe(true);

    const reopened = await open(file);
    expect(reopened.read().settings['discord:g1']?.timezone).toBe('Europe/Berlin');
    expect(sideFiles(dir, '.corrupt-')).toHaveLength(1);
  });
});
