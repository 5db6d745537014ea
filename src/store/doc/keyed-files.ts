import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import pLimit from 'p-limit';
import type { z } from 'zod';
import type { Logger } from '../../core/log.ts';
import { StoreError, writeFailed } from '../errors.ts';
import { removeIfExists, syncDir, writeFileDurable } from '../files.ts';
import type { WriteHealth } from '../health.ts';
import { describeIssues } from '../schema.ts';
import { isThenable, type KeyedDoc, notSynchronous } from './doc.ts';
import type { StoreStats } from './file.ts';
import {
  appendLines,
  type JournalRef,
  journalPath,
  linesOf,
  readEntries,
  removeJournals,
  writeLines,
} from './journal.ts';

/** A record's file, named after its key (`discord:g1:c1` -> `discord%3Ag1%3Ac1.json`). */
export function keyedFileName(key: string): string {
  return `${encodeURIComponent(key)}.json`;
}

/** The key a record file's name stands for, or undefined for any other name. */
export function keyOfFile(name: string): string | undefined {
  if (!name.endsWith('.json') || name.startsWith('.')) return undefined;
  try {
    const key = decodeURIComponent(name.slice(0, -'.json'.length));
    return keyedFileName(key) === name ? key : undefined;
  } catch {
    return undefined;
  }
}

export function keyedBackupPath(file: string): string {
  return `${file}.bak`;
}

/** What a folder of record files holds, and how one file is laid out. */
export interface KeyedFilesSpec<V> {
  /** The document's field with the records by key (`sessions`). */
  field: string;
  /** The file's field with its one record (`session`): a file is `{ version: 1, [entry]: record }`. */
  entry: string;
  /** The schema of one file. */
  schema: z.ZodType<{ version: 1 } & Record<string, unknown>>;
  /** The key a record belongs under (a file holding another key's record is refused on open). */
  keyOf: (record: V) => string;
  /** What one record is, for log lines ("a running game"). */
  what: string;
  /**
   * The record's list that only grows (`log`), kept in a journal beside its file (journal.ts):
   * in memory the list holds only entries not yet written; `entriesOf` reads the whole of it.
   */
  journal?: string;
}

/** A record file's record as stored, with its journaled list whole (journal entries first). */
export async function storedRecord<V>(
  spec: KeyedFilesSpec<V>,
  recordFile: string,
  file: Record<string, unknown>,
): Promise<unknown> {
  const record = file[spec.entry] as Record<string, unknown>;
  if (!spec.journal) return record;
  const entries = await readEntries(recordFile, file.journal as JournalRef | undefined);
  return { ...record, [spec.journal]: [...entries, ...((record[spec.journal] as unknown[]) ?? [])] };
}

/** Checks a record file's JSON: an error text, or undefined when it is valid. */
export function checkKeyedFile(schema: z.ZodType, value: unknown): string | undefined {
  const parsed = schema.safeParse(value);
  return parsed.success ? undefined : describeIssues(parsed.error);
}

export interface KeyedFilesOptions {
  /** The folder of record files (`thawbot.games/`). */
  dir: string;
  log: Logger;
  now: () => Date;
  /** How often a record's backup rolls forward to its last written state (ms of `now`). */
  backupIntervalMs: number;
  health?: WriteHealth;
}

