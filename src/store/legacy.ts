/**
 * The single data file of schema versions 1-4, before storage was split by feature: read, migrated
 * to version 4 in memory, and split into the feature documents on first start.
 */
import { z } from 'zod';
import type { FeatureDocs } from './doc/shapes.ts';
import {
  deliverySchema,
  describeIssues,
  quizNightSchema,
  resultSchema,
  scoreBoardSchema,
  sessionSchema,
  settingsSchema,
  studyRecordSchema,
  subscriptionSchema,
} from './schema.ts';

export const LEGACY_VERSION = 4;

type Json = Record<string, unknown>;

const text = z.string();
const legacySchema = z.object({
  schemaVersion: z.number().int(),
  settings: z.record(text, settingsSchema),
  subscriptions: z.record(text, subscriptionSchema),
  deliveries: z.record(text, z.record(z.string().regex(/^\d{4}-\d{2}-\d{2}$/), deliverySchema)),
  quizSessions: z.record(text, sessionSchema),
  quizResults: z.record(text, resultSchema),
  scores: z.record(text, scoreBoardSchema),
  study: z.record(text, studyRecordSchema),
  removedWorkspaces: z.record(text, text),
  quizNights: z.record(text, quizNightSchema),
});
export type LegacyData = z.infer<typeof legacySchema>;

/**
 * `MIGRATIONS[n]` turns a version-n file into version n+1. Migrations work on plain JSON (the old
 * shape is not a type any more). Fields no schema declares are not carried into the feature files;
 * the original file is kept beside them byte for byte.
 */
const MIGRATIONS: Record<number, (data: Json) => Json> = {
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
  }),
  // 2 -> 3: workspaces the bot was removed from, whose data is deleted after a grace period.
  2: (data) => ({ ...data, removedWorkspaces: data.removedWorkspaces ?? {} }),
  // 3 -> 4: weekly quiz nights.
  3: (data) => ({ ...data, quizNights: data.quizNights ?? {} }),
};

/** Applies migrations from `from` up to version 4; throws if a step is missing. */
export function migrateLegacy(data: Json, from: number): Json {
  let current = data;
  for (let version = from; version < LEGACY_VERSION; version++) {
    const step = MIGRATIONS[version];
    if (!step) throw new Error(`no migration from schema version ${version} to ${version + 1}`);
    current = { ...step(current), schemaVersion: version + 1 };
  }
  return current;
}

export function parseLegacy(value: unknown): { ok: true; data: LegacyData } | { ok: false; error: string } {
  const parsed = legacySchema.safeParse(value);
  return parsed.success
    ? { ok: true, data: parsed.data }
    : { ok: false, error: describeIssues(parsed.error) };
}

/** The feature documents holding what a version-4 file held (its exactly-once claims were unused). */
export function splitLegacy(data: LegacyData): FeatureDocs {
  return {
    settings: { version: 1, settings: data.settings },
    daily: { version: 1, subscriptions: data.subscriptions, deliveries: data.deliveries },
    games: { version: 1, sessions: data.quizSessions },
    results: { version: 1, results: data.quizResults, scores: data.scores, study: data.study },
    nights: { version: 1, nights: data.quizNights },
    study: { version: 1, learners: {} },
    assignments: { version: 1, assignments: {}, progress: {} },
    workspaces: { version: 1, removed: data.removedWorkspaces },
    disputes: { version: 1, disputes: {} },
  };
}
