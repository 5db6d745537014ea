/**
 * What thawbot stores, declared once: the zod schemas check what is read back (a feature file, a
 * legacy data file, a row's JSON), and every stored type is inferred from them.
 */
import { z } from 'zod';

const text = z.string();
export const platformSchema = z.enum(['discord', 'slack', 'console']);
export const channelSchema = z.object({ platform: platformSchema, workspaceId: text, channelId: text });
export const userSchema = z.object({ id: text, displayName: text });
const paused = z.object({ reason: text, at: text, byUser: z.boolean() });

/** Per-workspace settings. */
export const settingsSchema = z.object({
  /** Default IANA time zone for daily posts and dates. */
  timezone: text.optional(),
  /** Discord: members with this role are hosts. */
  hostRoleId: text.optional(),
  hostRoleName: text.optional(),
  /** Hosts named one by one (user ids), on any platform. */
  hostUserIds: z.array(text),
  /** Display names for the host list, by user id. */
  hostNames: z.record(text, text).optional(),
  /**
   * Questions taken out of this workspace (an accepted dispute), by question id: quizzes, reviews
   * and assignments here no longer ask them.
   */
  hiddenQuestions: z.record(text, z.object({ at: text, disputeId: text.optional() })).optional(),
});

/** A daily "on this day" subscription of one channel. */
export const subscriptionSchema = z.object({
  channel: channelSchema,
  /** Local time of day, "HH:MM". */
  time: z.string().regex(/^\d{2}:\d{2}$/),
  /** IANA zone the time is in. */
  timezone: text,
  days: z.enum(['every', 'weekdays']),
  createdAt: text,
  createdBy: userSchema,
  /** Set while the subscription does not fire, with the reason shown in `/daily status`. */
  paused: paused.optional(),
});

export const deliveryStatusSchema = z.enum(['pending', 'sent', 'skipped', 'failed']);

/** What happened to one channel's post for one local date. */
export const deliverySchema = z.object({
  status: deliveryStatusSchema,
  /** When the status last changed (ISO). */
  at: text,
  /** The posted message (Discord message id, Slack `ts`), once sent. */
  messageId: text.optional(),
  /** Why a delivery was skipped or failed. */
  note: text.optional(),
});

/** One player's answer to one question. */
export const answerSchema = z.object({
  userId: text,
  displayName: text,
  /** Index of the option chosen, as shown (0-3 for A-D). */
  choice: z.number().int(),
  correct: z.boolean(),
  /** Milliseconds from the question being shown to the answer. */
  ms: z.number(),
  points: z.number(),
  /** When the answer arrived (ISO). */
  at: text,
});

/** One question of a game as asked: the shuffled option order and every first answer. */
export const roundSchema = z.object({
  questionId: text,
  /** Indexes into `[correct, ...wrong]`, in the order shown as A-D. */
  order: z.array(z.number().int()),
  shownAt: text.optional(),
  endsAt: text.optional(),
  /** The message carrying the question, to edit live counts. */
  messageId: text.optional(),
  /** First answers by user id: later clicks by the same person do not count. */
  answers: z.record(text, answerSchema),
  revealed: z.boolean().optional(),
});

export const quizModeSchema = z.enum(['race', 'learner']);

/** A game in progress (one per channel). */
export const sessionSchema = z.object({
  id: text,
  channel: channelSchema,
  startedBy: userSchema,
  startedAt: text,
  /** Last change of the game (ISO); games idle far longer than any game lasts are pruned. */
  updatedAt: text,
  mode: quizModeSchema,
  topic: text.optional(),
  difficulty: text.optional(),
  seconds: z.number(),
  /** Every question planned for the game, in order. */
  questionIds: z.array(text),
  /** Index into `questionIds` of the current question. */
  current: z.number().int(),
  /** Questions asked so far, the current one last. */
  rounds: z.array(roundSchema),
  /** Correct answers in a row, by user id. */
  streaks: z.record(text, z.number()),
});

export const playerResultSchema = z.object({
  userId: text,
  displayName: text,
  points: z.number(),
  correct: z.number(),
  answered: z.number(),
  rank: z.number(),
});

