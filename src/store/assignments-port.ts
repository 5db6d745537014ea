/**
 * The assignments repository's port: assignments with their fixed question sets, the day-before
 * reminder's claim, and each learner's progress and answers. Part of `Storage` (ports.ts).
 */

import type { Assignment, AssignmentAnswer, AssignmentProgress } from './assignment-schema.ts';
import type { WorkspaceRef } from './ports.ts';
import type { StoredUser } from './schema.ts';

export type { Assignment, AssignmentAnswer, AssignmentProgress } from './assignment-schema.ts';

/** Everything the repository holds about one person in one workspace, as plain JSON. */
export interface AssignmentLearnerData {
  /** Their progress and answers, one entry per assignment they started. */
  progress: AssignmentProgress[];
  /** Assignments they set or closed, by id. */
  hosted: { id: string; topic: string; role: string[] }[];
}

export interface AssignmentsRepo {
  /** Stores a new assignment; false (nothing stored) if its id is taken in the workspace. */
  create(assignment: Assignment): Promise<boolean>;
  get(ws: WorkspaceRef, id: string): Promise<Assignment | undefined>;
  /** The workspace's assignments, newest first. */
  inWorkspace(ws: WorkspaceRef): Promise<Assignment[]>;
  /** Assignments still open at `now` (not closed, not yet due) whose reminder is not claimed, for the clock. */
  awaitingReminder(now: Date): Promise<Assignment[]>;
  /** Closes it now: false if there is none or it was closed before. */
  close(ws: WorkspaceRef, id: string, by: StoredUser, at: Date): Promise<boolean>;
  /** Notes a person seen hosting the assignment (never listed as not started). */
  noteHost(ws: WorkspaceRef, id: string, user: StoredUser): Promise<void>;
  /** Claims the day-before reminder: true exactly once, whoever else claims it. */
  claimReminder(ws: WorkspaceRef, id: string, at: Date): Promise<boolean>;
  /** Notes that the claimed reminder is in the channel (or given up for good). */
  reminderSent(ws: WorkspaceRef, id: string, at: Date): Promise<void>;
  /** Open assignments, not yet due at `now`, whose reminder is claimed but not known to be sent. */
  unsentReminders(now: Date): Promise<Assignment[]>;
  /**
   * A learner starts: stores `progress` unless they started before, and returns what is stored
   * (their earlier progress when there is one). Undefined if the assignment is gone.
   */
  start(progress: AssignmentProgress): Promise<AssignmentProgress | undefined>;
  progress(ws: WorkspaceRef, id: string, userId: string): Promise<AssignmentProgress | undefined>;
  /** Every learner's progress in one assignment, first started first. */
  progressOf(ws: WorkspaceRef, id: string): Promise<AssignmentProgress[]>;
  /** One learner's progress in every assignment of the workspace. */
  progressOfLearner(ws: WorkspaceRef, userId: string): Promise<AssignmentProgress[]>;
  /**
   * Records a learner's answer to one of their questions: `recorded` false if they answered it
   * before (or never started, or it is not theirs). The last answer sets `finishedAt`. Exactly one
   * of two concurrent answers to the same question wins.
   */
  answer(
    ws: WorkspaceRef,
    id: string,
    userId: string,
    questionId: string,
    answer: AssignmentAnswer,
  ): Promise<{ recorded: boolean; progress: AssignmentProgress | undefined }>;
  /** Everything held about one person in the workspace. */
  learnerData(ws: WorkspaceRef, userId: string): Promise<AssignmentLearnerData>;
  /**
   * Deletes the person's progress and answers; assignments they set stay for the class, with their
   * name replaced ("a former member"). False if nothing was held about them.
   */
  forgetLearner(ws: WorkspaceRef, userId: string): Promise<boolean>;
}

/** The name that replaces a forgotten host's on the assignments they set or closed. */
export const FORMER_MEMBER: StoredUser = { id: '', displayName: 'a former member' };

/** The assignments a person set, closed or hosted, with their part in each (for `learnerData`). */
export function assignmentsHostedBy(assignments: readonly Assignment[], userId: string) {
  return assignments
    .map((a) => ({
      id: a.id,
      topic: a.topic,
      role: [
        ...(a.createdBy.id === userId ? ['set it'] : []),
        ...(a.closedBy?.id === userId ? ['closed it'] : []),
        ...(a.hosts[userId] !== undefined ? ['hosted it'] : []),
      ],
    }))
    .filter((h) => h.role.length > 0);
}
