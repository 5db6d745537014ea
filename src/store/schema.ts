/**
 * The data file's shape, checked on open and before a backup is rolled. Objects are loose: fields a
 * feature adds later are kept, not stripped, so validation never loses data.
 */
import { z } from 'zod';
import type { Data } from './types.ts';

const text = z.string();
const platform = z.enum(['discord', 'slack', 'console']);
const channel = z.looseObject({ platform, workspaceId: text, channelId: text });
const user = z.looseObject({ id: text, displayName: text });

const settings = z.looseObject({
  timezone: text.optional(),
  hostRoleId: text.optional(),
  hostRoleName: text.optional(),
  hostUserIds: z.array(text),
  hostNames: z.record(text, text).optional(),
});

const subscription = z.looseObject({
  channel,
  time: z.string().regex(/^\d{2}:\d{2}$/),
  timezone: text,
  days: z.enum(['every', 'weekdays']),
  createdAt: text,
  createdBy: user,
  paused: z.looseObject({ reason: text, at: text, byUser: z.boolean() }).optional(),
});

const delivery = z.looseObject({
  status: z.enum(['pending', 'sent', 'skipped', 'failed']),
  at: text,
  messageId: text.optional(),
  note: text.optional(),
});

const answer = z.looseObject({
  userId: text,
  displayName: text,
  choice: z.number().int(),
  correct: z.boolean(),
  ms: z.number(),
  points: z.number(),
  at: text,
});

const round = z.looseObject({
  questionId: text,
  order: z.array(z.number().int()),
  shownAt: text.optional(),
  endsAt: text.optional(),
  messageId: text.optional(),
  answers: z.record(text, answer),
  revealed: z.boolean().optional(),
});

const mode = z.enum(['race', 'learner']);

const session = z.looseObject({
  id: text,
  channel,
  startedBy: user,
  startedAt: text,
  updatedAt: text,
  mode,
  topic: text.optional(),
  difficulty: text.optional(),
  seconds: z.number(),
  questionIds: z.array(text),
  current: z.number().int(),
  rounds: z.array(round),
  streaks: z.record(text, z.number()),
});

const result = z.looseObject({
  id: text,
  channel,
  startedBy: user,
  startedAt: text,
  endedAt: text,
  mode,
  topic: text.optional(),
  difficulty: text.optional(),
  practice: z.boolean(),
  stopped: z.boolean(),
  rounds: z.array(z.looseObject({ questionId: text, answers: z.array(answer) })),
  players: z.array(
    z.looseObject({
      userId: text,
      displayName: text,
      points: z.number(),
      correct: z.number(),
      answered: z.number(),
      rank: z.number(),
    }),
  ),
});

const scoreBoard = z.looseObject({
  platform,
  workspaceId: text,
  period: text,
  users: z.record(
    text,
    z.looseObject({
      displayName: text,
      points: z.number(),
      games: z.number(),
      correct: z.number(),
      answered: z.number(),
      updatedAt: text,
    }),
  ),
});

const study = z.looseObject({
  platform,
  workspaceId: text,
  userId: text,
  displayName: text,
  games: z.number(),
  practiceGames: z.number(),
  topics: z.record(text, z.looseObject({ answered: z.number(), correct: z.number(), lastAt: text })),
  history: z.array(
    z.looseObject({ questionId: text, correct: z.boolean(), at: text, source: text.optional() }),
  ),
  updatedAt: text,
});

const claim = z.looseObject({ at: text, value: text.optional() });

const quizNight = z.looseObject({
  id: text,
  channel,
  weekday: z.number().int().min(1).max(7),
  time: text,
  timezone: text,
  topic: text.optional(),
  difficulty: text.optional(),
  questions: z.number(),
  seconds: z.number(),
  ping: z.looseObject({ id: text, label: text }).optional(),
  createdAt: text,
  createdBy: user,
  paused: z.looseObject({ reason: text, at: text, byUser: z.boolean() }).optional(),
  runs: z.record(
    text,
    z.looseObject({ reminded: text.optional(), started: text.optional(), skipped: text.optional() }),
  ),
});

export const dataSchema = z.looseObject({
  schemaVersion: z.number().int(),
  settings: z.record(text, settings),
  subscriptions: z.record(text, subscription),
  deliveries: z.record(text, z.record(z.string().regex(/^\d{4}-\d{2}-\d{2}$/), delivery)),
  quizSessions: z.record(text, session),
  quizResults: z.record(text, result),
  scores: z.record(text, scoreBoard),
  study: z.record(text, study),
  claims: z.record(text, claim),
  removedWorkspaces: z.record(text, text),
  quizNights: z.record(text, quizNight),
});

// Keeps the schema in step with the Data type: whatever the schema accepts must be a valid Data.
export type SchemaOutputIsData = z.output<typeof dataSchema> extends Data ? true : never;
export const schemaMatchesData: SchemaOutputIsData = true;

/** Checks parsed JSON against the schema: the data or a short, readable list of what is wrong. */
export function validateData(value: unknown): { ok: true; data: Data } | { ok: false; error: string } {
  const parsed = dataSchema.safeParse(value);
  if (parsed.success) return { ok: true, data: parsed.data as Data };
  const issues = parsed.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`);
  const more = parsed.error.issues.length > 5 ? ` (and ${parsed.error.issues.length - 5} more)` : '';
  return { ok: false, error: `${issues.join('; ')}${more}` };
}