/** A finished game. */
export const resultSchema = z.object({
  id: text,
  channel: channelSchema,
  startedBy: userSchema,
  startedAt: text,
  endedAt: text,
  mode: quizModeSchema,
  topic: text.optional(),
  difficulty: text.optional(),
  /** A game with a single player: counts in the player's record, not in the leaderboard. */
  practice: z.boolean(),
  /** Ended by `/quiz stop` (or a shutdown) before the last question. */
  stopped: z.boolean(),
  rounds: z.array(z.object({ questionId: text, answers: z.array(answerSchema) })),
  players: z.array(playerResultSchema),
});

export const scoreEntrySchema = z.object({
  displayName: text,
  points: z.number(),
  games: z.number(),
  correct: z.number(),
  answered: z.number(),
  updatedAt: text,
});

/** Leaderboard totals for one workspace and period ("all" or a UTC month "YYYY-MM"). */
export const scoreBoardSchema = z.object({
  platform: platformSchema,
  workspaceId: text,
  period: text,
  /** By user id. */
  users: z.record(text, scoreEntrySchema),
});

export const topicStatsSchema = z.object({ answered: z.number(), correct: z.number(), lastAt: text });

/** One answered question in a user's study history. */
export const studyEntrySchema = z.object({
  questionId: text,
  correct: z.boolean(),
  at: text,
  /** Where it was answered: a game, a daily "quiz me", a review. */
  source: text.optional(),
});

/** A user's own record in one workspace. */
export const studyRecordSchema = z.object({
  platform: platformSchema,
  workspaceId: text,
  userId: text,
  displayName: text,
  games: z.number(),
  practiceGames: z.number(),
  /** Accuracy by topic id. */
  topics: z.record(text, topicStatsSchema),
  /** Recent answers, oldest first; trimmed by retention (age and count). */
  history: z.array(studyEntrySchema),
  updatedAt: text,
});

/** What happened to one weekly quiz night on one local date: each step, when (ISO) or why it was skipped. */
export const quizNightRunSchema = z.object({
  reminded: text.optional(),
  started: text.optional(),
  skipped: text.optional(),
});

/** A weekly quiz night. */
export const quizNightSchema = z.object({
  id: text,
  channel: channelSchema,
  /** 1 = Monday ... 7 = Sunday. */
  weekday: z.number().int().min(1).max(7),
  /** Local start time, "HH:MM". */
  time: text,
  timezone: text,
  topic: text.optional(),
  difficulty: text.optional(),
  questions: z.number(),
  seconds: z.number(),
  /** The one role (Discord) or user group (Slack) the reminder may ping. */
  ping: z.object({ id: text, label: text }).optional(),
  createdAt: text,
  createdBy: userSchema,
  paused: paused.optional(),
  /** Recent runs by local date "YYYY-MM-DD". */
  runs: z.record(text, quizNightRunSchema),
});

/** Where an answer that updated a review card was given. */
export const studySourceSchema = z.enum(['quiz', 'learn', 'review', 'assignment']);

/** One question in a learner's review deck: the FSRS card fields (ts-fsrs `Card`), dates as ISO text. */
export const studyCardSchema = z.object({
  questionId: text,
  /** When the card is next due (ISO). */
  due: text,
  stability: z.number(),
  difficulty: z.number(),
  elapsedDays: z.number(),
  scheduledDays: z.number(),
  learningSteps: z.number().int(),
  reps: z.number().int(),
  lapses: z.number().int(),
  state: z.enum(['new', 'learning', 'review', 'relearning']),
  lastReview: text.optional(),
  /** When the question entered the deck, and through what (a review's new card counts towards the daily cap). */
  addedAt: text,
  addedBy: studySourceSchema,
});

/** One answer or self-grade that updated a card: the 30-day line, the streak and the FSRS history. */
export const studyLogEntrySchema = z.object({
  questionId: text,
  at: text,
  /** FSRS grade: 1 Again, 2 Hard, 3 Good, 4 Easy. */
  rating: z.number().int().min(1).max(4),
  correct: z.boolean(),
  source: studySourceSchema,
});

