import { Low } from 'lowdb';
import type { Logger } from '../../core/log.ts';
import { StoreError, writeFailed } from '../errors.ts';
import { writeFileDurable } from '../files.ts';
import type { WriteHealth } from '../health.ts';
import type { DurableJsonFile } from './adapter.ts';
import { type Doc, isThenable, notSynchronous } from './doc.ts';

export interface DocFileOptions<T> {
  adapter: DurableJsonFile<T>;
  data: T;
  log: Logger;
  now: () => Date;
  backupFile: string;
  /** Checks a state before it becomes the backup: an error text, or undefined when it is valid. */
  check: (value: unknown) => string | undefined;
  /** How often the backup rolls forward to the last written state (ms of `now`). */
  backupIntervalMs: number;
  /** Told about every write's outcome (shared by the feature files of one storage). */
  health?: WriteHealth;
}

/** Counters for benchmarks and health checks. */
export interface StoreStats {
  writes: number;
  failedWrites: number;
  bytesWritten: number;
  backups: number;
  lastWriteMs: number;
}

interface Waiter {
  /** The update generation this waiter needs on disk. */
  gen: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * A lowdb document file with group commit. An update changes memory at once and joins the next write;
 * at most one write is in flight, and everything applied while it runs goes out together in the
 * following one. An update's promise resolves only after a write that includes it is on disk.
 * A write that fails undoes every change not yet on disk and rejects each of them ('write-failed'),
 * so memory never holds what callers were told was not saved.
 */
export class DocFile<T> implements Doc<T> {
  private readonly db: Low<T>;
  private readonly adapter: DurableJsonFile<T>;
  private readonly log: Logger;
  private readonly now: () => Date;
  /** Generation of the last change applied in memory, and of the last one known durable. */
  private applied = 0;
  private durable = 0;
  private waiters: Waiter[] = [];
  private writing = false;
  private scheduled = false;
  private closed = false;
  private closing: Promise<void> | undefined;
  private lastBackupAt: number;
  /** The JSON of the state last known on disk (or loaded): memory returns to it when a write fails. */
  private durableText: string;
  readonly stats: StoreStats = { writes: 0, failedWrites: 0, bytesWritten: 0, backups: 0, lastWriteMs: 0 };

  constructor(private readonly options: DocFileOptions<T>) {
    this.adapter = options.adapter;
    this.db = new Low<T>(options.adapter, options.data);
    this.log = options.log;
    this.now = options.now;
    this.lastBackupAt = this.now().getTime();
    this.durableText = JSON.stringify(options.data);
  }

  get file(): string {
    return this.adapter.file;
  }

  read(): T {
    return this.db.data;
  }

  update<R>(fn: (data: T) => R): Promise<R> {
    if (this.closed) return Promise.reject(closedError());
    let result: R;
    try {
      result = fn(this.db.data);
    } catch (error) {
      return Promise.reject(error);
    }
    if (isThenable(result)) return Promise.reject(notSynchronous());
    return this.waitDurable(++this.applied).then(() => result);
  }

  flush(): Promise<void> {
    if (this.durable >= this.applied && !this.writing) return Promise.resolve();
    return this.waitDurable(this.applied);
  }

  /** Flushes and rolls the backup to the final state. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.closed = true;
    await this.flush();
    await this.backup();
  }

  /** Forces the backup to roll now (used on open and close). */
  async backup(): Promise<void> {
    const text = this.adapter.lastText;
    if (text === undefined) return;
    const problem = this.options.check(JSON.parse(text));
    if (problem) {
      // Never replace the last good backup with a state that would not load.
      this.log.error(
        { file: this.adapter.file, problem },
        'not rolling the backup: the current state fails validation',
      );
      return;
    }
    try {
      await writeFileDurable(this.options.backupFile, text);
      this.lastBackupAt = this.now().getTime();
      this.stats.backups++;
    } catch (error) {
      this.log.error(
        { err: error, backup: this.options.backupFile },
        'could not write the backup of the data file',
      );
    }
  }

  private waitDurable(gen: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ gen, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.writing || this.scheduled) return;
    this.scheduled = true;
    // A microtask, not a timer: every update of the current synchronous burst joins this write,
    // and fake timers in tests cannot stall the store.
    queueMicrotask(() => void this.drain());
  }

  private async drain(): Promise<void> {
    this.scheduled = false;
    if (this.writing) return;
    this.writing = true;
    try {
      while (this.waiters.length > 0) {
        if (this.durable >= this.applied) {
          this.settle(this.applied, undefined);
          continue;
        }
        const gen = this.applied;
        const started = performance.now();
        try {
          await this.db.write(); // the JSON snapshot is taken synchronously here
          this.durable = gen;
          this.durableText = this.adapter.lastText ?? this.durableText;
          this.stats.writes++;
          this.stats.bytesWritten = this.adapter.bytesWritten;
          this.stats.lastWriteMs = performance.now() - started;
          this.options.health?.succeeded();
          this.settle(gen, undefined);
        } catch (error) {
          this.stats.failedWrites++;
          this.options.health?.failed(error);
          this.log.error(
            { err: error, file: this.adapter.file },
            'could not write the data file; the changes not yet on disk are undone and refused',
          );
          // Changes applied while this write ran were made on top of the failed ones: they go too.
          this.db.data = JSON.parse(this.durableText) as T;
          this.applied = this.durable;
          this.settle(Number.POSITIVE_INFINITY, writeFailed(this.adapter.file, error));
        }
        if (this.now().getTime() - this.lastBackupAt >= this.options.backupIntervalMs) await this.backup();
      }
    } finally {
      this.writing = false;
    }
  }

  private settle(gen: number, error: unknown): void {
    const done = this.waiters.filter((w) => w.gen <= gen);
    this.waiters = this.waiters.filter((w) => w.gen > gen);
    for (const waiter of done) {
      if (error === undefined) waiter.resolve();
      else waiter.reject(error);
    }
  }
}

function closedError(): StoreError {
  return new StoreError('closed', 'The store is closed: the bot is shutting down.');
}
