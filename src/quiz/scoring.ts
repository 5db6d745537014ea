import type { QuizMode } from '../store/ports.ts';

/**
 * Points for a correct answer. Race: 1000 for an instant answer falling linearly to 500 at the
 * buzzer, plus 100 for each correct answer in a row before this one (at most +500).
 * Learner: 1000 for every correct answer, however long it took. Wrong or no answer: 0.
 */
export const SCORING = {
  raceMax: 1000,
  raceMin: 500,
  streakStep: 100,
  streakCap: 500,
  learnerPoints: 1000,
} as const;

export function points(
  mode: QuizMode,
  correct: boolean,
  ms: number,
  limitMs: number,
  streakBefore: number,
): number {
  if (!correct) return 0;
  if (mode === 'learner') return SCORING.learnerPoints;
  const share = limitMs > 0 ? Math.min(1, Math.max(0, ms / limitMs)) : 0;
  const speed = Math.round(SCORING.raceMax - (SCORING.raceMax - SCORING.raceMin) * share);
  return speed + Math.min(SCORING.streakCap, SCORING.streakStep * Math.max(0, streakBefore));
}

export const SCORING_HELP = [
  `Race mode: a correct answer scores ${SCORING.raceMax} points if instant, falling evenly to ${SCORING.raceMin} at the buzzer, plus a streak bonus of ${SCORING.streakStep} for each correct answer in a row before it (at most +${SCORING.streakCap}).`,
  `Learner mode: every correct answer scores ${SCORING.learnerPoints}, with more time to think; once everyone playing has answered, the answer is shown at once.`,
  'Wrong or missing answers score 0. Only your first click counts.',
].join('\n');

/** Standard competition ranking: equal points share a rank, and the next rank skips (1, 1, 3). */
export function rank<T extends { points: number }>(players: readonly T[]): (T & { rank: number })[] {
  const sorted = [...players].sort((a, b) => b.points - a.points);
  let last = Number.NaN;
  let lastRank = 0;
  return sorted.map((p, i) => {
    const r = p.points === last ? lastRank : i + 1;
    last = p.points;
    lastRank = r;
    return { ...p, rank: r };
  });
}
