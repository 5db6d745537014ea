import type { Command } from '../src/core/command.ts';
import { assign } from './assign.ts';
import { daily } from './daily.ts';
import { disputes } from './disputes.ts';
import { fact } from './fact.ts';
import { help } from './help.ts';
import { learn } from './learn.ts';
import { onthisday } from './onthisday.ts';
import { privacy } from './privacy.ts';
import { progress } from './progress.ts';
import { quiz } from './quiz.ts';
import { reading } from './reading.ts';
import { review } from './review.ts';
import { secretSpeech } from './secret-speech.ts';
import { settings } from './settings.ts';
import { thaw } from './thaw.ts';
import { timeline } from './timeline.ts';

/** Every slash command, in the order `/help` lists them. Registration, manifests and help come from here. */
export const commands: Command[] = [
  thaw,
  secretSpeech,
  learn,
  fact,
  onthisday,
  timeline,
  quiz,
  review,
  assign,
  daily,
  progress,
  disputes,
  reading,
  settings,
  privacy,
  help,
];
