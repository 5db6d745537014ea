/**
 * The storage port: one repository per feature, each with the few operations that feature needs.
 * Every call is async and resolves once the change is durable, so an engine behind a network fits.
 * Two engines implement it: documents (lowdb files, or memory for tests) and PostgreSQL.
 *
 * Records handed out are copies: changing one changes nothing stored.
 */
import type { ChannelRef, Platform } from '../core/platform.ts';

/** The records the repositories take and give: the port's vocabulary, declared once in schema.ts. */
export type { DisputesRepo } from './disputes-port.ts';
export type {
  Delivery,
  DeliveryStatus,
  Dispute,
  DisputeReason,
  QuizAnswer,
  QuizMode,
  QuizNight,
  QuizNightRun,
  QuizPlayerResult,
  QuizResult,
  QuizRound,
  QuizSession,
  ScoreEntry,
  StoredUser,
  StudyCard,
  StudyLogEntry,
  StudyProfile,
  StudyRecord,
  StudyReminder,
  StudySource,
  Subscription,
  WorkspaceSettings,
} from './schema.ts';

import type { AssignmentsRepo } from './assignments-port.ts';
import type { DisputesRepo } from './disputes-port.ts';

export type {
  Assignment,
  AssignmentAnswer,
  AssignmentLearnerData,
  AssignmentProgress,
  AssignmentsRepo,
} from './assignments-port.ts';

import type { FeatureDocs } from './doc/shapes.ts';
import type { RetentionPolicy } from './retention.ts';
import type {
  Delivery,
  DeliveryStatus,
  QuizAnswer,
  QuizNight,
  QuizNightRun,
  QuizResult,
  QuizSession,
  ScoreEntry,
  StoredUser,
  StudyCard,
  StudyLogEntry,
  StudyProfile,
  StudyRecord,
  StudyReminder,
  Subscription,
  WorkspaceSettings,
} from './schema.ts';

export interface WorkspaceRef {
  platform: Platform;
  workspaceId: string;
}

export interface Paused {
  reason: string;
  at: string;
  byUser: boolean;
}

export interface SettingsRepo {
  get(ws: WorkspaceRef): Promise<WorkspaceSettings | undefined>;
  /**
   * Changes one workspace's settings atomically: `fn` gets the current settings (empty ones if none
   * are stored), may change them in place, and its result is returned. `fn` is synchronous; if it
   * throws, nothing is stored.
   */
  change<T>(ws: WorkspaceRef, fn: (settings: WorkspaceSettings) => T): Promise<T>;
}

/** A subscription with its recent deliveries by local date "YYYY-MM-DD". */
export interface SubscriptionState {
  subscription: Subscription;
  deliveries: Record<string, Delivery>;
}

export interface DailyRepo {
  subscription(channel: ChannelRef): Promise<Subscription | undefined>;
  /** Stores the channel's subscription; true if it replaced one. */
  subscribe(sub: Subscription): Promise<boolean>;
  /** True if there was one to remove. Its deliveries stay until retention removes them. */
  unsubscribe(channel: ChannelRef): Promise<boolean>;
  /** Pauses (with a reason) or resumes (undefined); false if the channel has no subscription. */
  setPaused(channel: ChannelRef, paused: Paused | undefined): Promise<boolean>;
  /** Every subscription, with its deliveries on or after `since` (a local date). */
  subscriptions(since: string): Promise<SubscriptionState[]>;
  delivery(channel: ChannelRef, date: string): Promise<Delivery | undefined>;
  /** The channel's latest deliveries, newest first. */
  deliveries(channel: ChannelRef, limit: number): Promise<{ date: string; delivery: Delivery }[]>;
  /**
   * Claims one channel's post for one local date: true, once durable, if no delivery existed and a
   * pending one is now recorded; false if another run already has it. Exactly one caller wins.
   */
  claimDelivery(channel: ChannelRef, date: string, at: Date): Promise<boolean>;
  /** Records a delivery's new status, keeping the message id and note unless new ones are given. */
  recordDelivery(
    channel: ChannelRef,
    date: string,
    status: DeliveryStatus,
    at: Date,
    extra?: { messageId?: string; note?: string },
  ): Promise<void>;
  /** Deliveries still pending (cut off mid-send), with their subscription when it still exists. */
  pending(): Promise<{ channel: ChannelRef; date: string; subscription?: Subscription }[]>;
}

/**
 * What a repository holds about one person in one workspace. `/privacy my-data` and
 * `/privacy forget-me` gather these from every repository that stores data about a person.
 */
