import { StoreError } from '../errors.ts';
import { inWorkspace, userKey } from '../keys.ts';
import {
  type ActivityQuery,
  type CardChange,
  defaultStudyProfile,
  type StudyRepo,
  type TopicActivity,
  type WorkspaceRef,
} from '../ports.ts';
import type { Learner, StudyCard, StudyLogEntry, StudyProfile, StudyReminder } from '../schema.ts';
import { activityOf } from './activity.ts';
import type { KeyedDoc } from './doc.ts';
import { withRecord, withRecords } from './in-use.ts';
import { listOf } from './lists.ts';
import type { FeatureDocs } from './shapes.ts';
import { learnerSummaries } from './study-files.ts';

type StudyDoc = FeatureDocs['study'];

export class DocStudy implements StudyRepo {
  /** Every change is scoped to its learner, so on files it writes that learner's file alone. */
  constructor(private readonly doc: KeyedDoc<StudyDoc>) {}

  private learner(ws: WorkspaceRef, userId: string): Learner | undefined {
    return this.doc.read().learners[userKey(ws, userId)];
  }

  /** Runs `fn` with the learner's record in memory (on files it may be on disk only). */
  private use<R>(ws: WorkspaceRef, userId: string, fn: () => R | Promise<R>): Promise<R> {
    return withRecord(this.doc, userKey(ws, userId), fn);
  }

  card(ws: WorkspaceRef, userId: string, questionId: string): Promise<StudyCard | undefined> {
    return this.use(ws, userId, () => {
      const found = this.learner(ws, userId)?.cards[questionId];
      return found && { ...found };
    });
  }

  changeCard(
    ws: WorkspaceRef,
    userId: string,
    questionId: string,
    fn: (card: StudyCard | undefined) => CardChange,
  ): Promise<{ before: StudyCard | undefined; card: StudyCard }> {
    return this.use(ws, userId, () => this.changeCardNow(ws, userId, questionId, fn));
  }

  private changeCardNow(
    ws: WorkspaceRef,
    userId: string,
    questionId: string,
    fn: (card: StudyCard | undefined) => CardChange,
  ): Promise<{ before: StudyCard | undefined; card: StudyCard }> {
    return this.doc.updateKey(userKey(ws, userId), (data) => {
      const stored = data.learners[userKey(ws, userId)]?.cards[questionId];
      const before = stored && { ...stored };
      // Computed before anything changes, so a throwing `fn` stores nothing.
      const change = fn(before && { ...before });
      const card = { ...change.card, questionId, due: utc(change.card.due) };
      const learner = learnerOf(data, ws, userId);
      learner.cards[questionId] = card;
      learner.log.push({ ...change.log, questionId });
      addTopics(learner.profile, change.topics ?? []);
      return { before, card: { ...card } };
    });
  }

  due(
    ws: WorkspaceRef,
    userId: string,
    now: Date,
    options: { questionIds?: readonly string[]; limit: number },
  ): Promise<StudyCard[]> {
    return this.use(ws, userId, () => this.dueNow(ws, userId, now, options));
  }

  private dueNow(
    ws: WorkspaceRef,
    userId: string,
    now: Date,
    options: { questionIds?: readonly string[]; limit: number },
  ): StudyCard[] {
    const at = now.toISOString();
    const limit = Math.max(0, Math.floor(options.limit));
    // Due times are stored as UTC ISO text (changeCard normalises them), so text order is time order;
    // for the usual "next card" (limit 1) one pass finds the first.
    const due = this.candidates(ws, userId, options.questionIds).filter((c) => c.due <= at);
    if (limit === 1 && due.length > 0) {
      let first = due[0] as StudyCard;
      for (const c of due) if (byDue(c, first) < 0) first = c;
      return [{ ...first }];
    }
    return due
      .sort(byDue)
      .slice(0, limit)
      .map((c) => ({ ...c }));
  }

  dueCounts(
    ws: WorkspaceRef,
    userId: string,
    bounds: readonly Date[],
    options: { questionIds?: readonly string[] } = {},
  ): Promise<number[]> {
    return this.use(ws, userId, () => this.dueCountsNow(ws, userId, bounds, options));
  }

  private dueCountsNow(
    ws: WorkspaceRef,
    userId: string,
    bounds: readonly Date[],
    options: { questionIds?: readonly string[] },
  ): number[] {
    const cards = this.candidates(ws, userId, options.questionIds);
    return bounds.map((bound) => {
      const at = bound.toISOString();
      let n = 0;
      for (const c of cards) if (c.due <= at) n++;
      return n;
    });
  }

  cards(ws: WorkspaceRef, userId: string): Promise<StudyCard[]> {
    return this.use(ws, userId, () => {
      const cards = Object.values(this.learner(ws, userId)?.cards ?? {});
      return cards.sort((a, b) => byCode(a.questionId, b.questionId)).map((c) => ({ ...c }));
    });
  }

  async logs(ws: WorkspaceRef, userId: string, since: Date): Promise<StudyLogEntry[]> {
    const from = since.getTime();
    return (await this.logOf(ws, userId))
      .filter((e) => Date.parse(e.at) >= from)
      .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
      .map((e) => ({ ...e }));
  }

