import type { ContentIndex } from '../content/index.ts';
import type { Difficulty } from '../content/schema.ts';
import { UserError } from '../core/command.ts';
import type { ChannelRef } from '../core/platform.ts';
import { shuffle } from '../core/random.ts';
import type { ResultsRepo } from '../store/ports.ts';

/** How many recent games of a channel the question picker avoids repeating. */
const RECENT_GAMES = 5;

/**
 * Picks a game's questions: those not asked in the channel's last few games first, in random order,
 * then the rest. Refuses, with what to do instead, when the library holds too few.
 */
export async function pickQuestions(
  deps: { content: ContentIndex; results: ResultsRepo; random: () => number },
  channel: ChannelRef,
  req: { topic?: string; difficulty?: Difficulty; questions: number },
): Promise<string[]> {
  const pool = deps.content.questions({ topic: req.topic, difficulty: req.difficulty });
  if (pool.length < req.questions) {
    const what = [req.topic && `on ${req.topic}`, req.difficulty && `at ${req.difficulty} difficulty`]
      .filter(Boolean)
      .join(' ');
    throw new UserError(
      pool.length === 0
        ? `There are no questions ${what} yet. Try another topic or difficulty.`
        : `There ${pool.length === 1 ? 'is only 1 question' : `are only ${pool.length} questions`} ${what}. Ask for ${Math.max(3, pool.length)} or fewer${pool.length < 3 ? ', or choose a wider topic' : ''}.`,
    );
  }
  const recent = new Set(await deps.results.recentQuestionIds(channel, RECENT_GAMES));
  const fresh = shuffle(
    pool.filter((q) => !recent.has(q.id)),
    deps.random,
  );
  const seen = shuffle(
    pool.filter((q) => recent.has(q.id)),
    deps.random,
  );
  return [...fresh, ...seen].slice(0, req.questions).map((q) => q.id);
}
