/**
 * Personal review: every answer a learner gives updates their FSRS card for that question; `next`
 * picks what to review, `progress` sums it up. Platform-free: commands and adapters call it with a
 * workspace and a user id; the content, the study repository and the clock are injected.
 */
import { DateTime } from 'luxon';
import type { ContentIndex } from '../content/index.ts';
import {
  defaultStudyProfile,
  type StudyCard,
  type StudyProfile,
  type StudyReminder,
  type StudyRepo,
  type StudySource,
  type WorkspaceRef,
} from '../store/ports.ts';
import { type Grade, gradeAnswer, ratingOf } from './rating.ts';
import { review } from './scheduler.ts';

/** A card counts as mastered once FSRS expects it to stay recallable for this long. */
export const MASTERED_STABILITY_DAYS = 21;
/** The answer log read for the streak (retention keeps 400 days). */
const STREAK_DAYS = 400;
const LINE_DAYS = 30;

export interface StudyServiceDeps {
  content: ContentIndex;
  study: StudyRepo;
  now: () => Date;
  /** Questions hidden in a workspace (accepted disputes): left out of reviews, counts and progress. */
  hiddenQuestions?: (ws: WorkspaceRef) => Promise<ReadonlySet<string>>;
}

export interface AnswerInput {
  ws: WorkspaceRef;
  userId: string;
  questionId: string;
  correct: boolean;
  /** Time taken and the time allowed: a right answer in more than 80% of the limit is Hard. */
  elapsedMs?: number;
  limitMs?: number;
  source: StudySource;
  /** When it was answered (default: the clock). */
  at?: Date;
}

export interface Reviewed {
  /** True when this answer put the question into the learner's deck. */
  isNew: boolean;
  grade: Grade;
  /** When the card is next due. */
  due: Date;
  card: StudyCard;
}

/** What to review next: a due card, a new question for the deck, or nothing (all caught up). */
export type NextCard =
  | { kind: 'due'; questionId: string; card: StudyCard; dueCount: number }
  | { kind: 'new'; questionId: string; dueCount: 0; newLeftToday: number }
  | { kind: 'done'; dueCount: 0; nextDue?: Date };

export interface TopicMastery {
  topic: string;
  title: string;
  /** Questions of the topic whose card is stable for at least 21 days. */
  mastered: number;
  /** Questions of the topic in the library. */
  total: number;
  /** mastered / total, 0 to 1. */
  share: number;
}

export interface Progress {
  /** Topics the learner has played, opened or has cards in, in the order first noted. */
  mastery: TopicMastery[];
  cards: number;
  /** Cards due by the end of the learner's local day, and within 7 local days (today included). */
  dueToday: number;
  dueThisWeek: number;
  /** Consecutive local days with at least one answer, ending today or yesterday. */
  streakDays: number;
  /** The last 30 local days, oldest first, with right and total answers. */
  days: { date: string; right: number; total: number }[];
  /** The earliest due time of any card (may be past: it is due now). */
  nextDue?: Date;
  newPerDay: number;
  reminder?: StudyReminder;
}

export class StudyService {
  constructor(private readonly deps: StudyServiceDeps) {}

  private async hidden(ws: WorkspaceRef): Promise<ReadonlySet<string>> {
    return (await this.deps.hiddenQuestions?.(ws)) ?? new Set<string>();
  }

  /** The question ids a query may return: a topic's, and without hidden ones; undefined for all. */
  private allowedIds(hidden: ReadonlySet<string>, topic?: string): string[] | undefined {
    if (!topic && hidden.size === 0) return undefined;
    return this.deps.content
      .questions(topic ? { topic } : {})
      .map((q) => q.id)
      .filter((id) => !hidden.has(id));
  }

  /** Notes one answer (a quiz, "Quiz me on this", a review, an assignment) in the learner's deck. */
  recordAnswer(input: AnswerInput): Promise<Reviewed> {
    const grade = gradeAnswer(input.correct, input.elapsedMs, input.limitMs);
    return this.apply(input.ws, input.userId, input.questionId, grade, input.correct, input.source, input.at);
  }

