/**
 * Opening the data file: take the lock, load and check the file, migrate an older schema (keeping
 * the original), recover a corrupt file from the backup, refuse what cannot be used safely.
 */
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../core/log.ts';
import { DurableJsonFile } from './adapter.ts';
import { emptyData, SCHEMA_VERSION } from './data.ts';
import { StoreError } from './errors.ts';
import {
  copyDurable,
  fileStamp,
  moveDurable,
  readTextIfExists,
  removeIfExists,
  tempPathFor,
} from './files.ts';
import { FileLock } from './lock.ts';
import { LowStore } from './low.ts';
import { migrate } from './migrations.ts';
import type { RetentionPolicy } from './retention.ts';
import { validateData } from './schema.ts';
import type { Data } from './types.ts';

export const DEFAULT_DATA_FILE = './data/thawbot.json';

export interface OpenStoreOptions {
  /** The data file (`DATA_FILE`); its directory is created on demand. */
  file: string;
  log: Logger;
  now?: () => Date;
  /** How often the backup rolls forward while running (default 10 minutes). */
  backupIntervalMs?: number;
  retention?: RetentionPolicy;
  /** Lock timing, for tests. */
  lock?: { heartbeatMs?: number; foreignStaleMs?: number };
}

export function backupPathFor(file: string): string {
  return `${file}.bak`;
}

/** Opens the data file for this process alone, or throws a StoreError that says what to do. */
export async function openStore(options: OpenStoreOptions): Promise<LowStore> {
  const file = path.resolve(options.file);
  const backupFile = backupPathFor(file);
  const now = options.now ?? (() => new Date());
  const log = options.log.child({ component: 'store' });
  await mkdir(path.dirname(file), { recursive: true });
  const lock = await FileLock.acquire(file, { log, ...options.lock });
  try {
    // Left by a write interrupted by a crash; the data file itself is whole.
    await removeIfExists(tempPathFor(file));
    await removeIfExists(tempPathFor(backupFile));
    const data = await loadWithRecovery(file, backupFile, log, now);
    const store = new LowStore({
      adapter: new DurableJsonFile(file),
      data,
      log,
      now,
      backupFile,
      lock,
      backupIntervalMs: options.backupIntervalMs ?? 600_000,
      retention: options.retention,
    });
    store.prune();
    // Writes migrations, recoveries and pruning at once and proves the file is writable.
    await store.update(() => undefined);
    await store.backup();
    log.info(
      {
        file,
        schemaVersion: SCHEMA_VERSION,
        subscriptions: Object.keys(data.subscriptions).length,
        runningGames: Object.keys(data.quizSessions).length,
      },
      'store opened',
    );
    return store;
  } catch (error) {
    await lock.release();
    throw error;
  }
}

type Candidate =
  | { kind: 'missing' }
  | { kind: 'bad'; reason: string }
  | { kind: 'newer'; version: number }
  | { kind: 'ok'; data: Data; fromVersion: number };

