import { commands } from '../commands/index.ts';
import type { ContentIndex } from './content/index.ts';
import type { Command, Deps } from './core/command.ts';
import type { Logger } from './core/log.ts';
import { Router } from './core/router.ts';
import { QuizService } from './quiz/service.ts';
import { QuizNights } from './schedule/quiz-nights.ts';
import { DailyScheduler } from './schedule/scheduler.ts';
import type { Store } from './store/types.ts';

export interface AppParts {
  content: ContentIndex;
  store: Store;
  log: Logger;
  now?: () => Date;
  random?: () => number;
  commands?: readonly Command[];
  /** Pause between a quiz answer and the next question (QUIZ_PAUSE_SECONDS). */
  quizPauseMs?: number;
  /** How late a missed daily post may still be sent (DAILY_CATCHUP_HOURS). */
  dailyCatchUpMs?: number;
}

/** Builds the shared services once: the same Deps and Router serve every adapter. */
export function buildApp(parts: AppParts): { deps: Deps; router: Router } {
  const now = parts.now ?? (() => new Date());
  const random = parts.random ?? Math.random;
  const quiz = new QuizService({
    store: parts.store,
    content: parts.content,
    log: parts.log.child({ service: 'quiz' }),
    now,
    random,
    pauseMs: parts.quizPauseMs,
  });
  const daily = new DailyScheduler({
    store: parts.store,
    content: parts.content,
    log: parts.log.child({ service: 'daily' }),
    now,
    catchUpMs: parts.dailyCatchUpMs,
  });
  const quizNights = new QuizNights({
    store: parts.store,
    content: parts.content,
    quiz,
    log: parts.log.child({ service: 'quiz-nights' }),
    now,
  });
  daily.alsoOnTick(() => quizNights.tick());
  const deps: Deps = {
    content: parts.content,
    store: parts.store,
    quiz,
    daily,
    quizNights,
    log: parts.log,
    now,
    random,
    commands: parts.commands ?? commands,
  };
  return { deps, router: new Router(deps) };
}
