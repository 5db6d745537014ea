import type { Data } from './types.ts';

export const SCHEMA_VERSION = 1;

export function emptyData(): Data {
  return { schemaVersion: SCHEMA_VERSION, settings: {}, claims: {} };
}