interface Waiter {
  gen: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** One record's write state: DocFile's group commit, per record. */
interface KeyState {
  /**
   * A digest of the JSON on disk, undefined when the record has no file. Only the digest is kept:
   * holding every file's text as well would double the memory of the records.
   */
  durableDigest: string | undefined;
  applied: number;
  durable: number;
  waiters: Waiter[];
  writing: boolean;
  scheduled: boolean;
  /** When the backup last rolled (undefined: never, so it rolls after the first write). */
  backupAt: number | undefined;
  /** The backup being written: close and the write loop must not write it at once. */
  backingUp: Promise<void> | undefined;
  /** Journal entries taken from memory for the write in flight: still the record's until it ends. */
  inFlight: unknown[];
  /** A change of the entries already in the journal, made by the next write (retention, a replace). */
  rewrite: ((entries: unknown[]) => unknown[]) | undefined;
}

/** What a write does to a record's journal. */
interface JournalPlan {
  /** The record as JSON, taken when the write began. */
  recordText: string;
  extra: Record<string, unknown> | undefined;
  entries: unknown[];
  rewrite: ((entries: unknown[]) => unknown[]) | undefined;
}

/**
 * Records by key (running games, learners), one file per record in a folder, as one document. A
 * change scoped to a key (`updateKey`) writes only that record's file, so an answer costs the size
 * of its own record, not of every record. Each record has DocFile's group commit: at most one write
 * of its file in flight, changes meanwhile go out together in the next one, and an update resolves
 * once a write that includes it is on disk. A failed write returns that record in memory to its
 * state on disk and rejects every change to it not yet written ('write-failed'). A record removed
 * from the document has its file (and backup) deleted.
 */
export class KeyedFiles<D extends { version: 1 }, V> implements KeyedDoc<D> {
  private readonly data: D;
  private readonly states = new Map<string, KeyState>();
  private closed = false;
  private closing: Promise<void> | undefined;
  readonly stats: StoreStats = { writes: 0, failedWrites: 0, bytesWritten: 0, backups: 0, lastWriteMs: 0 };

  /**
   * Fields a file holds beside its record (`{ version, [entry], ...extra }`), by key: what a
   * change spanning several files needs to finish after a crash (finished games). Written with the
   * record, restored with it when a write fails, dropped when the record goes.
   */
  private readonly extras = new Map<string, Record<string, unknown>>();
  /** How much of each record's journal counts, as its file on disk says (journal.ts). */
  private readonly journals = new Map<string, JournalRef>();

  /**
   * Records held on disk only ("cold"), by key: a small summary each, made by `summarize`. Only
   * records that are on disk as they are in memory, with nothing beside them, go cold (`evict`);
   * `hydrate` reads them back. Cold records are not in the document: see `holdsKey`.
   */
  private readonly cold = new Map<string, unknown>();
  private summarize: ((record: V) => unknown) | undefined;
  /** Callers that need the records hydrated for them to stay in memory (`withHydrated`). */
  private holds = 0;
  /** Records in memory at most, with `keepCold` (`limitHot`). */
  private hotLimit = Number.POSITIVE_INFINITY;
  /** Keys used through `withKey`, least recent first. */
  private readonly recent = new Map<string, true>();
  /** Records in use through `withKey`, by key: they stay in memory. */
  private readonly pins = new Map<string, number>();
  /** Cold records being read back, by key. */
  private readonly loading = new Map<string, Promise<void>>();
  /** The digest of what was on disk when a cold record was read back, by its write state. */
  private readonly readBack = new WeakMap<KeyState, string>();
  /** The digest of what the backup last rolled to (records that may go cold only), by write state. */
  private readonly rolled = new WeakMap<KeyState, string>();
  /** When the backup of each record held on disk only last rolled (its write state is gone). */
  private readonly backedUpAt = new Map<string, number>();

  /**
   * `records` are as loaded; nothing is known on disk until `writeAll`. With `shared`, the records
   * are that document's `spec.field`, so several folders can hold the collections of one document.
   */
  constructor(
    private readonly options: KeyedFilesOptions,
    private readonly spec: KeyedFilesSpec<V>,
    records: Record<string, V>,
    shared?: D,
  ) {
    if (shared) (shared as unknown as Record<string, unknown>)[spec.field] = records;
    this.data = shared ?? ({ version: 1, [spec.field]: records } as unknown as D);
  }

  extraOf(key: string): Record<string, unknown> | undefined {
    return this.extras.get(key);
  }

  /**
   * Sets what the record's file holds beside it (in memory: written with the record's next write).
   * A `journal` field is the record's journal as its file on disk says (as loaded).
   */
  setExtra(key: string, extra: Record<string, unknown> | undefined): void {
    const { journal, ...rest } = extra ?? {};
    if (journal !== undefined) this.journals.set(key, journal as JournalRef);
    if (Object.keys(rest).length === 0) this.extras.delete(key);
    else this.extras.set(key, rest);
  }

  /** Whether records keep a list in a journal (`spec.journal`). */
  get journaled(): boolean {
    return this.spec.journal !== undefined;
  }

