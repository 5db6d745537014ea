/**
 * The app's services as commands and actions see them: added to the core's `Deps` by module
 * augmentation, so `src/core` stays the ground floor and commands still get typed services.
 */
import type { ContentIndex } from './content/index.ts';
import type { Posters } from './core/posters.ts';
import type { DisputeService } from './disputes/service.ts';
import type { QuizService } from './quiz/service.ts';
import type { QuizNights } from './schedule/quiz-nights.ts';
import type { DailyScheduler } from './schedule/scheduler.ts';
import type { Storage } from './store/ports.ts';
import type { StudyService } from './study/service.ts';

declare module './core/command.ts' {
  interface Deps {
    content: ContentIndex;
    storage: Storage;
    posters: Posters;
    quiz: QuizService;
    daily: DailyScheduler;
    quizNights: QuizNights;
    study: StudyService;
    disputes: DisputeService;
  }
}
