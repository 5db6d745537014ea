import { z } from 'zod';
import { channelKey } from '../../core/platform.ts';
import { type QuizSession, sessionSchema } from '../schema.ts';
import {
  KeyedFiles,
  type KeyedFilesOptions,
  type KeyedFilesSpec,
  keyedFileName,
  keyOfFile,
} from './keyed-files.ts';
import type { FeatureDocs } from './shapes.ts';

/** What one game's file holds. */
export const gameFileSchema = z.object({ version: z.literal(1), session: sessionSchema });

export const gameFilesSpec: KeyedFilesSpec<QuizSession> = {
  field: 'sessions',
  entry: 'session',
  schema: gameFileSchema,
  keyOf: (session) => channelKey(session.channel),
  what: 'a running game',
};

/** A running game's file, named after its channel key (`discord:g1:c1` -> `discord%3Ag1%3Ac1.json`). */
export const gameFileName = keyedFileName;
/** The channel key a game file's name stands for, or undefined for any other name. */
export const keyOfGameFile = keyOfFile;

/** The running games, one file per game in `thawbot.games/`. */
export class GameFiles extends KeyedFiles<FeatureDocs['games'], QuizSession> {
  constructor(options: KeyedFilesOptions, sessions: Record<string, QuizSession>) {
    super(options, gameFilesSpec, sessions);
  }
}
