/**
 * Opening data files that are not damaged but unusual: a byte-order mark, a folder path that runs
 * through a file, a file this user may not read. None may pass for corruption and bring back an
 * older backup.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StoreError } from '../../src/store/errors.ts';
import { backupPathFor, featureFileFor, openFileStorage } from '../../src/store/open.ts';
import { channelOf, recordingLogger, subscriptionFor, tempDir } from './helpers.ts';

const denied = new Set<string>();
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...real,
    readFile: (async (path: unknown, ...rest: unknown[]) => {
      if (typeof path === 'string' && denied.has(path))
        throw Object.assign(new Error(`EACCES: permission denied, open '${path}'`), { code: 'EACCES' });
      return (real.readFile as (...a: unknown[]) => Promise<unknown>)(path, ...rest);
    }) as typeof real.readFile,
  };
});

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  denied.clear();
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

function setup() {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t;
}

describe('opening unusual data files', () => {
  it('reads a feature file that starts with a byte-order mark instead of restoring the backup', async () => {
    const { file } = setup();
    const first = await openFileStorage({ file, log: recordingLogger() });
    await first.daily.subscribe(subscriptionFor(channelOf('g1', 'now')));
    await first.close();
    const daily = featureFileFor(file, 'daily');
    // An older backup: restoring it would lose the subscription.
    writeFileSync(backupPathFor(daily), JSON.stringify({ version: 1, subscriptions: {}, deliveries: {} }));
    writeFileSync(daily, `\uFEFF${readFileSync(daily, 'utf8')}`);
    const log = recordingLogger();
    const again = await openFileStorage({ file, log });
    cleanups.push(() => again.close());
    expect(await again.daily.subscription(channelOf('g1', 'now'))).toBeDefined();
    expect(log.entries.filter((e) => e.level === 'warn' || e.level === 'error')).toEqual([]);
  });

  it('says so when a folder on the data path is a file', async () => {
    const { dir } = setup();
    writeFileSync(join(dir, 'data'), 'not a folder');
    const error = await openFileStorage({
      file: join(dir, 'data', 'thawbot.json'),
      log: recordingLogger(),
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('bad-path');
    expect((error as Error).message).toContain('part of that path is a file, not a folder');
  });

  it('stops with the file and the user named when a data file cannot be read, restoring nothing', async () => {
    const { dir, file } = setup();
    mkdirSync(dir, { recursive: true });
    const first = await openFileStorage({ file, log: recordingLogger() });
    await first.close();
    const settings = featureFileFor(file, 'settings');
    denied.add(settings);
    const before = readFileSync(backupPathFor(settings), 'utf8');
    const error = await openFileStorage({ file, log: recordingLogger() }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as StoreError).code).toBe('permission');
    expect((error as Error).message).toContain(settings);
    expect((error as Error).message).toMatch(/by user \S+ \(uid \d+\)/);
    expect(readFileSync(backupPathFor(settings), 'utf8')).toBe(before);
  });
});
