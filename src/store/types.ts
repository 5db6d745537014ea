/**
 * The one persistence contract every stateful feature uses. No storage library types here:
 * lowdb lives behind `LowStore` (src/store/low.ts), tests use `MemoryStore`.
 *
 * Every collection is a plain record whose keys start with `platform:workspaceId`, so two servers'
 * data never mix and a deployment can later partition the store by workspace. Key builders live in
 * src/store/keys.ts. Records may carry extra fields: validation keeps what it does not know.
 */
import type { ChannelRef, Platform } from '../core/platform.ts';

/** Per-workspace settings, keyed by `platform:workspaceId` (`workspaceKey`). */
export interface WorkspaceSettings {
  /** Default IANA time zone for daily posts and dates. */
  timezone?: string;
  /** Discord: members with this role are hosts. */
  hostRoleId?: string;
  hostRoleName?: string;
  /** Hosts named one by one (user ids), on any platform. */
  hostUserIds: string[];
  /** Display names for the host list, by user id. */
  hostNames?: Record<string, string>;
}

/** A user as stored: the id is what counts, the name is a plain-text label for display. */
export interface StoredUser {
  id: string;
  displayName: string;
}

/** A daily "on this day" subscription, keyed by `channelKey`. */
export interface Subscription {
  channel: ChannelRef;
  /** Local time of day, "HH:MM". */
  time: string;
  /** IANA zone the time is in. */
  timezone: string;
  days: 'every' | 'weekdays';
  createdAt: string;
  createdBy: StoredUser;
  /** Set while the subscription does not fire, with the reason shown in `/daily status`. */
  paused?: { reason: string; at: string; byUser: boolean };
}

export type DeliveryStatus = 'pending' | 'sent' | 'skipped' | 'failed';

/** What happened to one channel's post for one local date. */
export interface Delivery {
  status: DeliveryStatus;
  /** When the status last changed (ISO). */
  at: string;
  /** The posted message (Discord message id, Slack `ts`), once sent. */
  messageId?: string;
  /** Why a delivery was skipped or failed. */
  note?: string;
}

/** One player's answer to one question. */
export interface QuizAnswer {
  userId: string;
  displayName: string;
  /** Index of the option chosen, as shown (0-3 for A-D). */
  choice: number;
  correct: boolean;
  /** Milliseconds from the question being shown to the answer. */
  ms: number;
  points: number;
  /** When the answer arrived (ISO). */
  at: string;
}

/** One question of a game as asked: the shuffled option order and every first answer. */
export interface QuizRound {
  questionId: string;
  /** Indexes into `[correct, ...wrong]`, in the order shown as A-D. */
  order: number[];
  /** When the question was (last) shown and when its time ends (ISO). */
  shownAt?: string;
  endsAt?: string;
  /** The message carrying the question, to edit live counts. */
  messageId?: string;
  /** First answers by user id: later clicks by the same person do not count. */
  answers: Record<string, QuizAnswer>;
  revealed?: boolean;
}

export type QuizMode = 'race' | 'learner';

/** A game in progress, keyed by `channelKey` (one game per channel). */
export interface QuizSession {
  id: string;
  channel: ChannelRef;
  startedBy: StoredUser;
  startedAt: string;
  /** Last change of the game (ISO); games idle far longer than any game lasts are pruned. */
  updatedAt: string;
  mode: QuizMode;
  topic?: string;
  difficulty?: string;
  seconds: number;
  /** Every question planned for the game, in order. */
  questionIds: string[];
  /** Index into `questionIds` of the current question. */
  current: number;
  /** Questions asked so far, the current one last. */
  rounds: QuizRound[];
  /** Correct answers in a row, by user id. */
  streaks: Record<string, number>;
}

export interface QuizPlayerResult {
  userId: string;
  displayName: string;
  points: number;
  correct: number;
  answered: number;
  rank: number;
}

/** A finished game, keyed by `platform:workspaceId:channelId:gameId` (`resultKey`). */
export interface QuizResult {
  id: string;
  channel: ChannelRef;
  startedBy: StoredUser;
  startedAt: string;
  endedAt: string;
  mode: QuizMode;
  topic?: string;
  difficulty?: string;
  /** A game with a single player: counts in the player's record, not in the leaderboard. */
  practice: boolean;
  /** Ended by `/quiz stop` (or a shutdown) before the last question. */
  stopped: boolean;
  rounds: { questionId: string; answers: QuizAnswer[] }[];
  players: QuizPlayerResult[];
}

