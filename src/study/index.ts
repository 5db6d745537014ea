/** Personal review with FSRS: the service the commands use, and the grading rule. */
export { GRADES, type Grade, gradeAnswer } from './rating.ts';
export {
  type AnswerInput,
  MASTERED_STABILITY_DAYS,
  type NextCard,
  type Progress,
  type Reviewed,
  StudyService,
  type StudyServiceDeps,
  type TopicMastery,
} from './service.ts';