export interface PersonalData {
  /** Everything stored about the person in the workspace, as plain JSON-able data ({} if nothing). */
  learnerData(ws: WorkspaceRef, userId: string): Promise<Record<string, unknown>>;
  /** Deletes (or anonymises, where the repository says so) what it holds; false if nothing was. */
  forgetLearner(ws: WorkspaceRef, userId: string): Promise<boolean>;
}

/** Running quiz games, one per channel, and their answers (one per game, round and user). */
export interface GamesRepo extends PersonalData {
  /** The channel's running game, answers included. */
  get(channel: ChannelRef): Promise<QuizSession | undefined>;
  /**
   * The channel's running game with at least its current round's answers, enough to check one click:
   * earlier rounds' answers may be left out where reading them costs (answers as rows).
   */
  getForAnswer(channel: ChannelRef): Promise<QuizSession | undefined>;
  /**
   * Whether everyone who answered an earlier round of game `gameId` has answered round `round`, as
   * stored now: false when nobody answered an earlier round or the game is gone.
   */
  everyoneAnswered(channel: ChannelRef, gameId: string, round: number): Promise<boolean>;
  all(): Promise<QuizSession[]>;
  /** Stores a new game; false (nothing stored) if the channel already has one. */
  create(session: QuizSession): Promise<boolean>;
  /**
   * Stores the game's new state if it is still the channel's game (same id); answers already
   * recorded are kept whatever `session` holds. False if the game is gone.
   */
  save(session: QuizSession): Promise<boolean>;
  /**
   * Records one answer to round `round` of game `gameId`: false if this user already answered that
   * round, or the game is gone. Exactly one of two concurrent answers by the same user wins.
   */
  recordAnswer(channel: ChannelRef, gameId: string, round: number, answer: QuizAnswer): Promise<boolean>;
  /** Notes the message carrying a round's question (for live edits). */
  setMessageId(channel: ChannelRef, gameId: string, round: number, messageId: string): Promise<void>;
  /** Removes the game if it is still the channel's game; true if it was. */
  remove(channel: ChannelRef, gameId: string): Promise<boolean>;
  /**
   * Engines shared by several processes: stores the game's new state together with the step that
   * produced it ("reveal:2"), once per game. False, with nothing stored, if any process already
   * stored that step or the game is gone. Absent on one-process engines, which use `save`.
   */
  saveStep?(session: QuizSession, step: string): Promise<boolean>;
}

export interface LeaderboardRow extends ScoreEntry {
  userId: string;
}

/** Finished games, leaderboards and each player's own record. */
export interface ResultsRepo extends PersonalData {
  /**
   * Stores a finished game once, atomically with its effects: the leaderboards of its month
   * ("YYYY-MM" of `result.endedAt`, UTC) and of all time (not for practice games), and each
   * player's record (games or practice games, topic accuracy, history). `topicsOf` gives a
   * question's topics. False, with nothing changed, if this game (channel + id) was stored before.
   */
  record(result: QuizResult, topicsOf: (questionId: string) => readonly string[]): Promise<boolean>;
  has(channel: ChannelRef, gameId: string): Promise<boolean>;
  /** Question ids of the channel's last `games` finished games (by end time). */
  recentQuestionIds(channel: ChannelRef, games: number): Promise<string[]>;
  /** The top `limit` players of a workspace for a period ("all" or "YYYY-MM"), by points, then name. */
  leaderboard(ws: WorkspaceRef, period: string, limit: number): Promise<LeaderboardRow[]>;
  /** One player's row and rank (1 + the number of players with more points), if they are on the board. */
  standing(
    ws: WorkspaceRef,
    period: string,
    userId: string,
  ): Promise<{ rank: number; row: LeaderboardRow } | undefined>;
  /** A player's own record in a workspace. */
  player(ws: WorkspaceRef, userId: string): Promise<StudyRecord | undefined>;
  /** Notes one answer outside a game ("Quiz me on this") in the player's record. */
  noteAnswer(
    ws: WorkspaceRef,
    user: StoredUser,
    answer: { questionId: string; topics: readonly string[]; correct: boolean; at: string; source: string },
  ): Promise<void>;
  /** The display name of every player with a record in the workspace (for exports). */
  playerNames(ws: WorkspaceRef): Promise<{ userId: string; displayName: string }[]>;
}

export interface NightsRepo {
  all(): Promise<QuizNight[]>;
  inChannel(channel: ChannelRef): Promise<QuizNight[]>;
  /** Stores a new quiz night (ids are unique per channel). */
  add(night: QuizNight): Promise<void>;
  remove(channel: ChannelRef, id: string): Promise<boolean>;
  /**
   * Records one step of a night's run on a local date: true if this call recorded it, false if it
   * was recorded before (unless `force`) or the night is gone. `value` defaults to the time.
   */
  markRun(
    channel: ChannelRef,
    id: string,
    date: string,
    step: keyof QuizNightRun,
    value: string,
    force?: boolean,
  ): Promise<boolean>;
  setPaused(channel: ChannelRef, id: string, paused: Paused | undefined): Promise<void>;
}

