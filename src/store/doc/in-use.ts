/**
 * Records of a keyed document that may be held on disk only (keyed-files.ts `keepCold`): read and
 * change them through here, so that one is in memory while it is used. In memory documents every
 * record always is.
 */
import type { Doc } from './doc.ts';
import { KeyedFiles } from './keyed-files.ts';

/** Runs `fn` with the record under `key` in memory. */
export function withRecord<R>(doc: Doc<unknown>, key: string, fn: () => R | Promise<R>): Promise<R> {
  if (doc instanceof KeyedFiles) return doc.withKey(key, fn);
  return Promise.resolve().then(fn);
}

/** Runs `fn` with every record that `which` picks by key (all without it) in memory. */
export function withRecords<R>(
  doc: Doc<unknown>,
  fn: () => R | Promise<R>,
  which?: (key: string) => boolean,
): Promise<R> {
  if (doc instanceof KeyedFiles) return doc.withHydrated(fn, which && ((key) => which(key)));
  return Promise.resolve().then(fn);
}

/** What memory keeps of each record held on disk only, by key. */
export function coldSummaries<S>(doc: Doc<unknown>): [string, S][] {
  return doc instanceof KeyedFiles ? ([...doc.coldEntries()] as [string, S][]) : [];
}

/** Every record's key, whether in memory or on disk only; `records` finds them in a memory document. */
export function keysOf<T>(doc: Doc<T>, records: (data: T) => object): string[] {
  if (doc instanceof KeyedFiles) return doc.allKeys();
  return Object.keys(records(doc.read()));
}
