/**
 * A record's journal: the entries of a list that only grows (a learner's review log, a player's
 * answer history) kept in a file of JSON lines beside the record's file, not in memory and not in
 * the record's file. An answer then appends one line instead of rewriting every earlier one.
 *
 * The record's file says how much of the journal counts (`journal: { gen, bytes }`), and it is
 * written after the lines it counts are on disk: lines past `bytes` (a write that failed or was cut
 * off by a crash) are not part of the record, and the next append truncates them first. A rewrite
 * (retention, a replaced record) writes a new generation, then the record's file that points to it,
 * then removes the old one, so a crash at any point leaves the record and a journal that agree.
 */
import { open, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { StoreError } from '../errors.ts';
import { isCode, removeIfExists, syncDir, writeFileDurable } from '../files.ts';

export const journalRefSchema = z.object({ gen: z.number().int().min(0), bytes: z.number().int().min(0) });
export type JournalRef = z.infer<typeof journalRefSchema>;

/** `dir/discord%3Ag1%3Au1.json` -> `dir/discord%3Ag1%3Au1.3.jsonl` (generation 3). */
export function journalPath(recordFile: string, gen: number): string {
  return `${recordFile.slice(0, -'.json'.length)}.${gen}.jsonl`;
}

/** Entries as JSON lines. */
export function linesOf(entries: readonly unknown[]): string {
  return entries.map((e) => `${JSON.stringify(e)}\n`).join('');
}

/** Appends `lines` after the first `from` bytes (dropping anything past them) and fsyncs. */
export async function appendLines(file: string, from: number, lines: string): Promise<void> {
  const handle = await open(file, 'a');
  try {
    await handle.truncate(from);
    await handle.write(lines);
    await handle.sync();
  } finally {
    await handle.close();
  }
  if (from === 0) await syncDir(path.dirname(file));
}

/** Writes a whole generation durably. */
export function writeLines(file: string, lines: string): Promise<void> {
  return writeFileDurable(file, lines);
}

/** The entries the record counts: the first `ref.bytes` bytes of its generation. */
export async function readEntries(recordFile: string, ref: JournalRef | undefined): Promise<unknown[]> {
  if (!ref || ref.bytes === 0) return [];
  const file = journalPath(recordFile, ref.gen);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    if (isCode(error, 'ENOENT')) throw missing(file, ref, 0);
    throw error;
  }
  if (bytes.length < ref.bytes) throw missing(file, ref, bytes.length);
  const text = bytes.subarray(0, ref.bytes).toString('utf8');
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as unknown);
}

/** Removes every generation of a record's journal (the record is gone). */
export async function removeJournals(recordFile: string): Promise<void> {
  const dir = path.dirname(recordFile);
  const base = path.basename(recordFile).slice(0, -'.json'.length);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if (isCode(error, 'ENOENT')) return;
    throw error;
  }
  for (const name of names) if (isJournalOf(base, name)) await removeIfExists(path.join(dir, name));
}

/** Whether `name` is a generation of the journal of the record file `base`.json. */
function isJournalOf(base: string, name: string): boolean {
  if (!name.startsWith(`${base}.`) || !name.endsWith('.jsonl')) return false;
  return /^\d+$/.test(name.slice(base.length + 1, -'.jsonl'.length));
}

function missing(file: string, ref: JournalRef, found: number): StoreError {
  return new StoreError(
    'corrupt',
    `The journal ${file} holds ${found} bytes, but its record counts ${ref.bytes}: part of it was lost ` +
      'or truncated outside the bot.',
  );
}