  /** A learner's own grade after a reveal in a review (instead of, not after, `recordAnswer`). */
  grade(ws: WorkspaceRef, userId: string, questionId: string, grade: Grade, at?: Date): Promise<Reviewed> {
    return this.apply(ws, userId, questionId, grade, grade !== 'again', 'review', at);
  }

  /** Whether the learner already has a card for the question (an answer now would not be new). */
  async inDeck(ws: WorkspaceRef, userId: string, questionId: string): Promise<boolean> {
    return (await this.deps.study.card(ws, userId, questionId)) !== undefined;
  }

  /** A topic opened with /learn becomes a source of new cards. Unknown topics are ignored. */
  async noteTopic(ws: WorkspaceRef, userId: string, topic: string): Promise<void> {
    if (!this.deps.content.topic(topic)) return;
    const profile = await this.deps.study.profile(ws, userId);
    if (profile?.topics.includes(topic)) return;
    await this.deps.study.changeProfile(ws, userId, (p) => {
      if (!p.topics.includes(topic)) p.topics.push(topic);
    });
  }

  /** Sets how many new cards a day the learner gets (0 to 50). */
  setNewPerDay(ws: WorkspaceRef, userId: string, n: number): Promise<void> {
    const value = Math.max(0, Math.min(50, Math.floor(n)));
    return this.deps.study.changeProfile(ws, userId, (p) => {
      p.newPerDay = value;
    });
  }

  /**
   * The next card to review: due cards first, oldest due first; then a question of the learner's
   * topics (or `topic`) not yet in the deck, at most `newPerDay` a local day; else all caught up.
   * Scheduling is by the day, so a card due later today counts as due: the morning's reminder
   * ("3 cards today") and the session agree.
   */
  async next(
    ws: WorkspaceRef,
    userId: string,
    now: Date,
    options: { topic?: string; timezone: string },
  ): Promise<NextCard> {
    const { study, content } = this.deps;
    const hidden = await this.hidden(ws);
    const questionIds = this.allowedIds(hidden, options.topic);
    const filter = questionIds ? { questionIds } : {};
    const today = DateTime.fromJSDate(now, { zone: options.timezone }).endOf('day').toJSDate();
    const [first] = await study.due(ws, userId, today, { ...filter, limit: 1 });
    if (first) {
      const [dueCount = 1] = await study.dueCounts(ws, userId, [today], filter);
      return { kind: 'due', questionId: first.questionId, card: first, dueCount };
    }

    const profile = await this.profileOf(ws, userId);
    const cards = await study.cards(ws, userId);
    const dayStart = DateTime.fromJSDate(now, { zone: options.timezone }).startOf('day').toMillis();
    const introduced = cards.filter(
      (c) => c.addedBy === 'review' && Date.parse(c.addedAt) >= dayStart,
    ).length;
    const left = profile.newPerDay - introduced;
    if (left > 0) {
      const held = new Set(cards.map((c) => c.questionId));
      const topics = options.topic ? [options.topic] : profile.topics;
      for (const topic of topics) {
        const fresh = content.questions({ topic }).find((q) => !held.has(q.id) && !hidden.has(q.id));
        if (fresh) return { kind: 'new', questionId: fresh.id, dueCount: 0, newLeftToday: left };
      }
    }
    const soonest = cards
      .filter((c) => !questionIds || questionIds.includes(c.questionId))
      .reduce<number | undefined>(
        (min, c) => Math.min(min ?? Number.POSITIVE_INFINITY, Date.parse(c.due)),
        undefined,
      );
    return { kind: 'done', dueCount: 0, ...(soonest !== undefined ? { nextDue: new Date(soonest) } : {}) };
  }

  /** Cards due now (in `topic` when given), for "3 cards are due". */
  async dueCount(ws: WorkspaceRef, userId: string, now: Date, topic?: string): Promise<number> {
    const questionIds = this.allowedIds(await this.hidden(ws), topic);
    const [n = 0] = await this.deps.study.dueCounts(ws, userId, [now], questionIds ? { questionIds } : {});
    return n;
  }