/** A learner's private daily review reminder, at a local time. */
export const studyReminderSchema = z.object({
  time: z.string().regex(/^\d{2}:\d{2}$/),
  timezone: text,
  /** Set when reminders cannot be delivered (DMs blocked), with the reason shown in `/progress`. */
  paused: z.object({ reason: text, at: text }).optional(),
});

/** A learner's own settings for review in one workspace. */
export const studyProfileSchema = z.object({
  /** New cards a day drawn from `topics` (default 5). */
  newPerDay: z.number().int().min(0),
  /** Topics the learner played or opened with /learn, the source of new cards, first noted first. */
  topics: z.array(text),
  reminder: studyReminderSchema.optional(),
});

/** Everything one learner stores in one workspace (document engine and transfer format). */
export const learnerSchema = z.object({
  platform: platformSchema,
  workspaceId: text,
  userId: text,
  profile: studyProfileSchema,
  /** Cards by question id. */
  cards: z.record(text, studyCardSchema),
  /** Answers, oldest first; trimmed by retention (`reviewLogDays`). */
  log: z.array(studyLogEntrySchema),
  /** Reminder claims by local date "YYYY-MM-DD": when the claim was made (ISO). */
  reminded: z.record(text, text),
});

export type WorkspaceSettings = z.infer<typeof settingsSchema>;
export type StoredUser = z.infer<typeof userSchema>;
export type Subscription = z.infer<typeof subscriptionSchema>;
export type DeliveryStatus = z.infer<typeof deliveryStatusSchema>;
export type Delivery = z.infer<typeof deliverySchema>;
export type QuizAnswer = z.infer<typeof answerSchema>;
export type QuizRound = z.infer<typeof roundSchema>;
export type QuizMode = z.infer<typeof quizModeSchema>;
export type QuizSession = z.infer<typeof sessionSchema>;
export type QuizPlayerResult = z.infer<typeof playerResultSchema>;
export type QuizResult = z.infer<typeof resultSchema>;
export type ScoreEntry = z.infer<typeof scoreEntrySchema>;
export type ScoreBoard = z.infer<typeof scoreBoardSchema>;
export type TopicStats = z.infer<typeof topicStatsSchema>;
export type StudyEntry = z.infer<typeof studyEntrySchema>;
export type StudyRecord = z.infer<typeof studyRecordSchema>;
export type QuizNightRun = z.infer<typeof quizNightRunSchema>;
export type QuizNight = z.infer<typeof quizNightSchema>;

export type StudySource = z.infer<typeof studySourceSchema>;
export type StudyCard = z.infer<typeof studyCardSchema>;
export type StudyLogEntry = z.infer<typeof studyLogEntrySchema>;
export type StudyReminder = z.infer<typeof studyReminderSchema>;
export type StudyProfile = z.infer<typeof studyProfileSchema>;
export type Learner = z.infer<typeof learnerSchema>;

/** A short, readable list of what is wrong with a value that failed a schema. */
export function describeIssues(error: z.ZodError): string {
  const issues = error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`);
  const more = error.issues.length > 5 ? ` (and ${error.issues.length - 5} more)` : '';
  return `${issues.join('; ')}${more}`;
}

/** Why a learner reported a question. */
export const disputeReasonSchema = z.enum(['wrong-answer', 'ambiguous', 'source', 'typo', 'other']);

/**
 * A learner's report of a problem with a question, in one workspace. Open until a host accepts it
 * (the question is hidden there) or rejects it (with a note); the reporter is told once. A
 * reporter who asks to be forgotten leaves the report anonymised: no user id, no name.
 */
export const disputeSchema = z.object({
  id: text,
  platform: platformSchema,
  workspaceId: text,
  channelId: text,
  questionId: text,
  reason: disputeReasonSchema,
  /** Plain text, control characters removed, at most 500 characters. */
  text: z.string().max(2000),
  userId: text.optional(),
  userName: text.optional(),
  createdAt: text,
  status: z.enum(['open', 'accepted', 'rejected']),
  closedAt: text.optional(),
  /** The host's note when rejecting. */
  note: text.optional(),
  /** When the reporter was shown the outcome (in `/progress`). */
  seenAt: text.optional(),
});

export type DisputeReason = z.infer<typeof disputeReasonSchema>;
export type Dispute = z.infer<typeof disputeSchema>;
