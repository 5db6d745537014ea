import { z } from 'zod';
import { userKey } from '../keys.ts';
import { type Learner, learnerSchema, type StudyReminder } from '../schema.ts';
import type { Doc } from './doc.ts';
import { coldSummaries } from './in-use.ts';
import { journalRefSchema } from './journal.ts';
import { KeyedFiles, type KeyedFilesOptions, type KeyedFilesSpec } from './keyed-files.ts';
import type { FeatureDocs } from './shapes.ts';

/** What one learner's file holds: cards, answer log, profile and reminder claims. */
export const studyFileSchema = z.object({
  version: z.literal(1),
  learner: learnerSchema,
  journal: journalRefSchema.optional(),
});

export const studyFilesSpec: KeyedFilesSpec<Learner> = {
  field: 'learners',
  entry: 'learner',
  schema: studyFileSchema,
  keyOf: (l) => userKey({ platform: l.platform, workspaceId: l.workspaceId }, l.userId),
  what: "a learner's study records",
  journal: 'log',
};

/**
 * What memory keeps of a learner whose record is on disk only: enough for the reminder clock and
 * for listing a server's people and counting its cards.
 */
export interface LearnerSummary {
  platform: Learner['platform'];
  workspaceId: string;
  userId: string;
  reminder?: StudyReminder;
  cards: number;
}

export function learnerSummary(l: Learner): LearnerSummary {
  const { platform, workspaceId, userId } = l;
  const cards = Object.keys(l.cards).length;
  return l.profile.reminder
    ? { platform, workspaceId, userId, reminder: structuredClone(l.profile.reminder), cards }
    : { platform, workspaceId, userId, cards };
}

/** Every learner's summary by key: of those in memory and of those on disk only. */
export function learnerSummaries(doc: Doc<FeatureDocs['study']>): [string, LearnerSummary][] {
  const hot = Object.entries(doc.read().learners).map(([key, l]): [string, LearnerSummary] => [
    key,
    learnerSummary(l),
  ]);
  return [...hot, ...coldSummaries<LearnerSummary>(doc)];
}

/**
 * Learners in memory at most: the others are on disk only until used. A deck holds up to a card
 * per question, so memory would otherwise grow with every learner who ever answered.
 */
export const HOT_LEARNERS = 64;

/**
 * The study records, one file per learner in `thawbot.study/`, so an answer rewrites its learner's
 * only; the learners not used lately are held on disk only (`HOT_LEARNERS`).
 */
export class StudyFiles extends KeyedFiles<FeatureDocs['study'], Learner> {
  constructor(options: KeyedFilesOptions, learners: Record<string, Learner>) {
    super(options, studyFilesSpec, learners);
    this.keepCold(learnerSummary);
  }
}
