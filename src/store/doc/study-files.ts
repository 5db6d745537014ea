import { z } from 'zod';
import { userKey } from '../keys.ts';
import { type Learner, learnerSchema } from '../schema.ts';
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

/** The study records, one file per learner in `thawbot.study/`, so an answer rewrites its learner's only. */
export class StudyFiles extends KeyedFiles<FeatureDocs['study'], Learner> {
  constructor(options: KeyedFilesOptions, learners: Record<string, Learner>) {
    super(options, studyFilesSpec, learners);
  }
}