/** Reads, parses, migrates in memory and validates one file. Never changes it. */
export async function loadCandidate(file: string): Promise<Candidate> {
  let text: string | null;
  try {
    text = await readTextIfExists(file);
  } catch (error) {
    return { kind: 'bad', reason: `it cannot be read (${(error as Error).message})` };
  }
  if (text === null) return { kind: 'missing' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const empty = text.trim() === '' ? ' (the file is empty)' : '';
    return { kind: 'bad', reason: `it is not valid JSON${empty}: ${(error as Error).message}` };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return { kind: 'bad', reason: 'it does not hold a JSON object' };
  const version = (json as { schemaVersion?: unknown }).schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
    return { kind: 'bad', reason: 'it has no valid schemaVersion' };
  if (version > SCHEMA_VERSION) return { kind: 'newer', version };
  let migrated: unknown = json;
  if (version < SCHEMA_VERSION) {
    try {
      migrated = migrate(json as Record<string, unknown>, version);
    } catch (error) {
      return {
        kind: 'bad',
        reason: `migrating it from schema version ${version} failed: ${(error as Error).message}`,
      };
    }
  }
  const checked = validateData(migrated);
  if (!checked.ok) return { kind: 'bad', reason: `it does not match the schema: ${checked.error}` };
  return { kind: 'ok', data: checked.data, fromVersion: version };
}

async function loadWithRecovery(
  file: string,
  backupFile: string,
  log: Logger,
  now: () => Date,
): Promise<Data> {
  const main = await loadCandidate(file);
  if (main.kind === 'newer') {
    throw new StoreError(
      'newer-version',
      `The data file ${file} was written by a newer thawbot (schema version ${main.version}; this version ` +
        `knows up to ${SCHEMA_VERSION}). Nothing was changed. Upgrade thawbot, or point DATA_FILE at a file ` +
        'written by this version.',
    );
  }
  if (main.kind === 'ok') {
    if (main.fromVersion < SCHEMA_VERSION) await keepOriginal(file, main.fromVersion, log, now);
    return main.data;
  }

  const backup = await loadCandidate(backupFile);
  const backupProblem =
    backup.kind === 'missing'
      ? `there is no backup (${backupFile})`
      : backup.kind === 'bad'
        ? `the backup ${backupFile} cannot be used either: ${backup.reason}`
        : backup.kind === 'newer'
          ? `the backup ${backupFile} was written by a newer thawbot (schema version ${backup.version})`
          : '';

  if (main.kind === 'missing') {
    if (backup.kind === 'missing') {
      log.info({ file }, 'no data file yet: starting with empty data');
      return emptyData();
    }
    if (backup.kind !== 'ok') {
      throw new StoreError(
        'corrupt',
        `The data file ${file} is missing and ${backupProblem}. Refusing to start with empty data while a ` +
          `backup exists. To recover: repair or replace ${backupFile}, or move it away to start with empty data.`,
      );
    }
    if (backup.fromVersion < SCHEMA_VERSION) await keepOriginal(backupFile, backup.fromVersion, log, now);
    log.warn(
      { file, backup: backupFile, backupWrittenAt: await modifiedAt(backupFile) },
      `the data file ${file} is missing; restored it from the backup ${backupFile}. To start empty instead, stop the bot and delete both files.`,
    );
    return backup.data;
  }

  if (backup.kind !== 'ok') {
    throw new StoreError(
      'corrupt',
      `The data file ${file} cannot be used: ${main.reason}; and ${backupProblem}. Nothing was changed. To recover, ` +
        `either restore a copy of ${file} from your own backups, or repair it by hand (JSON as described in ` +
        `docs/storage.md), or move it away to start with empty data (settings, subscriptions and scores are then lost).`,
    );
  }
  const aside = `${file}.corrupt-${fileStamp(now())}`;
  await moveDurable(file, aside);
  if (backup.fromVersion < SCHEMA_VERSION) await keepOriginal(backupFile, backup.fromVersion, log, now);
  const backupWrittenAt = await modifiedAt(backupFile);
  log.error(
    { file, problem: main.reason, movedTo: aside, backup: backupFile, backupWrittenAt },
    `the data file ${file} was corrupt (${main.reason}). Moved it to ${aside} and restored the backup ` +
      `${backupFile} written at ${backupWrittenAt}; changes made after that time are lost.`,
  );
  return backup.data;
}

/** Keeps the file as it was before a migration: `NAME.v1-TIMESTAMP`. */
async function keepOriginal(file: string, version: number, log: Logger, now: () => Date): Promise<void> {
  const copy = `${file}.v${version}-${fileStamp(now())}`;
  await copyDurable(file, copy);
  log.warn(
    { file, from: version, to: SCHEMA_VERSION, original: copy },
    `migrating ${path.basename(file)} from schema version ${version} to ${SCHEMA_VERSION}; the original is kept as ${copy}`,
  );
}

async function modifiedAt(file: string): Promise<string> {
  try {
    return (await stat(file)).mtime.toISOString();
  } catch {
    return 'an unknown time';
  }
}
