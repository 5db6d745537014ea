/**
 * Reports of problems with questions ("disputes"): learners file them from a reveal or a review
 * answer; hosts accept (the question is hidden in their server) or reject them with a note; the
 * reporter sees the outcome once, in `/progress`. Platform-free: storage and the clock are injected.
 */

import { randomUUID } from 'node:crypto';
import type { UserRef } from '../core/platform.ts';
import type { Dispute, DisputeReason, DisputesRepo, SettingsRepo, WorkspaceRef } from '../store/ports.ts';
import { hiddenIn } from './hidden.ts';
import { DAILY_REPORTS } from './reasons.ts';

const DAY_MS = 86_400_000;

export interface DisputeServiceDeps {
  disputes: DisputesRepo;
  settings: SettingsRepo;
  now: () => Date;
}

/** One question's open reports, for `/disputes`. */
export interface OpenQuestion {
  questionId: string;
  reports: Dispute[];
}

export type FileOutcome = 'filed' | 'limit' | 'duplicate';

export class DisputeService {
  /** The questions hidden in a workspace: what quizzes, reviews and assignments there skip. */
  readonly hidden: (ws: WorkspaceRef) => Promise<ReadonlySet<string>>;

  constructor(private readonly deps: DisputeServiceDeps) {
    this.hidden = hiddenIn(deps.settings);
  }

  private since(): Date {
    return new Date(this.deps.now().getTime() - DAY_MS);
  }

  /** Whether the person may file another report now (checked before the form opens, and again on filing). */
  async atLimit(ws: WorkspaceRef, userId: string): Promise<boolean> {
    return (await this.deps.disputes.filedSince(ws, userId, this.since())) >= DAILY_REPORTS;
  }

  async file(input: {
    ws: WorkspaceRef;
    channelId: string;
    user: UserRef;
    questionId: string;
    reason: DisputeReason;
    text: string;
  }): Promise<FileOutcome> {
    const { ws, user } = input;
    const open = await this.deps.disputes.open(ws);
    if (open.some((d) => d.userId === user.id && d.questionId === input.questionId)) return 'duplicate';
    const report: Dispute = {
      id: randomUUID(),
      platform: ws.platform,
      workspaceId: ws.workspaceId,
      channelId: input.channelId,
      questionId: input.questionId,
      reason: input.reason,
      text: input.text,
      userId: user.id,
      userName: user.displayName,
      createdAt: this.deps.now().toISOString(),
      status: 'open',
    };
    const filed = await this.deps.disputes.file(report, { since: this.since(), max: DAILY_REPORTS });
    return filed ? 'filed' : 'limit';
  }

  /** Open reports grouped by question, the question reported first first. */
  async openByQuestion(ws: WorkspaceRef): Promise<OpenQuestion[]> {
    const groups = new Map<string, Dispute[]>();
    for (const d of await this.deps.disputes.open(ws))
      groups.set(d.questionId, [...(groups.get(d.questionId) ?? []), d]);
    // The question reported first comes first; the same moment, by question id.
    return [...groups]
      .map(([questionId, reports]) => ({ questionId, reports }))
      .sort(
        (a, b) =>
          (a.reports[0]?.createdAt ?? '').localeCompare(b.reports[0]?.createdAt ?? '') ||
          a.questionId.localeCompare(b.questionId),
      );
  }

  /** Hides the question in the workspace, then closes its open reports (an accept repeated after a crash finishes the job). */
  async accept(ws: WorkspaceRef, questionId: string): Promise<Dispute[]> {
    const at = this.deps.now();
    const closedFirst = (await this.deps.disputes.open(ws)).find((d) => d.questionId === questionId);
    await this.deps.settings.change(ws, (s) => {
      s.hiddenQuestions ??= {};
      s.hiddenQuestions[questionId] ??= {
        at: at.toISOString(),
        ...(closedFirst ? { disputeId: closedFirst.id } : {}),
      };
    });
    return this.deps.disputes.close(ws, questionId, { status: 'accepted', at });
  }

  reject(ws: WorkspaceRef, questionId: string, note: string): Promise<Dispute[]> {
    return this.deps.disputes.close(ws, questionId, {
      status: 'rejected',
      at: this.deps.now(),
      ...(note ? { note } : {}),
    });
  }

  /** The outcomes the reporter has not seen yet, marked seen as they are handed out (shown once). */
  async takeOutcomes(ws: WorkspaceRef, userId: string): Promise<Dispute[]> {
    const unseen = await this.deps.disputes.unseen(ws, userId);
    if (unseen.length > 0)
      await this.deps.disputes.markSeen(
        ws,
        userId,
        unseen.map((d) => d.id),
        this.deps.now(),
      );
    return unseen;
  }
}
