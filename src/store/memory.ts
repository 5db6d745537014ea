import type { Data, Store } from './types.ts';
import { emptyData } from './data.ts';

/** A store that keeps everything in memory: for tests and the throwaway playground. */
export class MemoryStore implements Store {
  private data: Data;

  constructor(initial?: Data) {
    this.data = initial ?? emptyData();
  }

  read(): Readonly<Data> {
    return this.data;
  }

  async update<T>(fn: (data: Data) => T): Promise<T> {
    return fn(this.data);
  }

  async claim(key: string, value?: string): Promise<boolean> {
    if (this.data.claims[key]) return false;
    this.data.claims[key] = { at: new Date().toISOString(), value };
    return true;
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {}
}
