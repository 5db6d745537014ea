/**
 * Opening the lowdb files: take the lock, split a single data file of schema 1-4 into feature files
 * (keeping the original), load and check each feature file, recover a corrupt one from its backup,
 * refuse what cannot be used safely.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Logger } from '../core/log.ts';
import { DurableJsonFile } from './doc/adapter.ts';
import { DocFile } from './doc/file.ts';
import { GameFiles, gameFilesSpec } from './doc/game-files.ts';
import { keysOf } from './doc/in-use.ts';
import { DocStorage } from './doc/index.ts';
import {
  type KeyedFiles,
  type KeyedFilesOptions,
  type KeyedFilesSpec,
  keyedBackupPath,
  keyedFileName,
  keyOfFile,
  storedRecord,
} from './doc/keyed-files.ts';
import { emptyDocs, FEATURES, type Feature, type FeatureDocs, featureSchemas } from './doc/shapes.ts';
import { HOT_LEARNERS, learnerSummary, StudyFiles, studyFilesSpec } from './doc/study-files.ts';
import type { DocSet } from './doc/workspaces.ts';
import { StoreError } from './errors.ts';
import {
  copyDurable,
  fileStamp,
  isCode,
  moveDurable,
  readTextIfExists,
  removeIfExists,
  tempPathFor,
} from './files.ts';
import { WriteHealth } from './health.ts';
import { LEGACY_VERSION, migrateLegacy, parseLegacy, splitLegacy } from './legacy.ts';
import { FileLock } from './lock.ts';
import { openResults, resultsDirFor, resultsFolderHolds, splitResultsMatch } from './open-results.ts';
import { describeIssues, type Learner } from './schema.ts';

export const DEFAULT_DATA_FILE = './data/thawbot.json';

export interface OpenStoreOptions {
  /** The data file (`DATA_FILE`): feature files are named after it; its directory is created on demand. */
  file: string;
  log: Logger;
  now?: () => Date;
  /** How often each backup rolls forward while running (default 10 minutes). */
  backupIntervalMs?: number;
  /** Lock timing, for tests. */
  lock?: { heartbeatMs?: number; foreignStaleMs?: number };
  /** Learners held in memory at most, the others on disk only until used (default `HOT_LEARNERS`). */
  hotLearners?: number;
}

export function backupPathFor(file: string): string {
  return `${file}.bak`;
}

/** `data/thawbot.json` -> `data/thawbot.daily.json`. */
export function featureFileFor(file: string, feature: Feature): string {
  const base = file.endsWith('.json') ? file.slice(0, -'.json'.length) : file;
  return `${base}.${feature}.json`;
}

/**
 * `data/thawbot.json` -> `data/thawbot.games/`: running games, one file per game, so that an answer
 * rewrites its own game only. (`featureFileFor(file, 'games')` names the single file of running
 * games that thawbot wrote before; it is read once and retired.)
 */
export function gamesDirFor(file: string): string {
  return keyedDirFor(file, 'games');
}

/**
 * `data/thawbot.json` -> `data/thawbot.study/`: study records, one file per learner, so that an
 * answer rewrites its own learner's cards and log only.
 */
export function studyDirFor(file: string): string {
  return keyedDirFor(file, 'study');
}

/** The features kept as a folder with a file per record, and how each record file is laid out. */
const KEYED = {
  games: {
    label: 'running games',
    spec: gameFilesSpec,
    make: (o: KeyedFilesOptions, records: Record<string, unknown>) =>
      new GameFiles(o, records as FeatureDocs['games']['sessions']),
    /** Running games are few and all in use: all in memory. */
    summarize: undefined,
  },
  study: {
    label: 'study records (a file per learner)',
    spec: studyFilesSpec,
    make: (o: KeyedFilesOptions, records: Record<string, unknown>) =>
      new StudyFiles(o, records as FeatureDocs['study']['learners']),
    /** Learners are held on disk only from the start (see openKeyed). */
    summarize: (record: unknown) => learnerSummary(record as Learner),
  },
} as const;
type KeyedFeature = keyof typeof KEYED;

function isKeyed(feature: Feature): feature is KeyedFeature {
  return feature in KEYED;
}

function keyedDirFor(file: string, feature: KeyedFeature): string {
  const base = file.endsWith('.json') ? file.slice(0, -'.json'.length) : file;
  return `${base}.${feature}`;
}