  /**
   * A record's whole journaled list: the entries on disk, then those being written, then those
   * only in memory. Empty for a record that has none.
   */
  async entriesOf(key: string): Promise<unknown[]> {
    const field = this.spec.journal;
    if (!field) return [];
    for (let attempt = 0; ; attempt++) {
      const ref = this.journals.get(key);
      const state = this.states.get(key);
      try {
        const onDisk = await readEntries(this.fileFor(key), ref);
        // Read again if a write moved the journal meanwhile (its entries are then on disk).
        if (this.journals.get(key) !== ref && attempt < 3) continue;
        const memory = (this.records[key] as Record<string, unknown[]> | undefined)?.[field] ?? [];
        const rewritten = state?.rewrite ? state.rewrite(onDisk) : onDisk;
        return [...rewritten, ...(state?.inFlight ?? []), ...memory];
      } catch (error) {
        // A rewrite removes the generation this read started on: the next one is the record's now.
        if (this.journals.get(key) !== ref && attempt < 3) continue;
        throw error;
      }
    }
  }

  /**
   * Changes the entries of a record's journal (retention): `fn` gets those already written, at the
   * next write, and the entries added meanwhile follow what it returns.
   */
  rewriteEntries(key: string, fn: (entries: unknown[]) => unknown[]): Promise<void> {
    if (this.closed) return Promise.reject(closedError());
    if (!this.spec.journal || this.records[key] === undefined) return Promise.resolve();
    const state = this.stateOf(key);
    const before = state.rewrite;
    state.rewrite = before ? (entries) => fn(before(entries)) : fn;
    return this.changed(key);
  }

  /** Looked up each time: a transfer replaces the whole field. */
  private get records(): Record<string, V> {
    return (this.data as unknown as Record<string, Record<string, V>>)[this.spec.field] as Record<string, V>;
  }

  get dir(): string {
    return this.options.dir;
  }

  fileFor(key: string): string {
    return path.join(this.options.dir, keyedFileName(key));
  }

  read(): D {
    return this.data;
  }

  /** Any change: the records it touched are found by comparing each with its state on disk. */
  update<R>(fn: (data: D) => R): Promise<R> {
    if (this.closed) return Promise.reject(closedError());
    const before = this.before();
    let result: R;
    try {
      result = fn(this.data);
    } catch (error) {
      return Promise.reject(error);
    }
    if (isThenable(result)) return Promise.reject(notSynchronous());
    return this.writeSince(before).then(() => result);
  }

  /** The records as they are now, for `writeSince` after a change not scoped to keys. */
  before(): Map<string, V> {
    return new Map(Object.entries(this.records));
  }

  /** Writes every record changed since `before` (found by comparing each with its state on disk). */
  writeSince(before: Map<string, V>): Promise<void> {
    if (this.closed) return Promise.reject(closedError());
    const touched = new Set<string>();
    for (const [key, record] of before) {
      if (this.records[key] === record) continue;
      touched.add(key);
      // A record replaced as a whole (a load) brings its whole list: what the journal held goes.
      if (this.spec.journal && this.records[key] !== undefined) this.stateOf(key).rewrite = () => [];
    }
    for (const [key, record] of Object.entries(this.records)) {
      if (touched.has(key)) continue;
      const state = this.states.get(key);
      if (!before.has(key) || !state || state.applied > state.durable) touched.add(key);
      else if (digest(this.textOf(key, record)) !== state.durableDigest) touched.add(key);
    }
    if (touched.size === 0) return this.flush();
    return Promise.all([...touched].map((key) => this.changed(key))).then(() => undefined);
  }

  /**
   * Writes the records under `keys` (changed in memory already); resolves when all are on disk, and
   * rejects with the first failure only once every write has ended.
   */
  async writeKeys(keys: readonly string[]): Promise<void> {
    if (this.closed) throw closedError();
    const written = await Promise.allSettled(keys.map((key) => this.changed(key)));
    const failed = written.find((w): w is PromiseRejectedResult => w.status === 'rejected');
    if (failed) throw failed.reason;
  }

  updateKey<R>(key: string, fn: (data: D) => R): Promise<R> {
    if (this.closed) return Promise.reject(closedError());
    let result: R;
    try {
      result = fn(this.data);
    } catch (error) {
      return Promise.reject(error);
    }
    if (isThenable(result)) return Promise.reject(notSynchronous());
    return this.changed(key).then(() => result);
  }

