import { commands } from '../commands/index.ts';
import { AssignmentReminders } from './assign/reminders.ts';
import type { ContentIndex } from './content/index.ts';
import type { Command, Deps } from './core/command.ts';
import type { Logger } from './core/log.ts';
import { Posters } from './core/posters.ts';
import { Router } from './core/router.ts';
import { DisputeService } from './disputes/service.ts';
import { hostCheck } from './hosts.ts';
import { QuizService } from './quiz/service.ts';
import { MinuteClock } from './schedule/clock.ts';
import { QuizNights } from './schedule/quiz-nights.ts';
import { DailyScheduler } from './schedule/scheduler.ts';
import type { Storage } from './store/ports.ts';
import { prunedAnything } from './store/retention.ts';
import { ReviewReminders } from './study/reminders.ts';
import { StudyService } from './study/service.ts';

/** Retention runs on the first tick and then hourly. */
const RETENTION_EVERY_MS = 3_600_000;

export interface AppParts {
  content: ContentIndex;
  storage: Storage;
  log: Logger;
  now?: () => Date;
  random?: () => number;
  commands?: readonly Command[];
  /** Pause between a quiz answer and the next question (QUIZ_PAUSE_SECONDS). */
  quizPauseMs?: number;
  /** How late a missed daily post may still be sent (DAILY_CATCHUP_HOURS). */
  dailyCatchUpMs?: number;
}

export interface App {
  deps: Deps;
  router: Router;
  /** Ticks every minute once started: daily posts, quiz nights, review reminders, retention. */
  clock: MinuteClock;
}

/** Builds the shared services once: the same Deps and Router serve every adapter. */
export function buildApp(parts: AppParts): App {
  const now = parts.now ?? (() => new Date());
  const random = parts.random ?? Math.random;
  const { storage, content } = parts;
  const posters = new Posters();
  const disputes = new DisputeService({ disputes: storage.disputes, settings: storage.settings, now });
  const hiddenQuestions = disputes.hidden;
  const study = new StudyService({ content, study: storage.study, now, hiddenQuestions });
  const quiz = new QuizService({
    games: storage.games,
    results: storage.results,
    posters,
    content,
    log: parts.log.child({ service: 'quiz' }),
    now,
    random,
    pauseMs: parts.quizPauseMs,
    study,
    hiddenQuestions,
  });
  const daily = new DailyScheduler({
    daily: storage.daily,
    posters,
    content,
    log: parts.log.child({ service: 'daily' }),
    now,
    catchUpMs: parts.dailyCatchUpMs,
  });
  const quizNights = new QuizNights({
    nights: storage.nights,
    posters,
    content,
    quiz,
    log: parts.log.child({ service: 'quiz-nights' }),
    now,
  });
  const clock = new MinuteClock({ log: parts.log.child({ service: 'clock' }), now });
  clock.add('daily posts', () => daily.tick());
  clock.add('quiz nights', () => quizNights.tick());
  const reminders = new ReviewReminders({
    study: storage.study,
    service: study,
    posters,
    log: parts.log.child({ service: 'reminders' }),
    now,
    catchUpMs: parts.dailyCatchUpMs,
  });
  clock.add('review reminders', () => reminders.tick());
  const assignmentReminders = new AssignmentReminders({
    assignments: storage.assignments,
    posters,
    content,
    log: parts.log.child({ service: 'assignments' }),
    now,
  });
  clock.add('assignment reminders', () => assignmentReminders.tick());
  let prunedAt = Number.NEGATIVE_INFINITY;
  clock.add('retention', async () => {
    if (now().getTime() - prunedAt < RETENTION_EVERY_MS) return;
    prunedAt = now().getTime();
    const report = await storage.prune(now());
    if (prunedAnything({ ...report })) parts.log.info({ pruned: report }, 'retention removed old entries');
  });
  const deps: Deps = {
    content,
    storage,
    posters,
    quiz,
    daily,
    quizNights,
    study,
    disputes,
    log: parts.log,
    now,
    random,
    commands: parts.commands ?? commands,
    hostCheck: hostCheck(storage.settings),
  };
  return { deps, router: new Router(deps), clock };
}