/** Opens the feature files for this process alone, or throws a StoreError that says what to do. */
export async function openFileStorage(options: OpenStoreOptions): Promise<DocStorage> {
  const file = path.resolve(options.file);
  const now = options.now ?? (() => new Date());
  const log = options.log.child({ component: 'store' });
  await makeFolder(path.dirname(file));
  const lock = await FileLock.acquire(file, { log, ...options.lock });
  try {
    const legacy = await splitLegacyFile(file, log, now);
    const health = new WriteHealth(now);
    const docs = {} as Record<Feature, unknown>;
    const backupIntervalMs = options.backupIntervalMs ?? 600_000;
    for (const feature of FEATURES) {
      if (feature === 'results') {
        docs[feature] = await openResults(file, legacy?.results, { log, now, backupIntervalMs, health });
        continue;
      }
      if (isKeyed(feature)) {
        docs[feature] = await openKeyed(file, feature, legacy?.[feature], {
          log,
          now,
          backupIntervalMs,
          health,
          hotLearners: options.hotLearners,
        });
        continue;
      }
      const featureFile = featureFileFor(file, feature);
      const backupFile = backupPathFor(featureFile);
      // Left by a write interrupted by a crash; the file itself is whole.
      await removeIfExists(tempPathFor(featureFile));
      await removeIfExists(tempPathFor(backupFile));
      const data = legacy?.[feature] ?? (await loadFeature(feature, featureFile, log, now));
      const schema = featureSchemas[feature];
      const doc = new DocFile<unknown>({
        adapter: new DurableJsonFile(featureFile),
        data,
        log,
        now,
        backupFile,
        check: (value) => {
          const parsed = schema.safeParse(value);
          return parsed.success ? undefined : describeIssues(parsed.error);
        },
        backupIntervalMs,
        health,
      });
      // Writes migrations and recoveries at once and proves the file is writable.
      await doc.update(() => undefined);
      await doc.backup();
      docs[feature] = doc;
    }
    if (legacy) await retireLegacyFile(file, log, now);
    const storage = new DocStorage(docs as DocSet, {
      describe: `lowdb files ${featureFileFor(file, 'settings').replace('.settings.json', '.*.json')}`,
      onClose: () => lock.release(),
      health,
    });
    const daily = storage.docs.daily.read();
    log.info(
      {
        file,
        subscriptions: Object.keys(daily.subscriptions).length,
        runningGames: Object.keys(storage.docs.games.read().sessions).length,
        learners: keysOf(storage.docs.study, (data) => data.learners).length,
      },
      'store opened',
    );
    return storage;
  } catch (error) {
    await lock.release();
    throw error;
  }
}

type Candidate<T> =
  | { kind: 'missing' }
  | { kind: 'bad'; reason: string }
  | { kind: 'newer'; version: number }
  | { kind: 'ok'; data: T; fromVersion: number };

interface FormatSpec<T> {
  /** The version this code writes. */
  current: number;
  versionOf(json: Record<string, unknown>): unknown;
  migrate(json: Record<string, unknown>, from: number): unknown;
  parse(value: unknown): { ok: true; data: T } | { ok: false; error: string };
}

