import type { Data } from './types.ts';

/** The schema version this code reads and writes. Bump it with a migration in migrations.ts. */
export const SCHEMA_VERSION = 4;

export function emptyData(): Data {
  return {
    schemaVersion: SCHEMA_VERSION,
    settings: {},
    subscriptions: {},
    deliveries: {},
    quizSessions: {},
    quizResults: {},
    scores: {},
    study: {},
    claims: {},
    removedWorkspaces: {},
    quizNights: {},
  };
}
