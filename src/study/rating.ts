/** How an answer grades a review card (FSRS ratings 1-4). */
export type Grade = 'again' | 'hard' | 'good' | 'easy';

export const GRADES: readonly Grade[] = ['again', 'hard', 'good', 'easy'];

/** A right answer that used more than this share of the time limit was hard to recall. */
export const HARD_SHARE = 0.8;

/**
 * A wrong answer is Again; a right one is Good, or Hard when it took more than 80% of the time
 * limit. Without a limit (or a time) a right answer is Good.
 */
export function gradeAnswer(correct: boolean, elapsedMs?: number, limitMs?: number): Grade {
  if (!correct) return 'again';
  if (elapsedMs !== undefined && limitMs !== undefined && limitMs > 0 && elapsedMs > HARD_SHARE * limitMs)
    return 'hard';
  return 'good';
}

/** The FSRS rating number of a grade, as the log stores it. */
export function ratingOf(grade: Grade): 1 | 2 | 3 | 4 {
  return (GRADES.indexOf(grade) + 1) as 1 | 2 | 3 | 4;
}
