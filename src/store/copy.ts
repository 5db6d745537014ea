/**
 * `npm run store:copy -- --from <place> --to <place> [--replace]`: moves a deployment between lowdb
 * files and PostgreSQL (either way, or between two of a kind). A place is a postgres:// URL or a
 * data file path (`DATA_FILE`). Everything is read from the source, written to the target, read
 * back from the target, and the counts of each kind of record are printed for both sides; the exit
 * code is 0 only if every count matches and the target holds the same records as the source.
 *
 * Stop the bot first: a source file is opened with the normal lock, so a running bot makes the copy
 * fail at once; a PostgreSQL target is locked against writes while it is loaded.
 */
import { existsSync } from 'node:fs';
import { realpath, rm } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import type { Logger } from '../core/log.ts';
import { createLogger } from '../log.ts';
import { FEATURES, type Feature, type FeatureDocs } from './doc/shapes.ts';
import { countRecords, RECORD_KINDS, type RecordCounts } from './doc/transfer.ts';
import { StoreError } from './errors.ts';
import { backupPathFor, featureFileFor, gamesDirFor, openFileStorage, studyDirFor } from './open.ts';
import type { Storage, StorageTransfer } from './ports.ts';

export const USAGE = `usage: npm run store:copy -- --from <file or postgres:// URL> --to <file or postgres:// URL> [--replace]

  --from PLACE        where the deployment is now: a data file (DATA_FILE, e.g. ./data/thawbot.json)
                      or a PostgreSQL URL (DATABASE_URL)
  --to PLACE          where it goes: a data file that does not exist yet, or an empty database
  --replace           delete what the target holds first (in the same transaction on PostgreSQL)
  --from-schema NAME  PostgreSQL schema of the source (default public)
  --to-schema NAME    PostgreSQL schema of the target (default public)
`;

export type Place = { kind: 'file'; file: string } | { kind: 'pg'; url: string; schema: string };

/** A postgres:// (or postgresql://) URL is a database; anything else is a data file path. */
export function placeOf(text: string, schema = 'public'): Place {
  if (/^postgres(ql)?:\/\//i.test(text)) {
    try {
      new URL(text);
    } catch {
      throw new UsageError('a PostgreSQL place is not a valid URL');
    }
    return { kind: 'pg', url: text, schema };
  }
  return { kind: 'file', file: path.resolve(text) };
}

/** The URL with its password (in the user part or a `password` parameter) shown as ***. */
export function maskUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '(an invalid URL)';
  }
  if (parsed.password) parsed.password = '***';
  if (parsed.searchParams.has('password')) parsed.searchParams.set('password', '***');
  return parsed.toString();
}

export function describePlace(place: Place): string {
  return place.kind === 'pg'
    ? `PostgreSQL ${maskUrl(place.url)} (schema ${place.schema})`
    : `lowdb files ${featureFileFor(place.file, 'settings').replace('.settings.json', '.*.json')}`;
}

/** Whether two places are the same data: same files, or same server, database and schema. */
export async function samePlace(a: Place, b: Place): Promise<boolean> {
  if (a.kind === 'file' && b.kind === 'file') return (await canonical(a.file)) === (await canonical(b.file));
  if (a.kind === 'pg' && b.kind === 'pg') {
    const where = (p: typeof a) => {
      const u = new URL(p.url);
      const host = decodeURIComponent(u.hostname) || u.searchParams.get('host') || 'localhost';
      const port = u.port || u.searchParams.get('port') || '5432';
      return [host.toLowerCase(), port, decodeURIComponent(u.pathname.slice(1)), p.schema];
    };
    return isDeepStrictEqual(where(a), where(b));
  }
  return false;
}

/** The data file's path with its directory's symbolic links resolved (when it exists). */
async function canonical(file: string): Promise<string> {
  try {
    return path.join(await realpath(path.dirname(file)), path.basename(file));
  } catch {
    return file;
  }
}

/** Files of a lowdb deployment that exist: the feature files, their backups, the games and study folders, a single data file. */
export function existingFiles(file: string): string[] {
  const names = [file, backupPathFor(file), gamesDirFor(file), studyDirFor(file)];
  for (const feature of FEATURES) {
    const featureFile = featureFileFor(file, feature);
    names.push(featureFile, backupPathFor(featureFile));
  }
  return names.filter((name) => existsSync(name));
}

export interface CountRow {
  feature: Feature;
  label: string;
  source: number;
  target: number;
}

export function countRows(source: FeatureDocs, target: FeatureDocs): CountRow[] {
  const a: RecordCounts = countRecords(source);
  const b: RecordCounts = countRecords(target);
  return RECORD_KINDS.map((k) => ({
    feature: k.feature,
    label: k.label,
    source: a[k.kind],
    target: b[k.kind],
  }));
}

export function formatCounts(rows: CountRow[]): string {
  const header = ['feature', 'records', 'source', 'target'];
  const cells = rows.map((r) => [r.feature, r.label, String(r.source), String(r.target)]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[], mark = '') =>
    `${c[0]!.padEnd(widths[0]!)}  ${c[1]!.padEnd(widths[1]!)}  ${c[2]!.padStart(widths[2]!)}  ${c[3]!.padStart(widths[3]!)}${mark}`.trimEnd();
  return [
    line(header),
    ...cells.map((c, i) => line(c, rows[i]!.source === rows[i]!.target ? '' : '  <- differs')),
  ].join('\n');
}

/**
 * Features whose records differ between the two sides. Documents are compared as JSON (key order
 * aside); removal times as instants, since PostgreSQL keeps them as times, not text.
 */
