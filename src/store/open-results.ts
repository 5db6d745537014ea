/**
 * Opening finished games, leaderboards and players' records: the folders of `thawbot.results/`
 * (doc/result-files.ts), and the single `thawbot.results.json` of earlier versions read once.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Logger } from '../core/log.ts';
import type { KeyedFilesSpec } from './doc/keyed-files.ts';
import { keyedFileName, storedRecord } from './doc/keyed-files.ts';
import type { ResultsData } from './doc/result-effects.ts';
import {
  type GameSummary,
  gameSummary,
  PARTS,
  RESULT_PARTS,
  type ResultExtras,
  ResultFiles,
} from './doc/result-files.ts';
import { removeIfExists, tempPathFor } from './files.ts';
import type { WriteHealth } from './health.ts';
import {
  backupPathFor,
  featureFileFor,
  featureSpec,
  keyedSpec,
  keysIn,
  loadCandidate,
  loadKeyedFiles,
  loadWithRecovery,
  makeFolder,
  retireSingleFile,
  settledOnDisk,
} from './open.ts';

/** `data/thawbot.json` -> `data/thawbot.results/` (with `games/`, `boards/` and `players/`). */
export function resultsDirFor(file: string): string {
  const base = file.endsWith('.json') ? file.slice(0, -'.json'.length) : file;
  return `${base}.results`;
}

function partDir(file: string, part: (typeof PARTS)[number]): string {
  return path.join(resultsDirFor(file), RESULT_PARTS[part].folder);
}

/**
 * The results folders, with `legacy` (the results of a data file being split) or the single
 * `thawbot.results.json` of earlier versions merged in: every record is written to its own file
 * before that single file is retired, so a crash in between only repeats this (its records then
 * win over the folders', being the same). Games a crash left half counted are finished here.
 * A finished game counted and on disk as read is held on disk only (a summary in memory) and not
 * written again; those merged in, restored from their backup or pending are written.
 */
export async function openResults(
  file: string,
  legacy: ResultsData | undefined,
  o: { log: Logger; now: () => Date; backupIntervalMs: number; health: WriteHealth },
): Promise<ResultFiles> {
  const single = featureFileFor(file, 'results');
  await removeIfExists(tempPathFor(single));
  await removeIfExists(tempPathFor(backupPathFor(single)));
  // Everything is read (and a file from a newer version refused) before a folder is made.
  const before = legacy ?? (await loadWithRecovery(single, featureSpec('results'), o.log, o.now));
  const records = { results: {}, scores: {}, study: {} } as Omit<ResultsData, 'version'>;
  const extras: ResultExtras = { results: {}, scores: {}, study: {} };
  const cold: Record<string, GameSummary> = {};
  const games = partDir(file, 'results');
  const holdCold = async (key: string, loaded: Record<string, unknown>): Promise<boolean> => {
    const { version: _, result, ...extra } = loaded;
    if (before?.results[key] !== undefined || Object.keys(extra).length > 0) return true;
    // A backup older than its file may hold the game pending: rolled by writing it.
    if (!(await settledOnDisk(path.join(games, keyedFileName(key))))) return true;
    cold[key] = gameSummary(result as ResultsData['results'][string]);
    return false;
  };
  for (const part of PARTS) {
    const { spec } = RESULT_PARTS[part];
    const files = await loadKeyedFiles(
      partDir(file, part),
      spec as KeyedFilesSpec<unknown>,
      o.log,
      o.now,
      part === 'results' ? holdCold : undefined,
    );
    for (const [key, { version: _, [spec.entry]: record, ...extra }] of Object.entries(files)) {
      (records[part] as Record<string, unknown>)[key] = record;
      if (Object.keys(extra).length > 0) extras[part][key] = extra;
    }
    if (before) {
      for (const [key, record] of Object.entries(before[part])) {
        (records[part] as Record<string, unknown>)[key] = record;
        delete extras[part][key];
      }
    }
  }
  for (const part of PARTS) {
    const dir = partDir(file, part);
    await makeFolder(dir);
    for (const name of await readdir(dir))
      if (name.startsWith('.') && name.endsWith('.tmp')) await removeIfExists(path.join(dir, name));
  }
  const results = new ResultFiles(
    resultsDirFor(file),
    { log: o.log, now: o.now, backupIntervalMs: o.backupIntervalMs, health: o.health },
    records,
    extras,
    cold,
  );
  await results.writeAll();
  const finished = await results.finishPending();
  if (finished > 0)
    o.log.warn(
      { games: finished },
      'finished counting games that a crash or a failed write left half counted',
    );
  await results.backup();
  await retireSingleFile(
    single,
    `finished games, leaderboards and players' records now have a file each in ${resultsDirFor(file)}`,
    o,
  );
  return results;
}

/** Whether any results folder holds a record file or a backup. */
export async function resultsFolderHolds(file: string): Promise<boolean> {
  for (const part of PARTS) if ((await keysIn(partDir(file, part))).length > 0) return true;
  return false;
}

/** Whether each record file present holds its record of the data file being split (written one by one). */
export async function splitResultsMatch(file: string, doc: ResultsData): Promise<boolean> {
  for (const part of PARTS) {
    const { spec } = RESULT_PARTS[part];
    const dir = partDir(file, part);
    for (const key of await keysIn(dir)) {
      const recordFile = path.join(dir, keyedFileName(key));
      const current = await loadCandidate(recordFile, keyedSpec(spec as KeyedFilesSpec<unknown>));
      if (current.kind !== 'ok') return false;
      const stored = await storedRecord(spec as KeyedFilesSpec<unknown>, recordFile, current.data);
      if (!isDeepStrictEqual(stored, (doc[part] as Record<string, unknown>)[key])) return false;
    }
  }
  return true;
}
