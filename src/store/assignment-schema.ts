/**
 * What an assignment stores: the assignment itself (its fixed question set, due time, reminder
 * claim) and each learner's progress through it. Declared once here, as schema.ts does for the rest.
 */
import { z } from 'zod';
import { channelSchema, platformSchema, userSchema } from './schema.ts';

const text = z.string();

/** An assignment set by a host in one channel. */
export const assignmentSchema = z.object({
  /** Short id, unique in its workspace ("k3f9"). */
  id: text,
  channel: channelSchema,
  topic: text,
  /** The questions every learner gets, fixed at creation (each learner's order is shuffled). */
  questionIds: z.array(text).min(1),
  /** When it is due (ISO instant), and the local date, time and zone it was set in. */
  dueAt: text,
  dueDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  dueTime: z.string().regex(/^\d{2}:\d{2}$/),
  timezone: text,
  createdAt: text,
  createdBy: userSchema,
  /** The one role (Discord) or user group (Slack) the reminder may ping, when the host chose one. */
  ping: z.object({ id: text, label: text }).optional(),
  /** Closed early with `/assign close` (ISO), and by whom. */
  closedAt: text.optional(),
  closedBy: userSchema.optional(),
  /** The day-before reminder's claim: when it was taken (ISO). Set once. */
  remindedAt: text.optional(),
  /**
   * When the claimed reminder was known to be in the channel (ISO). A claim without it was cut off
   * (a crash, a failed post): it is looked for by its marker, and sent if it is not there.
   */
  reminderSentAt: text.optional(),
  /** People seen hosting this assignment (creator, status, close): never listed as not started. */
  hosts: z.record(text, text),
});

/** One learner's answer to one question of an assignment. */
export const assignmentAnswerSchema = z.object({
  /** Index of the option chosen, as shown (0-3 for A-D). */
  choice: z.number().int(),
  correct: z.boolean(),
  at: text,
});

/** One learner's way through one assignment. */
export const assignmentProgressSchema = z.object({
  platform: platformSchema,
  workspaceId: text,
  assignmentId: text,
  userId: text,
  displayName: text,
  /** The assignment's question ids in this learner's order. */
  order: z.array(text),
  startedAt: text,
  updatedAt: text,
  /** Set with the last answer. */
  finishedAt: text.optional(),
  /** Answers by question id: the first answer to a question counts. */
  answers: z.record(text, assignmentAnswerSchema),
});

export type Assignment = z.infer<typeof assignmentSchema>;
export type AssignmentAnswer = z.infer<typeof assignmentAnswerSchema>;
export type AssignmentProgress = z.infer<typeof assignmentProgressSchema>;