  /** Writes every record loaded (on open: proves the folder writable and settles recoveries). */
  writeAll(): Promise<void> {
    return Promise.all(Object.keys(this.records).map((key) => this.changed(key))).then(() => undefined);
  }

  flush(): Promise<void> {
    const pending = [...this.states].filter(([, s]) => s.applied > s.durable || s.writing);
    return Promise.all(pending.map(([key, s]) => this.waitDurable(key, s, s.applied))).then(() => undefined);
  }

  /** Flushes and rolls every record's backup to its final state. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.closed = true;
      await this.flush();
      await this.backup();
    })();
    return this.closing;
  }

  /** Rolls the backup of every record now (on open and close). */
  async backup(): Promise<void> {
    for (const [key, state] of this.states) await this.backupKey(key, state);
  }

  /** Rolls one record's backup to its state on disk now (not waiting for the interval). */
  rollBackup(key: string): Promise<void> {
    const state = this.states.get(key);
    return state ? this.backupKey(key, state) : Promise.resolve();
  }

  private changed(key: string): Promise<void> {
    const state = this.stateOf(key);
    return this.waitDurable(key, state, ++state.applied);
  }

  private stateOf(key: string): KeyState {
    let state = this.states.get(key);
    if (!state) {
      state = {
        durableDigest: undefined,
        applied: 0,
        durable: 0,
        waiters: [],
        writing: false,
        scheduled: false,
        backupAt: undefined,
        backingUp: undefined,
        inFlight: [],
        rewrite: undefined,
      };
      this.states.set(key, state);
    }
    return state;
  }

