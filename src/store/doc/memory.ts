import { writeFailed } from '../errors.ts';
import type { WriteHealth } from '../health.ts';
import { isThenable, type KeyedDoc, notSynchronous } from './doc.ts';

/**
 * Write failures injected into memory documents, for tests: while failing, every update is undone
 * and rejected exactly as a document file whose write failed (a full disk) does.
 */
export class WriteFaults {
  private error: Error | undefined;
  private only: ReadonlySet<string> | undefined;

  /** Fails every write from now on, or only those of the named feature documents. */
  fail(
    error: Error = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }),
    only?: readonly string[],
  ): void {
    this.error = error;
    this.only = only && new Set(only);
  }

  recover(): void {
    this.error = undefined;
    this.only = undefined;
  }

  /** The error a write of document `name` fails with now, if it fails. */
  failure(name: string): Error | undefined {
    return this.only && !this.only.has(name) ? undefined : this.error;
  }
}

/** A document kept in memory: for tests and the throwaway playground. */
export class MemoryDoc<T> implements KeyedDoc<T> {
  /** Counts updates, so tests can check that a command changed (or did not change) state. */
  updates = 0;

  constructor(
    private data: T,
    private readonly options: { name?: string; faults?: WriteFaults; health?: WriteHealth } = {},
  ) {}

  read(): T {
    return this.data;
  }

  async update<R>(fn: (data: T) => R): Promise<R> {
    const failure = this.options.faults?.failure(this.options.name ?? '');
    const before = failure ? structuredClone(this.data) : undefined;
    const result = fn(this.data);
    if (isThenable(result)) throw notSynchronous();
    if (failure) {
      this.data = before as T;
      this.options.health?.failed(failure);
      throw writeFailed('memory', failure);
    }
    this.options.health?.succeeded();
    this.updates++;
    return result;
  }

  /** One document in memory: a scoped change is any change. */
  updateKey<R>(_key: string, fn: (data: T) => R): Promise<R> {
    return this.update(fn);
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {}
}
