/**
 * The lists of a record that only grow (a learner's review log, a player's answer history). On
 * files they are kept in a journal beside the record (journal.ts) and memory holds only entries not
 * yet written; in memory documents the record holds them all. Read and rewrite them through here.
 */
import type { Doc } from './doc.ts';
import { KeyedFiles } from './keyed-files.ts';
import { ResultFiles } from './result-files.ts';

interface Journaled {
  entriesOf(key: string): Promise<unknown[]>;
  rewriteEntries(key: string, fn: (entries: unknown[]) => unknown[]): Promise<void>;
}

function journaled(doc: Doc<unknown>): Journaled | undefined {
  if (doc instanceof ResultFiles) return doc.parts.study;
  if (doc instanceof KeyedFiles && doc.journaled) return doc;
  return undefined;
}

/** A record's whole list: `inMemory` is the list as the record in memory holds it. */
export async function listOf<E>(
  doc: Doc<unknown>,
  key: string,
  inMemory: readonly E[] | undefined,
): Promise<E[]> {
  if (inMemory === undefined) return [];
  const files = journaled(doc);
  return files ? ((await files.entriesOf(key)) as E[]) : [...inMemory];
}

/**
 * Replaces a record's list by `fn` of it, durably. `listIn` finds the list in the document (for a
 * memory document); on files `fn` gets the entries written so far, and those added meanwhile follow.
 */
export function rewriteList<T, E>(
  doc: Doc<T>,
  key: string,
  fn: (entries: E[]) => E[],
  listIn: (data: T) => { list: E[]; set: (list: E[]) => void } | undefined,
): Promise<void> {
  const files = journaled(doc as Doc<unknown>);
  if (files) return files.rewriteEntries(key, fn as unknown as (entries: unknown[]) => unknown[]);
  return doc.update((data) => {
    const found = listIn(data);
    if (found) found.set(fn(found.list));
  });
}
