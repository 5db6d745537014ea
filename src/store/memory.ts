import { emptyData } from './data.ts';
import type { Data, Store } from './types.ts';

/** A store that keeps everything in memory: for tests and the throwaway playground. */
export class MemoryStore implements Store {
  private data: Data;
  /** Counts updates, so tests can check that a command changed (or did not change) state. */
  updates = 0;

  constructor(
    initial?: Data,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.data = initial ?? emptyData();
  }

  read(): Readonly<Data> {
    return this.data;
  }

  async update<T>(fn: (data: Data) => T): Promise<T> {
    const result = fn(this.data);
    if (typeof (result as { then?: unknown } | null)?.then === 'function')
      throw new TypeError('Store.update: the function must be synchronous (it returned a promise)');
    this.updates++;
    return result;
  }

  async claim(key: string, value?: string): Promise<boolean> {
    if (this.data.claims[key]) return false;
    const at = this.now().toISOString();
    this.data.claims[key] = value === undefined ? { at } : { at, value };
    this.updates++;
    return true;
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {}
}