export function differingFeatures(source: FeatureDocs, target: FeatureDocs): Feature[] {
  const comparable = (docs: FeatureDocs, feature: Feature): unknown => {
    const value = JSON.parse(JSON.stringify(docs[feature]));
    if (feature === 'workspaces')
      for (const [key, at] of Object.entries(value.removed as Record<string, string>))
        value.removed[key] = Number.isFinite(Date.parse(at)) ? Date.parse(at) : at;
    return value;
  };
  return FEATURES.filter((f) => !isDeepStrictEqual(comparable(source, f), comparable(target, f)));
}

export interface CopyIo {
  out: (text: string) => void;
  err: (text: string) => void;
  log: Logger;
}

class UsageError extends Error {}

/** The password part of a database URL in any text: postgres://user:PASSWORD@host. */
const URL_PASSWORD = /(\bpostgres(?:ql)?:\/\/[^:/@\s]+:)[^@\s]+(?=@)/gi;

type Opened = Storage & StorageTransfer;

/** Runs the command; resolves to the exit code (0 copied and verified, 1 failed, 2 usage). */
export async function main(args: string[], io: CopyIo): Promise<number> {
  const secrets: string[] = [];
  const safe = (text: string) =>
    secrets
      .reduce((t, secret) => (secret ? t.replaceAll(secret, '***') : t), text)
      .replace(URL_PASSWORD, '$1***');
  let from: Place;
  let to: Place;
  let replace: boolean;
  try {
    const { values } = parseArgs({
      args,
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        replace: { type: 'boolean', default: false },
        'from-schema': { type: 'string' },
        'to-schema': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) {
      io.out(USAGE);
      return 0;
    }
    for (const text of [values.from, values.to]) {
      if (!text || !/^postgres(ql)?:\/\//i.test(text)) continue;
      try {
        const u = new URL(text);
        secrets.push(u.password, decodeURIComponent(u.password), u.searchParams.get('password') ?? '');
      } catch {}
    }
    if (!values.from || !values.to) throw new UsageError('both --from and --to are needed');
    from = placeOf(values.from, values['from-schema']);
    to = placeOf(values.to, values['to-schema']);
    replace = values.replace;
    if (await samePlace(from, to))
      throw new UsageError(`--from and --to are the same place (${describePlace(from)})`);
  } catch (error) {
    io.err(`store:copy: ${safe((error as Error).message)}\n\n${USAGE}`);
    return 2;
  }

  if (from.kind === 'file' && existingFiles(from.file).length === 0) {
    io.err(`store:copy: there are no data files at ${describePlace(from)}. Nothing was changed.\n`);
    return 1;
  }
  if (to.kind === 'file' && !replace) {
    const present = existingFiles(to.file);
    if (present.length > 0) {
      io.err(
        `store:copy: the target ${describePlace(to)} already has files (${listFiles(present)}). Nothing was ` +
          'changed. Copy to a new data file, or pass --replace to overwrite them.\n',
      );
      return 1;
    }
  }

  const open = async (place: Place): Promise<Opened> => {
    if (place.kind === 'file') return openFileStorage({ file: place.file, log: io.log });
    const { openPgStorage } = await import('./pg/index.ts');
    return openPgStorage({
      url: place.url,
      schema: place.schema,
      log: io.log,
      applicationName: 'thawbot store:copy',
    });
  };

  // A new target file left half-made by a failure is removed, so that the next attempt needs no --replace.
  const newTargetFile = to.kind === 'file' && existingFiles(to.file).length === 0 ? to.file : undefined;
  let failed = false;
  let source: Opened | undefined;
  let target: Opened | undefined;
  try {
    io.out(`Copying from ${describePlace(from)}\n          to ${describePlace(to)}\n`);
    source = await open(from);
    const docs = await source.dump();
    target = await open(to);
    await target.load(docs, { replace });
    const copied = await target.dump();

    const rows = countRows(docs, copied);
    io.out(`\n${formatCounts(rows)}\n\n`);
    const counted = rows.every((r) => r.source === r.target);
    const differing = differingFeatures(docs, copied);
    if (counted && differing.length === 0) {
      io.out('Every count matches, and the target holds the same records as the source.\n');
      return 0;
    }
    if (!counted) io.err('store:copy: the counts differ between the source and the target.\n');
    if (differing.length > 0)
      io.err(
        `store:copy: the records differ between the source and the target in: ${differing.join(', ')}.\n`,
      );
    return 1;
  } catch (error) {
    failed = true;
    const message = safe(error instanceof Error ? error.message : String(error));
    if (error instanceof StoreError && error.code === 'not-empty')
      io.err(
        `store:copy: ${message} Nothing was changed. Copy into an empty database or schema, or pass --replace ` +
          'to delete what it holds first.\n',
      );
    else io.err(`store:copy: ${message}\n`);
    return 1;
  } finally {
    for (const storage of [target, source])
      await storage?.close().catch((error: unknown) => {
        io.err(`store:copy: closing ${storage.describe()} failed: ${safe((error as Error).message)}\n`);
      });
    if (failed && newTargetFile) {
      const made = existingFiles(newTargetFile);
      await Promise.all(made.map((file) => rm(file, { force: true })));
      if (made.length > 0) io.err(`store:copy: removed the new target files (${listFiles(made)}).\n`);
    }
  }
}

/** "a.json, a.json.bak, ... (and 8 more)": file names for a message. */
function listFiles(files: string[]): string {
  const names = files.map((f) => path.basename(f));
  return names.length > 4 ? `${names.slice(0, 4).join(', ')} and ${names.length - 4} more` : names.join(', ');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const log = createLogger({ level: process.env.LOG_LEVEL ?? 'warn', pretty: true });
  process.exitCode = await main(process.argv.slice(2), {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    log,
  });
}