/** A learner's profile before they change anything: 5 new cards a day, no topics, no reminder. */
export function defaultStudyProfile(): StudyProfile {
  return { newPerDay: 5, topics: [] };
}

/** What one answer does to a card: its new state, the log entry, and topics to add to the learner's. */
export interface CardChange {
  card: StudyCard;
  log: StudyLogEntry;
  topics?: readonly string[];
}

/**
 * Each learner's review deck (FSRS cards), answer log, profile and reminder claims. Everything is
 * keyed by workspace and user: the same person in two workspaces has two decks.
 */
export interface StudyRepo extends PersonalData {
  card(ws: WorkspaceRef, userId: string, questionId: string): Promise<StudyCard | undefined>;
  /**
   * Changes one card atomically with the learner's other writes: `fn` gets the stored card (undefined
   * when the question is not in the deck) and returns the new card and its log entry, stored in one
   * durable write (one transaction) with the topics added to the profile. `fn` is synchronous; if
   * it throws, nothing is stored. Concurrent changes of one learner apply one after the other.
   */
  changeCard(
    ws: WorkspaceRef,
    userId: string,
    questionId: string,
    fn: (card: StudyCard | undefined) => CardChange,
  ): Promise<{ before: StudyCard | undefined; card: StudyCard }>;
  /** Cards due at `now` (due <= now), oldest due first (then by question id), at most `limit`; only `questionIds` when given. */
  due(
    ws: WorkspaceRef,
    userId: string,
    now: Date,
    options: { questionIds?: readonly string[]; limit: number },
  ): Promise<StudyCard[]>;
  /** For each bound, how many cards are due at or before it (only `questionIds` when given). */
  dueCounts(
    ws: WorkspaceRef,
    userId: string,
    bounds: readonly Date[],
    options?: { questionIds?: readonly string[] },
  ): Promise<number[]>;
  /** Every card of the learner, by question id. */
  cards(ws: WorkspaceRef, userId: string): Promise<StudyCard[]>;
  /** Log entries at or after `since`, oldest first. */
  logs(ws: WorkspaceRef, userId: string, since: Date): Promise<StudyLogEntry[]>;
  profile(ws: WorkspaceRef, userId: string): Promise<StudyProfile | undefined>;
  /**
   * Changes a learner's profile atomically: `fn` gets the stored profile (the default one if none),
   * may change it in place, and its result is returned. Synchronous; a throw stores nothing.
   */
  changeProfile<T>(ws: WorkspaceRef, userId: string, fn: (profile: StudyProfile) => T): Promise<T>;
  /** Every learner with a reminder set (paused ones included), for the scheduler. */
  reminders(): Promise<{ ws: WorkspaceRef; userId: string; reminder: StudyReminder }[]>;
  /** Claims a learner's reminder for one local date: true exactly once, whoever else claims it. */
  claimReminder(ws: WorkspaceRef, userId: string, date: string, at: Date): Promise<boolean>;
  /** Deletes everything stored for one learner in one workspace; false if nothing was. */
  forgetLearner(ws: WorkspaceRef, userId: string): Promise<boolean>;
  /**
   * Every learner's answers per topic logged in [from, to) and their mastered cards per topic, for
   * exports: one row per learner and topic with at least one answer in the period.
   */
  activity(ws: WorkspaceRef, query: ActivityQuery): Promise<TopicActivity[]>;
}

export interface ActivityQuery {
  from: Date;
  to: Date;
  /** Each question's topics; questions not listed are left out. */
  topicsOf: ReadonlyMap<string, readonly string[]>;
  /** A card counts as mastered from this stability, in days. */
  masteredDays: number;
}

/** One learner's answers in one topic over a period, and the topic's cards they have mastered now. */
export interface TopicActivity {
  userId: string;
  topic: string;
  answered: number;
  correct: number;
  /** The last answer in the period (ISO). */
  lastAt: string;
  mastered: number;
}

/** What a workspace has stored, by kind (only kinds with entries). */
export type Footprint = Partial<Record<FootprintKind, number>>;
export type FootprintKind =
  | 'settings'
  | 'subscriptions'
  | 'deliveries'
  | 'quizSessions'
  | 'quizResults'
  | 'scores'
  | 'study'
  | 'quizNights'
  /** Learners with a review deck or profile, and the cards in their decks (logs go with them). */
  | 'learners'
  | 'studyCards'
  /** Reports of problems with questions (disputes), open or closed. */
  | 'disputes'
  /** Assignments, and learners' progress through them. */
  | 'assignments'
  | 'assignmentProgress';

