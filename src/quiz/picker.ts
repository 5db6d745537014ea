import type { ContentIndex } from '../content/index.ts';
import type { Difficulty } from '../content/schema.ts';
import { UserError } from '../core/command.ts';
import type { ChannelRef } from '../core/platform.ts';
import { shuffle } from '../core/random.ts';
import type { ResultsRepo, WorkspaceRef } from '../store/ports.ts';

/** How many recent games of a channel the question picker avoids repeating. */
const RECENT_GAMES = 5;

/** The bounds of a game's length, as `/quiz start` and `/quiz schedule` accept them. */
export const QUESTIONS = { min: 3, max: 30 } as const;

const DIFFICULTIES: readonly Difficulty[] = ['easy', 'medium', 'hard'];

export interface QuestionRequest {
  topic?: string;
  difficulty?: Difficulty;
  questions: number;
}

/**
 * Why a request cannot be played as asked, with what can be: the count that exists, or the nearest
 * difficulty (or none) with enough questions. Every suggestion is one the command accepts.
 * Undefined when the library holds enough.
 */
export function shortfall(content: ContentIndex, req: QuestionRequest): string | undefined {
  const count = (difficulty?: Difficulty) => content.questions({ topic: req.topic, difficulty }).length;
  const have = count(req.difficulty);
  if (have >= req.questions) return undefined;
  const topic = req.topic ? (content.topic(req.topic)?.title ?? req.topic) : undefined;
  const what = [topic && `on ${topic}`, req.difficulty && `at ${req.difficulty} difficulty`]
    .filter(Boolean)
    .join(' ');
  const some = `There ${have === 1 ? 'is only 1 question' : `are only ${have} questions`}${what ? ` ${what}` : ''}`;
  if (have >= QUESTIONS.min) {
    const range = have === QUESTIONS.min ? `${have}` : `${QUESTIONS.min} to ${have}`;
    return `${some}, so a quiz can have ${range} of them: try \`questions:${have}\`.`;
  }
  const head = have === 0 ? `There are no questions${what ? ` ${what}` : ''} yet` : some;
  const enough = `${head}, and a quiz needs at least ${QUESTIONS.min}.`;
  // Also lower the count when the alternative holds fewer than asked.
  const fewer = (n: number) => (n < req.questions ? ` questions:${n}` : '');
  const offers: string[] = [];
  if (req.difficulty) {
    const from = DIFFICULTIES.indexOf(req.difficulty);
    const nearest = DIFFICULTIES.filter((d) => d !== req.difficulty && count(d) >= QUESTIONS.min).sort(
      (a, b) => Math.abs(DIFFICULTIES.indexOf(a) - from) - Math.abs(DIFFICULTIES.indexOf(b) - from),
    )[0];
    if (nearest)
      offers.push(`try \`difficulty:${nearest}${fewer(count(nearest))}\` (${count(nearest)} questions)`);
    const any = count(undefined);
    if (any >= QUESTIONS.min)
      offers.push(
        `leave out the difficulty (${any} questions${fewer(any) ? `, with \`${fewer(any).trim()}\`` : ''})`,
      );
  }
  if (offers.length > 0) {
    const offer = offers.join(', or ');
    return `${enough} ${offer.charAt(0).toUpperCase()}${offer.slice(1)}.`;
  }
  return `${enough} ${req.topic ? 'Choose a wider topic, or leave out the topic' : 'Try another difficulty'}.`;
}

/**
 * Picks a game's questions: those not asked in the channel's last few games first, in random order,
 * then the rest. Refuses, with what to do instead, when the library holds too few; with `upTo`
 * (quiz nights, set up when the library held more) it plays what exists if that makes a game.
 */
export async function pickQuestions(
  deps: {
    content: ContentIndex;
    results: ResultsRepo;
    random: () => number;
    /** Questions hidden in a workspace (accepted disputes): never asked there. */
    hiddenQuestions?: (ws: WorkspaceRef) => Promise<ReadonlySet<string>>;
  },
  channel: ChannelRef,
  req: QuestionRequest & { upTo?: boolean },
): Promise<string[]> {
  const hidden = (await deps.hiddenQuestions?.(channel)) ?? new Set<string>();
  const pool = deps.content
    .questions({ topic: req.topic, difficulty: req.difficulty })
    .filter((q) => !hidden.has(q.id));
  const problem = shortfall(deps.content, req);
  if (problem && !(req.upTo && pool.length >= QUESTIONS.min)) throw new UserError(problem);
  if (pool.length < req.questions && !(req.upTo && pool.length >= QUESTIONS.min))
    throw new UserError(
      `Only ${pool.length} of those questions can be asked here (hosts took ${hidden.size} out after reports), so try \`questions:${Math.max(QUESTIONS.min, pool.length)}\` or another topic.`,
    );
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