  private waitDurable(key: string, state: KeyState, gen: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      state.waiters.push({ gen, resolve, reject });
      if (state.writing || state.scheduled) return;
      state.scheduled = true;
      // A microtask, as in DocFile: every change of the current synchronous burst joins this write.
      queueMicrotask(() => void this.drain(key, state));
    });
  }

  private async drain(key: string, state: KeyState): Promise<void> {
    state.scheduled = false;
    if (state.writing) return;
    state.writing = true;
    const file = this.fileFor(key);
    try {
      while (state.waiters.length > 0) {
        if (state.durable >= state.applied) {
          settle(state, state.applied, undefined);
          continue;
        }
        const gen = state.applied;
        const record = this.records[key];
        // The snapshot is taken here, synchronously: changes from now on join the next write.
        const plan =
          record !== undefined && this.spec.journal ? this.planJournal(key, state, record) : undefined;
        let text = record === undefined || plan ? undefined : this.textOf(key, record);
        const started = performance.now();
        try {
          const moved = plan && (await this.writeJournal(key, plan));
          if (moved) text = this.compose(plan.recordText, plan.extra, moved.ref);
          if (text !== undefined) await writeFileDurable(file, text);
          else if (state.durableDigest !== undefined) await this.removeFiles(file);
          if (moved) {
            this.journals.set(key, moved.ref);
            state.inFlight = [];
            if (moved.old !== undefined) {
              // The backup must not point at the generation about to go.
              state.durableDigest = digest(text as string);
              await this.backupKey(key, state);
              await removeIfExists(journalPath(file, moved.old));
            }
          } else if (text === undefined) {
            this.journals.delete(key);
            this.backedUpAt.delete(key);
          }
          state.durable = gen;
          state.durableDigest = text === undefined ? undefined : digest(text);
          this.stats.writes++;
          this.stats.bytesWritten += text === undefined ? 0 : Buffer.byteLength(text);
          this.stats.lastWriteMs = performance.now() - started;
          this.options.health?.succeeded();
          settle(state, gen, undefined);
        } catch (error) {
          this.stats.failedWrites++;
          this.options.health?.failed(error);
          this.options.log.error(
            { err: error, file },
            `could not write the file of ${this.spec.what}; its changes not yet on disk are undone and refused`,
          );
          // Changes applied while this write ran were made on top of the failed ones: they go too.
          state.inFlight = [];
          await this.restore(key, state, file);
          state.applied = state.durable;
          settle(state, Number.POSITIVE_INFINITY, writeFailed(file, error));
        }
        const due =
          state.backupAt === undefined || this.now() - state.backupAt >= this.options.backupIntervalMs;
        if (state.durableDigest !== undefined && due) await this.backupKey(key, state);
      }
    } finally {
      state.writing = false;
      // A removed record leaves nothing behind, so keys that once had one cost no memory.
      if (state.durableDigest === undefined && state.applied === state.durable && state.waiters.length === 0)
        if (this.states.get(key) === state) {
          this.states.delete(key);
          this.extras.delete(key);
        }
    }
  }

  /**
   * Returns the record in memory to its file (written atomically, so the file is the last good
   * state). Should the file be unreadable too, memory keeps the change: forgetting the record would
   * let the next write replace a file that is only unreadable for now.
   */
  private async restore(key: string, state: KeyState, file: string): Promise<void> {
    if (state.durableDigest === undefined) {
      delete this.records[key];
      this.extras.delete(key);
      this.journals.delete(key);
      return;
    }
    try {
      const { version: _, [this.spec.entry]: onDisk, ...extra } = JSON.parse(await readFile(file, 'utf8'));
      this.records[key] = onDisk as V;
      this.setExtra(key, extra);
    } catch (error) {
      this.options.log.error(
        { err: error, file },
        `could not read back the file of ${this.spec.what} after a failed write; memory keeps the unsaved change`,
      );
    }
  }

  /** The backup first: a crash in between must not leave a backup that brings the record back. */
  private async removeFiles(file: string): Promise<void> {
    await removeIfExists(keyedBackupPath(file));
    await removeIfExists(file);
    if (this.spec.journal) await removeJournals(file);
    await syncDir(this.options.dir);
  }

  /**
   * Takes the journal's new entries out of the record (they are written to the journal, not its
   * file) and a snapshot of the rest, synchronously, as the write begins.
   */
  private planJournal(key: string, state: KeyState, record: V): JournalPlan {
    const list = record as Record<string, unknown[]>;
    const field = this.spec.journal as string;
    const entries = list[field] ?? [];
    list[field] = [];
    state.inFlight = entries;
    const rewrite = state.rewrite;
    state.rewrite = undefined;
    const extra = this.extras.get(key);
    return { recordText: JSON.stringify(record), extra: extra && { ...extra }, entries, rewrite };
  }

  /** Appends the new entries (or writes a new generation): where the journal stands once written. */
  private async writeJournal(key: string, plan: JournalPlan): Promise<{ ref: JournalRef; old?: number }> {
    const file = this.fileFor(key);
    const ref = this.journals.get(key) ?? { gen: 0, bytes: 0 };
    const lines = linesOf(plan.entries);
    if (plan.rewrite) {
      const kept = linesOf(plan.rewrite(await readEntries(file, this.journals.get(key))));
      const gen = ref.gen + 1;
      await writeLines(journalPath(file, gen), kept + lines);
      return { ref: { gen, bytes: Buffer.byteLength(kept + lines) }, old: ref.gen };
    }
    if (lines.length === 0) return { ref };
    await appendLines(journalPath(file, ref.gen), ref.bytes, lines);
    return { ref: { gen: ref.gen, bytes: ref.bytes + Buffer.byteLength(lines) } };
  }

  private backupKey(key: string, state: KeyState): Promise<void> {
    state.backingUp = (state.backingUp ?? Promise.resolve()).then(() => this.writeBackup(key, state));
    return state.backingUp;
  }

  private async writeBackup(key: string, state: KeyState): Promise<void> {
    if (state.durableDigest === undefined) return;
    const file = this.fileFor(key);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      this.options.log.error(
        { err: error, file },
        `could not read the file of ${this.spec.what} to back it up`,
      );
      return;
    }
    const problem = parsedProblem(this.spec.schema, text);
    if (problem) {
      this.options.log.error({ file, problem }, 'not rolling the backup: the current state fails validation');
      return;
    }
    try {
      await writeFileDurable(keyedBackupPath(file), text);
      if (this.summarize) this.rolled.set(state, digest(text));
      state.backupAt = this.now();
      this.stats.backups++;
    } catch (error) {
      this.options.log.error(
        { err: error, backup: keyedBackupPath(file) },
        `could not write the backup of the file of ${this.spec.what}`,
      );
    }
  }

  private now(): number {
    return this.options.now().getTime();
  }

  /** Lets records go cold: `summarize` makes what memory keeps of each. */
  keepCold(summarize: (record: V) => unknown): void {
    this.summarize = summarize;
  }

  /** A record known to be on disk, held cold from the start (on open: its file was just read). */
  setCold(key: string, summary: unknown): void {
    this.cold.set(key, summary);
  }

  /** Whether the record is in memory or cold. */
  holdsKey(key: string): boolean {
    return this.records[key] !== undefined || this.cold.has(key);
  }

  /** The cold records' summaries, by key. */
  coldEntries(): IterableIterator<[string, unknown]> {
    return this.cold.entries();
  }

  get coldCount(): number {
    return this.cold.size;
  }

  /**
   * Holds at most `limit` records in memory (with `keepCold`): past it, those least recently used
   * (`withKey`) go cold once idle, so memory follows the records in use, not every record stored.
   */
  limitHot(limit: number): void {
    this.hotLimit = limit;
    this.trim();
  }

  /**
   * Runs `fn` with the record under `key` in memory, read back first if cold; it stays in memory
   * until `fn` (and a promise it returns) ends. Every read or change of one record goes through
   * here where records go cold by use, so none is read as missing while only on disk.
   */
  async withKey<R>(key: string, fn: () => R | Promise<R>): Promise<R> {
    this.pins.set(key, (this.pins.get(key) ?? 0) + 1);
    try {
      while (this.cold.has(key)) await this.loadKey(key);
      this.recent.delete(key);
      this.recent.set(key, true);
      return await fn();
    } finally {
      const left = (this.pins.get(key) ?? 1) - 1;
      if (left > 0) this.pins.set(key, left);
      else this.pins.delete(key);
      this.trim();
    }
  }

  /** Every key: of records in memory and of those cold. */
  allKeys(): string[] {
    return [...new Set([...Object.keys(this.records), ...this.cold.keys()])];
  }

  private loadKey(key: string): Promise<void> {
    let loading = this.loading.get(key);
    if (!loading) {
      loading = this.hydrateKey(key).finally(() => this.loading.delete(key));
      this.loading.set(key, loading);
    }
    return loading;
  }

  /** Sends the records past the limit cold: first those not used through `withKey`, then the least recent. */
  private trim(): void {
    if (!this.summarize || this.holds > 0 || this.hotLimit === Number.POSITIVE_INFINITY) return;
    const hot = Object.keys(this.records);
    let over = hot.length - this.hotLimit;
    if (over <= 0) return;
    const order = [...hot.filter((k) => !this.recent.has(k)), ...this.recent.keys()];
    for (const key of order) {
      if (over <= 0) break;
      if (this.records[key] === undefined) {
        if (!this.cold.has(key)) this.recent.delete(key); // deleted
        continue;
      }
      if (this.pins.has(key)) continue;
      if (this.evict(key)) {
        this.recent.delete(key);
        over--;
      }
    }
  }

  /** Whether something needs the records in memory now (nothing goes cold meanwhile). */
  get held(): boolean {
    return this.holds > 0;
  }

  /**
   * Drops the record from memory, keeping its summary, when it is on disk exactly as in memory
   * (no write pending or running, nothing beside it) and nothing holds the records. Its backup
   * is rolled to the file first unless it holds it already or the record is unchanged since read
   * back (a cold record's backup is never rolled later), and its write state goes once that ends.
   * False when the record stays.
   */
  evict(key: string): boolean {
    const record = this.records[key];
    const state = this.states.get(key);
    if (!this.summarize || this.holds > 0 || record === undefined || this.extras.has(key)) return false;
    if (this.pins.has(key)) return false;
    if (!state || !idle(state) || state.durableDigest === undefined) return false;
    if (digest(this.textOf(key, record)) !== state.durableDigest) return false;
    const current = state.durableDigest;
    // A record going cold for room (`limitHot`) comes back: a backup rolled within the interval is
    // as current as in memory. A finished game never comes back, so its backup rolls to the end.
    const recent =
      this.hotLimit !== Number.POSITIVE_INFINITY &&
      state.backupAt !== undefined &&
      this.now() - state.backupAt < this.options.backupIntervalMs;
    const backedUp = recent || this.readBack.get(state) === current || this.rolled.get(state) === current;
    this.cold.set(key, this.summarize(record));
    delete this.records[key];
    const drop = () => {
      if (!this.cold.has(key) || this.states.get(key) !== state || !idle(state)) return;
      this.states.delete(key);
      if (state.backupAt !== undefined) this.backedUpAt.set(key, state.backupAt);
    };
    const rolling = backedUp ? state.backingUp : this.backupKey(key, state);
    if (rolling) void rolling.then(drop, drop);
    else drop();
    return true;
  }

  /**
   * Runs `fn` with the cold records that `which` picks (all without it) back in memory, read from
   * their files; they stay in memory until the caller evicts them again after the last hold ends.
   * A file that cannot be read or fails validation rejects (a record is never taken as missing).
   */
  async withHydrated<R>(
    fn: () => R | Promise<R>,
    which?: (key: string, summary: unknown) => boolean,
  ): Promise<R> {
    this.holds++;
    try {
      await this.hydrate(which);
      return await fn();
    } finally {
      this.holds--;
      this.trim();
    }
  }

  private async hydrate(which?: (key: string, summary: unknown) => boolean): Promise<void> {
    const keys = [...this.cold].filter(([key, summary]) => !which || which(key, summary)).map(([k]) => k);
    const read = pLimit(8);
    await Promise.all(keys.map((key) => read(() => this.hydrateKey(key))));
  }

  private async hydrateKey(key: string): Promise<void> {
    const file = this.fileFor(key);
    let loaded: Record<string, unknown>;
    try {
      const parsed = this.spec.schema.safeParse(JSON.parse(await readFile(file, 'utf8')));
      if (!parsed.success) throw new Error(describeIssues(parsed.error));
      loaded = parsed.data;
    } catch (error) {
      throw new StoreError(
        'corrupt',
        `The file ${file} of ${this.spec.what} kept on disk cannot be read back: ${(error as Error).message}`,
      );
    }
    // Read twice at once, or set anew meanwhile: the record in memory wins.
    if (!this.cold.has(key)) return;
    this.cold.delete(key);
    if (this.records[key] !== undefined) return;
    const { version: _, [this.spec.entry]: record, ...extra } = loaded;
    this.records[key] = record as V;
    this.setExtra(key, extra);
    // What is on disk, as memory serialises it (the file may order its fields otherwise).
    const state = this.stateOf(key);
    state.durableDigest = digest(this.textOf(key, record as V));
    this.readBack.set(state, state.durableDigest);
    state.backupAt ??= this.backedUpAt.get(key);
    this.backedUpAt.delete(key);
  }

  private textOf(key: string, record: V): string {
    return this.compose(JSON.stringify(record), this.extras.get(key), this.journals.get(key));
  }

  /** A record's file: `{ version: 1, [entry]: record, ...extra, journal }`. */
  private compose(
    recordText: string,
    extra: Record<string, unknown> | undefined,
    journal: JournalRef | undefined,
  ): string {
    const rest = JSON.stringify({ ...extra, ...(journal && this.spec.journal ? { journal } : {}) });
    return `{"version":1,${JSON.stringify(this.spec.entry)}:${recordText}${rest === '{}' ? '}' : `,${rest.slice(1)}`}`;
  }
}

function parsedProblem(schema: z.ZodType, text: string): string | undefined {
  try {
    return checkKeyedFile(schema, JSON.parse(text));
  } catch (error) {
    return `not JSON: ${(error as Error).message}`;
  }
}

/** Enough to tell whether a record differs from its file (a collision is not a practical concern). */
function digest(text: string): string {
  return createHash('sha1').update(text).digest('base64');
}

/**
 * No change of the record waits to be written or is being written (its write loop may still be
 * rolling the backup: that reads the file, not memory).
 */
function idle(state: KeyState): boolean {
  return !state.scheduled && state.waiters.length === 0 && state.applied === state.durable;
}

function settle(state: KeyState, gen: number, error: unknown): void {
  const done = state.waiters.filter((w) => w.gen <= gen);
  state.waiters = state.waiters.filter((w) => w.gen > gen);
  for (const waiter of done) {
    if (error === undefined) waiter.resolve();
    else waiter.reject(error);
  }
}

function closedError(): StoreError {
  return new StoreError('closed', 'The store is closed: the bot is shutting down.');
}