  profile(ws: WorkspaceRef, userId: string): Promise<StudyProfile | undefined> {
    return this.use(ws, userId, () => {
      const found = this.learner(ws, userId)?.profile;
      return found && structuredClone(found);
    });
  }

  changeProfile<T>(ws: WorkspaceRef, userId: string, fn: (profile: StudyProfile) => T): Promise<T> {
    return this.use(ws, userId, () => this.changeProfileNow(ws, userId, fn));
  }

  private changeProfileNow<T>(
    ws: WorkspaceRef,
    userId: string,
    fn: (profile: StudyProfile) => T,
  ): Promise<T> {
    return this.doc.updateKey(userKey(ws, userId), (data) => {
      // Changed on a copy, so a throwing `fn` leaves the stored profile as it was.
      const draft = structuredClone(data.learners[userKey(ws, userId)]?.profile ?? defaultStudyProfile());
      const result = fn(draft);
      learnerOf(data, ws, userId).profile = draft;
      return result;
    });
  }

  async reminders(): Promise<{ ws: WorkspaceRef; userId: string; reminder: StudyReminder }[]> {
    return learnerSummaries(this.doc)
      .map(([, summary]) => summary)
      .filter((l) => l.reminder)
      .map((l) => ({
        ws: { platform: l.platform, workspaceId: l.workspaceId },
        userId: l.userId,
        reminder: structuredClone(l.reminder as StudyReminder),
      }));
  }

  claimReminder(ws: WorkspaceRef, userId: string, date: string, at: Date): Promise<boolean> {
    return this.use(ws, userId, () =>
      this.doc.updateKey(userKey(ws, userId), (data) => {
        const learner = learnerOf(data, ws, userId);
        if (learner.reminded[date]) return false;
        learner.reminded[date] = at.toISOString();
        return true;
      }),
    );
  }

  forgetLearner(ws: WorkspaceRef, userId: string): Promise<boolean> {
    const key = userKey(ws, userId);
    return this.use(ws, userId, () => {
      if (!this.doc.read().learners[key]) return false;
      return this.doc.updateKey(key, (data) => {
        if (!data.learners[key]) return false;
        delete data.learners[key];
        return true;
      });
    });
  }

  learnerData(ws: WorkspaceRef, userId: string): Promise<Record<string, unknown>> {
    return this.use(ws, userId, async () => {
      const learner = this.learner(ws, userId);
      if (!learner) return {};
      return {
        profile: structuredClone(learner.profile),
        cards: Object.values(learner.cards)
          .sort((a, b) => byCode(a.questionId, b.questionId))
          .map((c) => ({ ...c })),
        log: await this.logOf(ws, userId),
        reminderClaims: Object.keys(learner.reminded).sort(),
      };
    });
  }

  /** The server's learners are read back from disk for this (an export). */
  activity(ws: WorkspaceRef, query: ActivityQuery): Promise<TopicActivity[]> {
    return withRecords(
      this.doc,
      async () => {
        const learners = Object.entries(this.doc.read().learners).filter(([key]) => inWorkspace(key, ws));
        const withLogs = await Promise.all(
          learners.map(async ([key, l]) => ({ ...l, log: await listOf(this.doc, key, l.log) })),
        );
        return activityOf(withLogs, ws, query);
      },
      (key) => inWorkspace(key, ws),
    );
  }

  /** The learner's whole review log (on files most of it is in the learner's journal). */
  private logOf(ws: WorkspaceRef, userId: string): Promise<StudyLogEntry[]> {
    const key = userKey(ws, userId);
    return this.use(ws, userId, async () => {
      const log = await listOf(this.doc, key, this.doc.read().learners[key]?.log);
      return log.map((e) => ({ ...e }));
    });
  }

  private candidates(ws: WorkspaceRef, userId: string, questionIds?: readonly string[]): StudyCard[] {
    const cards = this.learner(ws, userId)?.cards ?? {};
    if (!questionIds) return Object.values(cards);
    return [...new Set(questionIds)].map((id) => cards[id]).filter((c): c is StudyCard => c !== undefined);
  }
}

/** The learner's entry, created on first write. */
function learnerOf(data: StudyDoc, ws: WorkspaceRef, userId: string): Learner {
  const key = userKey(ws, userId);
  data.learners[key] ??= {
    platform: ws.platform,
    workspaceId: ws.workspaceId,
    userId,
    profile: defaultStudyProfile(),
    cards: {},
    log: [],
    reminded: {},
  };
  return data.learners[key];
}

export function addTopics(profile: StudyProfile, topics: readonly string[]): void {
  for (const topic of topics) if (!profile.topics.includes(topic)) profile.topics.push(topic);
}

/** Oldest due first; equal times by question id, as PostgreSQL orders them. */
function byDue(a: StudyCard, b: StudyCard): number {
  return byCode(a.due, b.due) || byCode(a.questionId, b.questionId);
}

/** A time as UTC ISO text ("2026-03-01T08:00:00.000Z"); text that is not a time is refused. */
function utc(iso: string): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms))
    throw new StoreError('corrupt', `a card's due time is not a time: "${iso.slice(0, 40)}"`);
  return new Date(ms).toISOString();
}

function byCode(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
