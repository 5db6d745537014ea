/**
 * FSRS through ts-fsrs: our stored card (dates as ISO text) to the library's card and back.
 * Day-level scheduling (no minute learning steps): learners review once a day with the bot, so a
 * miss comes back the next day rather than in ten minutes. No fuzz, so a schedule is reproducible.
 */
import { type Card, createEmptyCard, type Grade as FsrsGrade, fsrs, Rating, State } from 'ts-fsrs';
import type { StudyCard, StudySource } from '../store/ports.ts';
import type { Grade } from './rating.ts';

const scheduler = fsrs({ enable_fuzz: false, enable_short_term: false });

const STATES = ['new', 'learning', 'review', 'relearning'] as const;
const RATINGS: Record<Grade, FsrsGrade> = {
  again: Rating.Again,
  hard: Rating.Hard,
  good: Rating.Good,
  easy: Rating.Easy,
};

/** The card after one review graded `grade` at `at`; a question new to the deck starts empty. */
export function review(
  card: StudyCard | undefined,
  questionId: string,
  grade: Grade,
  at: Date,
  addedBy: StudySource,
): StudyCard {
  const from = card ? toFsrs(card) : createEmptyCard(at);
  const next = scheduler.next(from, at, RATINGS[grade]).card;
  return {
    questionId,
    due: next.due.toISOString(),
    stability: next.stability,
    difficulty: next.difficulty,
    elapsedDays: next.elapsed_days,
    scheduledDays: next.scheduled_days,
    learningSteps: next.learning_steps,
    reps: next.reps,
    lapses: next.lapses,
    state: STATES[next.state] ?? 'review',
    ...(next.last_review ? { lastReview: next.last_review.toISOString() } : {}),
    addedAt: card?.addedAt ?? at.toISOString(),
    addedBy: card?.addedBy ?? addedBy,
  };
}

function toFsrs(card: StudyCard): Card {
  return {
    due: new Date(card.due),
    stability: card.stability,
    difficulty: card.difficulty,
    elapsed_days: card.elapsedDays,
    scheduled_days: card.scheduledDays,
    learning_steps: card.learningSteps,
    reps: card.reps,
    lapses: card.lapses,
    state: State[capitalise(card.state)],
    ...(card.lastReview ? { last_review: new Date(card.lastReview) } : {}),
  };
}

function capitalise(state: StudyCard['state']): keyof typeof State {
  return (state.charAt(0).toUpperCase() + state.slice(1)) as keyof typeof State;
}