/** "all" or a calendar month "YYYY-MM" (UTC). */
export type ScorePeriod = string;

export interface ScoreEntry {
  displayName: string;
  points: number;
  games: number;
  correct: number;
  answered: number;
  updatedAt: string;
}

/** Leaderboard totals for one workspace and period, keyed by `platform:workspaceId:period` (`scoreKey`). */
export interface ScoreBoard {
  platform: Platform;
  workspaceId: string;
  period: ScorePeriod;
  /** By user id. */
  users: Record<string, ScoreEntry>;
}

export interface TopicStats {
  answered: number;
  correct: number;
  lastAt: string;
}

/** One answered question in a user's study history. */
export interface StudyEntry {
  questionId: string;
  correct: boolean;
  at: string;
  /** Where it was answered: a game, a daily "quiz me", a review. */
  source?: string;
}

/** A user's own record in one workspace, keyed by `platform:workspaceId:userId` (`userKey`). */
export interface StudyRecord {
  platform: Platform;
  workspaceId: string;
  userId: string;
  displayName: string;
  games: number;
  practiceGames: number;
  /** Accuracy by topic id. */
  topics: Record<string, TopicStats>;
  /** Recent answers, oldest first; trimmed by retention (age and count). */
  history: StudyEntry[];
  updatedAt: string;
}

/** What happened to one weekly quiz night on one local date: each step, when it happened (ISO) or why it was skipped. */
export interface QuizNightRun {
  reminded?: string;
  started?: string;
  skipped?: string;
}

/** A weekly quiz night, keyed by `platform:workspace:channel:id`. */
export interface QuizNight {
  id: string;
  channel: ChannelRef;
  /** 1 = Monday ... 7 = Sunday. */
  weekday: number;
  /** Local start time, "HH:MM". */
  time: string;
  timezone: string;
  topic?: string;
  difficulty?: string;
  questions: number;
  seconds: number;
  /** The one role (Discord) or user group (Slack) the reminder may ping. */
  ping?: { id: string; label: string };
  createdAt: string;
  createdBy: StoredUser;
  paused?: { reason: string; at: string; byUser: boolean };
  /** Recent runs by local date "YYYY-MM-DD". */
  runs: Record<string, QuizNightRun>;
}

/** An exactly-once marker written by `claim`. */
export interface Claim {
  at: string;
  value?: string;
}

/** The whole persisted state. */
export interface Data {
  schemaVersion: number;
  settings: Record<string, WorkspaceSettings>;
  /** Daily-post subscriptions by `channelKey`. */
  subscriptions: Record<string, Subscription>;
  /** Deliveries by `channelKey`, then by local date "YYYY-MM-DD". */
  deliveries: Record<string, Record<string, Delivery>>;
  /** Games in progress by `channelKey`. */
  quizSessions: Record<string, QuizSession>;
  /** Finished games by `resultKey`. */
  quizResults: Record<string, QuizResult>;
  /** Leaderboards by `scoreKey`. */
  scores: Record<string, ScoreBoard>;
  /** Study records by `userKey`. */
  study: Record<string, StudyRecord>;
  /** Exactly-once markers by key; keys start with the workspace key of the work they guard. */
  claims: Record<string, Claim>;
  /**
   * Workspaces the bot was removed from, by `workspaceKey`, with when (ISO). Their data is deleted
   * after a grace period unless the bot is added back (src/store/lifecycle.ts).
   */
  removedWorkspaces: Record<string, string>;
  /** Weekly quiz nights by `platform:workspace:channel:id`. */
  quizNights: Record<string, QuizNight>;
}

export interface Store {
  /** The current in-memory state. Treat it as read-only; change it only through `update`. */
  read(): Readonly<Data>;
  /**
   * Applies `fn` to the state in memory at once and resolves when the change is durable on disk.
   * Updates arriving while a write is in flight are written together in the next write.
   * `fn` must be synchronous and should check before it changes anything: a throw rejects the
   * update, but changes made before the throw stay (memory is not rolled back).
   */
  update<T>(fn: (data: Data) => T): Promise<T>;
  /** Atomic compare-and-set: true (after it is durable) if `key` was unclaimed and is now ours. */
  claim(key: string, value?: string): Promise<boolean>;
  /** Resolves when everything applied so far is on disk. */
  flush(): Promise<void>;
  /** Flushes and releases the data file. */
  close(): Promise<void>;
}
