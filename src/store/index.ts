/**
 * Storage by feature: the repositories of ports.ts on lowdb files (`openFileStorage`), in memory
 * (`memoryStorage`, for tests and the playground) or on PostgreSQL.
 */
export { type DocStorage, memoryStorage } from './doc/index.ts';
export { isTemporaryStoreFailure, StoreError } from './errors.ts';
export { monthPeriod } from './keys.ts';
export {
  backupPathFor,
  DEFAULT_DATA_FILE,
  featureFileFor,
  type OpenStoreOptions,
  openFileStorage,
} from './open.ts';
export { openStorage } from './open-storage.ts';
export type * from './ports.ts';
export { defaultStudyProfile } from './ports.ts';
export { DEFAULT_RETENTION, type RetentionPolicy } from './retention.ts';
export type * from './schema.ts';
