import { SCHEMA_VERSION } from './data.ts';

type Json = Record<string, unknown>;

/**
 * `MIGRATIONS[n]` turns a version-n file into version n+1. Migrations work on plain JSON (the old
 * shape is not a type any more) and must keep every field they do not understand.
 */
export const MIGRATIONS: Record<number, (data: Json) => Json> = {
  // 1 -> 2: subscriptions, deliveries, quiz sessions and results, scores and study records.
  1: (data) => ({
    subscriptions: {},
    deliveries: {},
    quizSessions: {},
    quizResults: {},
    scores: {},
    study: {},
    ...data,
    settings: data.settings ?? {},
    claims: data.claims ?? {},
    schemaVersion: 2,
  }),
  // 2 -> 3: workspaces the bot was removed from, whose data is deleted after a grace period.
  2: (data) => ({
    ...data,
    removedWorkspaces: data.removedWorkspaces ?? {},
    schemaVersion: 3,
  }),
  // 3 -> 4: weekly quiz nights.
  3: (data) => ({
    ...data,
    quizNights: data.quizNights ?? {},
    schemaVersion: 4,
  }),
};

/** Applies migrations from `data.schemaVersion` up to the current version; throws if a step is missing. */
export function migrate(data: Json, from: number): Json {
  let current = data;
  for (let version = from; version < SCHEMA_VERSION; version++) {
    const step = MIGRATIONS[version];
    if (!step) throw new Error(`no migration from schema version ${version} to ${version + 1}`);
    current = step(current);
    current.schemaVersion = version + 1;
  }
  return current;
}