/** Reads, parses, migrates in memory and validates one file. Never changes it. */
export async function loadCandidate<T>(file: string, spec: FormatSpec<T>): Promise<Candidate<T>> {
  let text: string | null;
  try {
    text = await readTextIfExists(file);
  } catch (error) {
    // Not a damaged file but one this user may not read: restoring an older backup would hide it.
    if (isCode(error, 'EACCES', 'EPERM')) throw permissionError(file, error);
    return { kind: 'bad', reason: `it cannot be read (${(error as Error).message})` };
  }
  if (text === null) return { kind: 'missing' };
  let json: unknown;
  try {
    // A byte-order mark (left by some Windows editors) is not part of the JSON.
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const empty = text.trim() === '' ? ' (the file is empty)' : '';
    return { kind: 'bad', reason: `it is not valid JSON${empty}: ${(error as Error).message}` };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return { kind: 'bad', reason: 'it does not hold a JSON object' };
  const version = spec.versionOf(json as Record<string, unknown>);
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
    return { kind: 'bad', reason: 'it has no valid version' };
  if (version > spec.current) return { kind: 'newer', version };
  let migrated: unknown = json;
  if (version < spec.current) {
    try {
      migrated = spec.migrate(json as Record<string, unknown>, version);
    } catch (error) {
      return {
        kind: 'bad',
        reason: `migrating it from version ${version} failed: ${(error as Error).message}`,
      };
    }
  }
  const checked = spec.parse(migrated);
  if (!checked.ok) return { kind: 'bad', reason: `it does not match the schema: ${checked.error}` };
  return { kind: 'ok', data: checked.data, fromVersion: version };
}

export function featureSpec<F extends Feature>(feature: F): FormatSpec<FeatureDocs[F]> {
  const schema = featureSchemas[feature];
  return {
    current: 1,
    versionOf: (json) => json.version,
    migrate: (json) => json,
    parse: (value) => {
      const parsed = schema.safeParse(value);
      return parsed.success
        ? { ok: true, data: parsed.data as FeatureDocs[F] }
        : { ok: false, error: describeIssues(parsed.error) };
    },
  };
}

export function keyedSpec(spec: KeyedFilesSpec<unknown>): FormatSpec<Record<string, unknown>> {
  return {
    current: 1,
    versionOf: (json) => json.version,
    migrate: (json) => json,
    parse: (value) => {
      const parsed = spec.schema.safeParse(value);
      return parsed.success
        ? { ok: true, data: parsed.data }
        : { ok: false, error: describeIssues(parsed.error) };
    },
  };
}

/**
 * A feature kept as a file per record (running games, learners): the files of its folder (each
 * recovered from its backup like a feature file), and the single file of that feature written
 * before it had a file per record, or its part of a data file being split. Every record is written
 * to its file before that single file is retired, so a crash in between only repeats this; its
 * records then win over the folder's (the same records).
 */
async function openKeyed(
  file: string,
  feature: KeyedFeature,
  legacy: FeatureDocs[KeyedFeature] | undefined,
  o: {
    log: Logger;
    now: () => Date;
    backupIntervalMs: number;
    health: WriteHealth;
    hotLearners?: number | undefined;
  },
): Promise<KeyedFiles<FeatureDocs[KeyedFeature], unknown>> {
  const { spec, make, label, summarize } = KEYED[feature];
  const dir = keyedDirFor(file, feature);
  const single = featureFileFor(file, feature);
  await removeIfExists(tempPathFor(single));
  await removeIfExists(tempPathFor(backupPathFor(single)));
  // Everything is read (and a file from a newer version refused) before the folder is made.
  const before = legacy ?? (await loadWithRecovery(single, featureSpec(feature), o.log, o.now));
  const inSingle = before && (before as unknown as Record<string, Record<string, unknown>>)[spec.field];
  // A record read from its own file is read for its summary only: held on disk, not in memory and
  // not rewritten, so a start costs one read per learner, not a write and a backup too. One read
  // from its backup (its file missing, or moved aside as corrupt) is written. A backup older than its
  // file is left to roll on its interval, as for a learner going to disk while running.
  const cold: Record<string, { summary: unknown; journal: unknown }> = {};
  const holdCold =
    summarize &&
    (async (key: string, loaded: Record<string, unknown>): Promise<boolean> => {
      const { version: _, [spec.entry]: record, journal, ...extra } = loaded;
      if (inSingle?.[key] !== undefined || Object.keys(extra).length > 0) return true;
      if ((await modifiedMs(path.join(dir, keyedFileName(key)))) === undefined) return true;
      cold[key] = { summary: summarize(record), journal };
      return false;
    });
  const files = await loadKeyedFiles(dir, spec as KeyedFilesSpec<unknown>, o.log, o.now, holdCold);
  await makeFolder(dir);
  for (const name of await readdir(dir))
    if (name.startsWith('.') && name.endsWith('.tmp')) await removeIfExists(path.join(dir, name));
  const fromDir = Object.fromEntries(Object.entries(files).map(([key, loaded]) => [key, loaded[spec.entry]]));
  const records = make(
    { dir, log: o.log, now: o.now, backupIntervalMs: o.backupIntervalMs, health: o.health },
    { ...fromDir, ...inSingle },
  ) as KeyedFiles<FeatureDocs[KeyedFeature], unknown>;
  // What a file holds beside its record (its journal), unless the single file's record replaces it.
  for (const [key, { version: _, [spec.entry]: __, ...extra }] of Object.entries(files))
    if (!inSingle?.[key]) records.setExtra(key, extra);
  for (const [key, { summary, journal }] of Object.entries(cold)) {
    records.setCold(key, summary);
    if (journal !== undefined) records.setExtra(key, { journal });
  }
  await records.writeAll();
  await records.backup();
  const made: unknown = records;
  if (made instanceof StudyFiles) made.limitHot(o.hotLearners ?? HOT_LEARNERS);
  await retireSingleFile(single, `${label} now have a file each in ${dir}`, o);
  return records;
}

/**
 * Moves a feature's single file (and its backup) aside once its records have a file each: also when
 * splitting a data file, as a split by an earlier version, cut off, may have written it.
 */
export async function retireSingleFile(
  single: string,
  what: string,
  o: { log: Logger; now: () => Date },
): Promise<void> {
  const stamp = fileStamp(o.now());
  for (const name of [backupPathFor(single), single]) {
    if ((await readTextIfExists(name)) === null) continue;
    const kept = `${name}.v1-${stamp}`;
    await moveDurable(name, kept);
    o.log.warn({ file: name, original: kept }, `${what}; the original is kept as ${kept}`);
  }
}

/** Keys with a record file or a backup in the folder (other names are left alone). */
export async function keysIn(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if (isCode(error, 'ENOENT')) return [];
    if (isCode(error, 'EACCES', 'EPERM')) throw permissionError(dir, error);
    throw error;
  }
  const keys = new Set<string>();
  for (const name of names) {
    const key = keyOfFile(name.endsWith('.json.bak') ? name.slice(0, -'.bak'.length) : name);
    if (key !== undefined) keys.add(key);
  }
  return [...keys].sort();
}

