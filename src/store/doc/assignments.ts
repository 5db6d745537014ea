import type { Assignment, AssignmentProgress } from '../assignment-schema.ts';
import type { AssignmentsRepo } from '../assignments-port.ts';
import { assignmentsHostedBy, FORMER_MEMBER } from '../assignments-port.ts';
import { workspaceKey } from '../keys.ts';
import type { WorkspaceRef } from '../ports.ts';
import type { Doc } from './doc.ts';
import type { FeatureDocs } from './shapes.ts';

type Data = FeatureDocs['assignments'];

/** An assignment: `platform:workspace:id`. */
export function assignmentKey(ws: WorkspaceRef, id: string): string {
  return `${workspaceKey(ws)}:${id}`;
}

/** A learner's progress: `platform:workspace:assignmentId:userId`. */
export function progressKey(ws: WorkspaceRef, id: string, userId: string): string {
  return `${assignmentKey(ws, id)}:${userId}`;
}

const newestFirst = (a: Assignment, b: Assignment) =>
  b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id);

/** Assignments and progress in one feature file: an answer rewrites this file only. */
export class DocAssignments implements AssignmentsRepo {
  constructor(private readonly doc: Doc<Data>) {}

  create(assignment: Assignment): Promise<boolean> {
    const key = assignmentKey(assignment.channel, assignment.id);
    const copy = structuredClone(assignment);
    return this.doc.update((data) => {
      if (data.assignments[key]) return false;
      data.assignments[key] = copy;
      return true;
    });
  }

  async get(ws: WorkspaceRef, id: string): Promise<Assignment | undefined> {
    const found = this.doc.read().assignments[assignmentKey(ws, id)];
    return found && structuredClone(found);
  }

  async inWorkspace(ws: WorkspaceRef): Promise<Assignment[]> {
    const prefix = `${workspaceKey(ws)}:`;
    return Object.entries(this.doc.read().assignments)
      .filter(([key]) => key.startsWith(prefix))
      .map(([, a]) => structuredClone(a))
      .sort(newestFirst);
  }

  async awaitingReminder(now: Date): Promise<Assignment[]> {
    return Object.values(this.doc.read().assignments)
      .filter((a) => !a.closedAt && !a.remindedAt && Date.parse(a.dueAt) > now.getTime())
      .map((a) => structuredClone(a));
  }

  async unsentReminders(now: Date): Promise<Assignment[]> {
    return Object.values(this.doc.read().assignments)
      .filter((a) => !a.closedAt && a.remindedAt && !a.reminderSentAt && Date.parse(a.dueAt) > now.getTime())
      .map((a) => structuredClone(a));
  }

  reminderSent(ws: WorkspaceRef, id: string, at: Date): Promise<void> {
    const key = assignmentKey(ws, id);
    return this.doc.update((data) => {
      const a = data.assignments[key];
      if (a && !a.reminderSentAt) a.reminderSentAt = at.toISOString();
    });
  }

  close(ws: WorkspaceRef, id: string, by: { id: string; displayName: string }, at: Date): Promise<boolean> {
    const key = assignmentKey(ws, id);
    return this.doc.update((data) => {
      const a = data.assignments[key];
      if (!a || a.closedAt) return false;
      a.closedAt = at.toISOString();
      a.closedBy = { id: by.id, displayName: by.displayName };
      return true;
    });
  }

  async noteHost(ws: WorkspaceRef, id: string, user: { id: string; displayName: string }): Promise<void> {
    const key = assignmentKey(ws, id);
    const a = this.doc.read().assignments[key];
    if (!a || a.hosts[user.id] === user.displayName) return;
    await this.doc.update((data) => {
      const stored = data.assignments[key];
      if (stored) stored.hosts[user.id] = user.displayName;
    });
  }

  claimReminder(ws: WorkspaceRef, id: string, at: Date): Promise<boolean> {
    const key = assignmentKey(ws, id);
    return this.doc.update((data) => {
      const a = data.assignments[key];
      if (!a || a.remindedAt) return false;
      a.remindedAt = at.toISOString();
      return true;
    });
  }

  start(progress: AssignmentProgress): Promise<AssignmentProgress | undefined> {
    const ws = { platform: progress.platform, workspaceId: progress.workspaceId };
    const key = progressKey(ws, progress.assignmentId, progress.userId);
    const copy = structuredClone(progress);
    return this.doc.update((data) => {
      if (!data.assignments[assignmentKey(ws, progress.assignmentId)]) return undefined;
      data.progress[key] ??= copy;
      return structuredClone(data.progress[key]);
    });
  }

  async progress(ws: WorkspaceRef, id: string, userId: string): Promise<AssignmentProgress | undefined> {
    const found = this.doc.read().progress[progressKey(ws, id, userId)];
    return found && structuredClone(found);
  }

  async progressOf(ws: WorkspaceRef, id: string): Promise<AssignmentProgress[]> {
    return Object.values(this.doc.read().progress)
      .filter((p) => p.platform === ws.platform && p.workspaceId === ws.workspaceId && p.assignmentId === id)
      .map((p) => structuredClone(p))
      .sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.userId.localeCompare(b.userId));
  }

  async progressOfLearner(ws: WorkspaceRef, userId: string): Promise<AssignmentProgress[]> {
    return Object.values(this.doc.read().progress)
      .filter((p) => p.platform === ws.platform && p.workspaceId === ws.workspaceId && p.userId === userId)
      .map((p) => structuredClone(p))
      .sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.assignmentId.localeCompare(b.assignmentId));
  }

  answer(
    ws: WorkspaceRef,
    id: string,
    userId: string,
    questionId: string,
    answer: { choice: number; correct: boolean; at: string },
  ): Promise<{ recorded: boolean; progress: AssignmentProgress | undefined }> {
    const key = progressKey(ws, id, userId);
    const copy = { ...answer };
    return this.doc.update((data) => {
      const p = data.progress[key];
      if (!p?.order.includes(questionId) || p.answers[questionId])
        return { recorded: false, progress: p && structuredClone(p) };
      p.answers[questionId] = copy;
      p.updatedAt = copy.at;
      if (p.order.every((q) => p.answers[q])) p.finishedAt = copy.at;
      return { recorded: true, progress: structuredClone(p) };
    });
  }

  async learnerData(ws: WorkspaceRef, userId: string) {
    const hosted = assignmentsHostedBy(await this.inWorkspace(ws), userId);
    return { progress: await this.progressOfLearner(ws, userId), hosted };
  }

  async forgetLearner(ws: WorkspaceRef, userId: string): Promise<boolean> {
    const prefix = `${workspaceKey(ws)}:`;
    const held = (await this.learnerData(ws, userId)) as { progress: unknown[]; hosted: unknown[] };
    if (held.progress.length === 0 && held.hosted.length === 0) return false;
    return this.doc.update((data) => {
      let changed = false;
      for (const [key, p] of Object.entries(data.progress)) {
        if (!key.startsWith(prefix) || p.userId !== userId) continue;
        delete data.progress[key];
        changed = true;
      }
      for (const [key, a] of Object.entries(data.assignments)) {
        if (!key.startsWith(prefix)) continue;
        if (a.createdBy.id === userId) {
          a.createdBy = { ...FORMER_MEMBER };
          changed = true;
        }
        if (a.closedBy?.id === userId) {
          a.closedBy = { ...FORMER_MEMBER };
          changed = true;
        }
        if (a.hosts[userId] !== undefined) {
          delete a.hosts[userId];
          changed = true;
        }
      }
      return changed;
    });
  }
}
