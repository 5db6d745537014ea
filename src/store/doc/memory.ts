import { type Doc, isThenable, notSynchronous } from './doc.ts';

/** A document kept in memory: for tests and the throwaway playground. */
export class MemoryDoc<T> implements Doc<T> {
  /** Counts updates, so tests can check that a command changed (or did not change) state. */
  updates = 0;

  constructor(private data: T) {}

  read(): T {
    return this.data;
  }

  async update<R>(fn: (data: T) => R): Promise<R> {
    const result = fn(this.data);
    if (isThenable(result)) throw notSynchronous();
    this.updates++;
    return result;
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {}
}