/**
 * Whether a record's file and its backup are as a clean write left them: both there, the backup
 * rolled after the file. Otherwise the file was restored from its backup (missing, or moved aside as
 * corrupt), or a crash came before the backup rolled; writing the record settles either.
 */
export async function settledOnDisk(recordFile: string): Promise<boolean> {
  const [main, backup] = [await modifiedMs(recordFile), await modifiedMs(keyedBackupPath(recordFile))];
  return main !== undefined && backup !== undefined && backup >= main;
}

/** When the file was last written, undefined when there is none. */
async function modifiedMs(name: string): Promise<number | undefined> {
  try {
    const found = await stat(name);
    return found.isFile() ? found.mtimeMs : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Each record file of a folder as read (its record and what it holds beside it), by key. With
 * `keep`, told of each file as it is read: those it answers false for are left out (the caller
 * keeps what it needs of them, so the folder is never in memory all at once).
 */
export async function loadKeyedFiles(
  dir: string,
  spec: KeyedFilesSpec<unknown>,
  log: Logger,
  now: () => Date,
  keep?: (key: string, loaded: Record<string, unknown>) => boolean | Promise<boolean>,
): Promise<Record<string, Record<string, unknown>>> {
  const records: Record<string, Record<string, unknown>> = {};
  for (const key of await keysIn(dir)) {
    const recordFile = path.join(dir, keyedFileName(key));
    const loaded = await loadWithRecovery(recordFile, keyedSpec(spec), log, now);
    if (!loaded) continue;
    const record = loaded[spec.entry];
    if (spec.keyOf(record) !== key)
      throw new StoreError(
        'corrupt',
        `The file ${recordFile} holds ${spec.what} of another key (${spec.keyOf(record)}). ` +
          'Nothing was changed. Move the file out of the folder (what it holds is then lost) and start again.',
      );
    if (keep && !(await keep(key, loaded))) continue;
    records[key] = loaded;
  }
  return records;
}

const legacySpec: FormatSpec<ReturnType<typeof splitLegacy>> = {
  current: LEGACY_VERSION,
  versionOf: (json) => json.schemaVersion,
  migrate: (json, from) => migrateLegacy(json, from),
  parse: (value) => {
    const parsed = parseLegacy(value);
    return parsed.ok ? { ok: true, data: splitLegacy(parsed.data) } : parsed;
  },
};

async function loadFeature<F extends Feature>(
  feature: F,
  file: string,
  log: Logger,
  now: () => Date,
): Promise<FeatureDocs[F]> {
  const loaded = await loadWithRecovery(file, featureSpec(feature), log, now);
  return loaded ?? emptyDocs()[feature];
}

/**
 * A data file of schema 1-4 (or, with it missing, its backup) split into feature documents; null
 * when there is none. The feature files are written by the caller before the original is retired,
 * so a crash in between only repeats the split. A single file next to feature files that hold
 * something else (an older thawbot ran on the folder since) is refused: splitting it would
 * overwrite everything stored since the first split.
 */
async function splitLegacyFile(file: string, log: Logger, now: () => Date): Promise<FeatureDocs | null> {
  const backupFile = backupPathFor(file);
  if ((await readTextIfExists(file)) === null && (await readTextIfExists(backupFile)) === null) return null;
  const present: Feature[] = [];
  for (const feature of FEATURES) {
    const name = featureFileFor(file, feature);
    if ((await readTextIfExists(name)) !== null || (await readTextIfExists(backupPathFor(name))) !== null)
      present.push(feature);
    else if (isKeyed(feature) && (await keysIn(keyedDirFor(file, feature))).length > 0) present.push(feature);
    else if (feature === 'results' && (await resultsFolderHolds(file))) present.push(feature);
  }
  if (present.length > 0 && !(await interruptedSplit(file, present))) {
    const names = present
      .map((f) =>
        isKeyed(f)
          ? `${path.basename(keyedDirFor(file, f))}/`
          : f === 'results' && !existsSync(featureFileFor(file, f))
            ? `${path.basename(resultsDirFor(file))}/`
            : path.basename(featureFileFor(file, f)),
      )
      .join(', ');
    throw new StoreError(
      'corrupt',
      `Both ${file} (a single data file, as thawbot wrote before storage was split by feature) and feature ` +
        `files (${names}) exist, and they hold different data. Nothing was changed. If the feature files are ` +
        `current, move ${path.basename(file)} and ${path.basename(backupFile)} out of the folder; to start again ` +
        `from ${path.basename(file)}, move the feature files out instead.`,
    );
  }
  const docs = await loadWithRecovery(file, legacySpec, log, now);
  if (!docs) return null;
  log.warn(
    { file },
    `splitting ${path.basename(file)} into one file per feature (${FEATURES.map((f) => path.basename(featureFileFor(file, f))).join(', ')})`,
  );
  return docs;
}

/** Whether every feature file present holds exactly its part of the single file: a split cut off before the end. */
async function interruptedSplit(file: string, present: readonly Feature[]): Promise<boolean> {
  const legacy = await loadCandidate(file, legacySpec);
  if (legacy.kind !== 'ok') return false;
  for (const feature of present) {
    if (isKeyed(feature) && !(await splitKeyedMatch(file, feature, legacy.data[feature]))) return false;
    if (feature === 'results' && !(await splitResultsMatch(file, legacy.data.results))) return false;
    if (
      (isKeyed(feature) || feature === 'results') &&
      (await readTextIfExists(featureFileFor(file, feature))) === null
    )
      continue;
    const current = await loadCandidate(featureFileFor(file, feature), featureSpec(feature));
    if (current.kind !== 'ok' || !isDeepStrictEqual(current.data, legacy.data[feature])) return false;
  }
  return true;
}

/** Whether each record file present holds its record of the single file (the split writes them one by one). */
async function splitKeyedMatch(
  file: string,
  feature: KeyedFeature,
  doc: FeatureDocs[KeyedFeature],
): Promise<boolean> {
  const { spec } = KEYED[feature];
  const dir = keyedDirFor(file, feature);
  const records = (doc as unknown as Record<string, Record<string, unknown>>)[spec.field] ?? {};
  for (const key of await keysIn(dir)) {
    const recordFile = path.join(dir, keyedFileName(key));
    const current = await loadCandidate(recordFile, keyedSpec(spec as KeyedFilesSpec<unknown>));
    if (current.kind !== 'ok') return false;
    const stored = await storedRecord(spec as KeyedFilesSpec<unknown>, recordFile, current.data);
    if (!isDeepStrictEqual(stored, records[key])) return false;
  }
  return true;
}

/** Keeps the single data file and its backup under a versioned name, once the split is durable. */
async function retireLegacyFile(file: string, log: Logger, now: () => Date): Promise<void> {
  const stamp = fileStamp(now());
  // The backup first: a crash in between must not leave the older backup as the one to split.
  for (const name of [backupPathFor(file), file]) {
    const text = await readTextIfExists(name);
    if (text === null) continue;
    const kept = `${name}.v${LEGACY_VERSION}-${stamp}`;
    await moveDurable(name, kept);
    log.warn({ file: name, original: kept }, `the original is kept as ${kept}`);
  }
}

/**
 * Loads a file, or its backup when it is missing or corrupt (moving the corrupt file aside).
 * Null when neither exists. Throws a StoreError when nothing usable is left.
 */
export async function loadWithRecovery<T>(
  file: string,
  spec: FormatSpec<T>,
  log: Logger,
  now: () => Date,
): Promise<T | null> {
  const backupFile = backupPathFor(file);
  const main = await loadCandidate(file, spec);
  if (main.kind === 'newer') {
    throw new StoreError(
      'newer-version',
      `The data file ${file} was written by a newer thawbot (version ${main.version}; this version ` +
        `knows up to ${spec.current}). Nothing was changed. Upgrade thawbot, or point DATA_FILE at files ` +
        'written by this version.',
    );
  }
  if (main.kind === 'ok') {
    if (main.fromVersion < spec.current) await keepOriginal(file, main.fromVersion, spec.current, log, now);
    return main.data;
  }

  const backup = await loadCandidate(backupFile, spec);
  const backupProblem =
    backup.kind === 'missing'
      ? `there is no backup (${backupFile})`
      : backup.kind === 'bad'
        ? `the backup ${backupFile} cannot be used either: ${backup.reason}`
        : backup.kind === 'newer'
          ? `the backup ${backupFile} was written by a newer thawbot (version ${backup.version})`
          : '';

  if (main.kind === 'missing') {
    if (backup.kind === 'missing') return null;
    if (backup.kind !== 'ok') {
      throw new StoreError(
        'corrupt',
        `The data file ${file} is missing and ${backupProblem}. Refusing to start with empty data while a ` +
          `backup exists. To recover: repair or replace ${backupFile}, or move it away to start with empty data.`,
      );
    }
    if (backup.fromVersion < spec.current)
      await keepOriginal(backupFile, backup.fromVersion, spec.current, log, now);
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
        `docs/storage.md), or move it away to start with empty data (what it held is then lost).`,
    );
  }
  const aside = `${file}.corrupt-${fileStamp(now())}`;
  await moveDurable(file, aside);
  if (backup.fromVersion < spec.current)
    await keepOriginal(backupFile, backup.fromVersion, spec.current, log, now);
  const backupWrittenAt = await modifiedAt(backupFile);
  log.error(
    { file, problem: main.reason, movedTo: aside, backup: backupFile, backupWrittenAt },
    `the data file ${file} was corrupt (${main.reason}). Moved it to ${aside} and restored the backup ` +
      `${backupFile} written at ${backupWrittenAt}; changes made after that time are lost.`,
  );
  return backup.data;
}

/** The data folder, created if missing; a clear refusal when part of its path is a file. */
export async function makeFolder(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    if (isCode(error, 'EEXIST', 'ENOTDIR'))
      throw new StoreError(
        'bad-path',
        `Cannot keep data in ${dir}: part of that path is a file, not a folder. Point DATA_FILE at a path whose folders are folders.`,
      );
    if (isCode(error, 'EACCES', 'EPERM')) throw permissionError(dir, error);
    throw error;
  }
}

function permissionError(target: string, error: unknown): StoreError {
  const user = userInfo();
  return new StoreError(
    'permission',
    `${target} cannot be read or written by user ${user.username} (uid ${user.uid}): ${(error as Error).message}. ` +
      'Nothing was changed. Give that user access (chown or chmod), or run thawbot as the owner of the data files.',
  );
}

/** Keeps the file as it was before a migration: `NAME.v1-TIMESTAMP`. */
async function keepOriginal(
  file: string,
  version: number,
  current: number,
  log: Logger,
  now: () => Date,
): Promise<void> {
  const copy = `${file}.v${version}-${fileStamp(now())}`;
  await copyDurable(file, copy);
  log.warn(
    { file, from: version, to: current, original: copy },
    `migrating ${path.basename(file)} from version ${version} to ${current}; the original is kept as ${copy}`,
  );
}

async function modifiedAt(file: string): Promise<string> {
  try {
    return (await stat(file)).mtime.toISOString();
  } catch {
    return 'an unknown time';
  }
}