  /** Mastery per topic, what is due, the streak and the last 30 days, in the learner's time zone. */
  async progress(ws: WorkspaceRef, userId: string, now: Date, timezone: string): Promise<Progress> {
    const { study, content } = this.deps;
    const local = DateTime.fromJSDate(now, { zone: timezone });
    const [profile, allCards, log, hidden] = await Promise.all([
      this.profileOf(ws, userId),
      study.cards(ws, userId),
      study.logs(ws, userId, local.minus({ days: STREAK_DAYS }).startOf('day').toJSDate()),
      this.hidden(ws),
    ]);
    const cards = allCards.filter((c) => !hidden.has(c.questionId));

    const byQuestion = new Map(cards.map((c) => [c.questionId, c]));
    const topics = [...profile.topics];
    for (const c of cards)
      for (const t of content.question(c.questionId)?.topics ?? []) if (!topics.includes(t)) topics.push(t);
    const mastery = topics.flatMap((topic): TopicMastery[] => {
      const info = content.topic(topic);
      const questions = content.questions({ topic }).filter((q) => !hidden.has(q.id));
      if (!info || questions.length === 0) return [];
      const mastered = questions.filter(
        (q) => (byQuestion.get(q.id)?.stability ?? 0) >= MASTERED_STABILITY_DAYS,
      ).length;
      return [
        { topic, title: info.title, mastered, total: questions.length, share: mastered / questions.length },
      ];
    });

    const endToday = local.endOf('day').toMillis();
    const endWeek = local.plus({ days: 6 }).endOf('day').toMillis();
    const dues = cards.map((c) => Date.parse(c.due));

    const perDay = new Map<string, { right: number; total: number }>();
    for (const entry of log) {
      const date = DateTime.fromISO(entry.at, { zone: timezone }).toISODate() as string;
      const day = perDay.get(date) ?? { right: 0, total: 0 };
      day.total++;
      if (entry.correct) day.right++;
      perDay.set(date, day);
    }
    const dateOf = (daysAgo: number) => local.minus({ days: daysAgo }).toISODate() as string;
    let streakDays = 0;
    for (let ago = perDay.has(dateOf(0)) ? 0 : 1; perDay.has(dateOf(ago)); ago++) streakDays++;
    const days = Array.from({ length: LINE_DAYS }, (_, i) => {
      const date = dateOf(LINE_DAYS - 1 - i);
      return { date, ...(perDay.get(date) ?? { right: 0, total: 0 }) };
    });

    const soonest = dues.length > 0 ? Math.min(...dues) : undefined;
    return {
      mastery,
      cards: cards.length,
      dueToday: dues.filter((d) => d <= endToday).length,
      dueThisWeek: dues.filter((d) => d <= endWeek).length,
      streakDays,
      days,
      ...(soonest !== undefined ? { nextDue: new Date(soonest) } : {}),
      newPerDay: profile.newPerDay,
      ...(profile.reminder ? { reminder: profile.reminder } : {}),
    };
  }

  private async apply(
    ws: WorkspaceRef,
    userId: string,
    questionId: string,
    grade: Grade,
    correct: boolean,
    source: StudySource,
    at = this.deps.now(),
  ): Promise<Reviewed> {
    const topics = this.deps.content.question(questionId)?.topics ?? [];
    const { before, card } = await this.deps.study.changeCard(ws, userId, questionId, (stored) => ({
      card: review(stored, questionId, grade, at, source),
      log: { questionId, at: at.toISOString(), rating: ratingOf(grade), correct, source },
      topics,
    }));
    return { isNew: before === undefined, grade, due: new Date(card.due), card };
  }

  private async profileOf(ws: WorkspaceRef, userId: string): Promise<StudyProfile> {
    return (await this.deps.study.profile(ws, userId)) ?? defaultStudyProfile();
  }
}
