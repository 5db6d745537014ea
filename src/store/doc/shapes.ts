/**
 * The document engine's feature files: one JSON document per feature, so a write touches only its
 * feature (a quiz answer never re-serialises subscriptions). Each file carries its own version.
 */
import { z } from 'zod';
import { assignmentProgressSchema, assignmentSchema } from '../assignment-schema.ts';
import {
  deliverySchema,
  disputeSchema,
  learnerSchema,
  quizNightSchema,
  resultSchema,
  scoreBoardSchema,
  sessionSchema,
  settingsSchema,
  studyRecordSchema,
  subscriptionSchema,
} from '../schema.ts';

const version = z.literal(1);
const text = z.string();

export const featureSchemas = {
  /** Settings by `platform:workspaceId`. */
  settings: z.object({ version, settings: z.record(text, settingsSchema) }),
  /** Subscriptions by `channelKey`, and their deliveries by channel key, then local date. */
  daily: z.object({
    version,
    subscriptions: z.record(text, subscriptionSchema),
    deliveries: z.record(text, z.record(z.string().regex(/^\d{4}-\d{2}-\d{2}$/), deliverySchema)),
  }),
  /** Running games by `channelKey`. */
  games: z.object({ version, sessions: z.record(text, sessionSchema) }),
  /** Finished games by `channelKey:gameId`, leaderboards by `platform:workspace:period`, players by `platform:workspace:userId`. */
  results: z.object({
    version,
    results: z.record(text, resultSchema),
    scores: z.record(text, scoreBoardSchema),
    study: z.record(text, studyRecordSchema),
  }),
  /** Weekly quiz nights by `channelKey:id`. */
  nights: z.object({ version, nights: z.record(text, quizNightSchema) }),
  /** Review decks, logs, profiles and reminder claims, by learner `platform:workspaceId:userId`. */
  study: z.object({ version, learners: z.record(text, learnerSchema) }),
  /** Assignments by `platform:workspace:id`, learners' progress by `platform:workspace:id:userId`. */
  assignments: z.object({
    version,
    assignments: z.record(text, assignmentSchema),
    progress: z.record(text, assignmentProgressSchema),
  }),
  /** When the bot was removed from a workspace, by `platform:workspaceId`. */
  workspaces: z.object({ version, removed: z.record(text, text) }),
  /** Reports of problems with questions, by `platform:workspaceId:reportId`. */
  disputes: z.object({ version, disputes: z.record(text, disputeSchema) }),
};

export type Feature = keyof typeof featureSchemas;
export const FEATURES = Object.keys(featureSchemas) as Feature[];
export type FeatureDocs = { [F in Feature]: z.infer<(typeof featureSchemas)[F]> };

export function emptyDocs(): FeatureDocs {
  return {
    settings: { version: 1, settings: {} },
    daily: { version: 1, subscriptions: {}, deliveries: {} },
    games: { version: 1, sessions: {} },
    results: { version: 1, results: {}, scores: {}, study: {} },
    nights: { version: 1, nights: {} },
    study: { version: 1, learners: {} },
    assignments: { version: 1, assignments: {}, progress: {} },
    workspaces: { version: 1, removed: {} },
    disputes: { version: 1, disputes: {} },
  };
}
