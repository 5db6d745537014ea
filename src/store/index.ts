/** The store: `openStore` for the data file, `MemoryStore` for tests and the playground. */

export { emptyData, SCHEMA_VERSION } from './data.ts';
export * from './deliveries.ts';
export { StoreError } from './errors.ts';
export * from './keys.ts';
export { LowStore, type StoreStats } from './low.ts';
export { MemoryStore } from './memory.ts';
export { backupPathFor, DEFAULT_DATA_FILE, type OpenStoreOptions, openStore } from './open.ts';
export { DEFAULT_RETENTION, type RetentionPolicy } from './retention.ts';
export type * from './types.ts';