/** A workspace's data over its life: removal marks, and deleting everything it stored. */
export interface WorkspacesRepo {
  /** Notes that the bot was removed; false (nothing changed) if already noted. */
  markRemoved(ws: WorkspaceRef, at: Date): Promise<boolean>;
  /** The bot is back: false if no removal was noted. */
  markAdded(ws: WorkspaceRef): Promise<boolean>;
  /** Workspaces waiting for deletion, oldest removal first. */
  removed(): Promise<{ ws: WorkspaceRef; removedAt: string }[]>;
  /** Ids of the workspaces of `platform` that have anything stored. */
  storedIds(platform: Platform): Promise<string[]>;
  footprint(ws: WorkspaceRef): Promise<Footprint>;
  /**
   * People seen in the workspace: anyone with a quiz record (a game or answer here) or a review
   * deck, by user id, with their last known name when one is stored. The bot reads no member list.
   */
  people(ws: WorkspaceRef): Promise<{ userId: string; displayName?: string }[]>;
  /** Deletes everything stored for the workspace, its removal mark included; returns what went. */
  forget(ws: WorkspaceRef): Promise<Footprint>;
}

export interface PruneReport {
  deliveries: number;
  quizResults: number;
  studyEntries: number;
  scoreBoards: number;
  quizSessions: number;
  nightRuns: number;
  /** Review log entries past `reviewLogDays`. */
  reviewLogs: number;
  /** Review reminder claims past `deliveryDays`. */
  reminderClaims: number;
  /** Closed reports past `disputeDays`. */
  disputes: number;
  /** Assignments (with their progress) closed or due longer ago than `assignmentDays`. */
  assignments: number;
}

/**
 * Coordination of several processes sharing one database (PostgreSQL). The document engine has
 * none: its file lock allows one process, which does everything itself.
 */
export interface FleetRepo {
  /**
   * Takes or renews the named lease for `holder` for `ttlMs` (timed by the database's clock): true
   * if `holder` holds it now, false if another holder's lease has not yet expired.
   */
  holdLease(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up if `holder` holds it, so another process can take it at once. */
  releaseLease(name: string, holder: string): Promise<void>;
  /** Who holds the lease and until when, if anyone does. */
  lease(name: string): Promise<{ holder: string; expiresAt: Date } | undefined>;
  /**
   * Remembers a request signature until `until`: true the first time, false while an earlier
   * record of it has not expired (a replay, whichever process saw it first).
   */
  rememberSignature(signature: string, until: Date, now: Date): Promise<boolean>;
  /**
   * Books the next slot of the named pace, one every `intervalMs` across all processes (on the
   * database's clock): how many milliseconds from now that slot begins, 0 when the pace is idle.
   */
  paceSlot(name: string, intervalMs: number): Promise<number>;
}

export interface Storage {
  readonly settings: SettingsRepo;
  readonly daily: DailyRepo;
  readonly games: GamesRepo;
  readonly results: ResultsRepo;
  readonly nights: NightsRepo;
  readonly workspaces: WorkspacesRepo;
  readonly study: StudyRepo;
  readonly disputes: DisputesRepo;
  readonly assignments: AssignmentsRepo;
  /** Present when several processes may share the store (PostgreSQL). */
  readonly fleet?: FleetRepo;
  /** Removes what is past its retention. */
  prune(now: Date, policy?: RetentionPolicy): Promise<PruneReport>;
  /** A real round trip to where data is kept (a write), for readiness checks; throws when it fails. */
  probe(): Promise<void>;
  /** How the last write of any feature went (every write updates it), for readiness at once. */
  health(): { ok: boolean; detail: string };
  /** Where the data lives, for the startup line (never a password). */
  describe(): string;
  /** Finishes pending writes and releases the engine. Idempotent. */
  close(): Promise<void>;
}

/**
 * Moving a deployment between engines (`npm run store:copy`). The transfer format is the document
 * engine's feature documents (doc/shapes.ts): they hold every record of every feature, as stored.
 */
export interface StorageTransfer {
  /** Every record, as one consistent state. */
  dump(): Promise<FeatureDocs>;
  /**
   * Stores every record of `docs` exactly as given (leaderboards and players' records are copied,
   * not recomputed). Refuses with a StoreError ('not-empty'), changing nothing, if any record is
   * stored already, unless `replace`, which deletes everything stored first.
   */
  load(docs: FeatureDocs, options?: { replace?: boolean }): Promise<void>;
}
