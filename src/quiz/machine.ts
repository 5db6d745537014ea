import { shuffle } from '../core/random.ts';
import type { QuizAnswer, QuizMode, QuizPlayerResult, QuizSession, StoredUser } from '../store/ports.ts';
import { points, rank } from './scoring.ts';

/**
 * The quiz as a pure state machine: `step(session, event) -> { session, effects }`. The service
 * persists the new session and carries out the effects (posting, timers, acknowledgements).
 */

export type QuizEvent =
  | { type: 'answer'; user: StoredUser; round: number; choice: number; at: number }
  | { type: 'timeout'; round: number; at: number }
  /** Learner mode: everyone playing has answered the question (decided on the stored game). */
  | { type: 'allAnswered'; round: number; at: number }
  | { type: 'next'; round: number; at: number }
  | { type: 'skip'; at: number }
  | { type: 'stop'; at: number }
  /** After a restart: the current question is asked again with its full time, or the pause goes on. */
  | { type: 'resume'; at: number };

export type RefusalReason = 'already' | 'closed' | 'stale' | 'invalid';

/** Why a question's answer was shown: its time ran out, a host skipped it, or everyone answered. */
export type RevealReason = 'time' | 'skipped' | 'answered';

export type QuizEffect =
  /** Post the question of round `round`. */
  | { type: 'ask'; round: number }
  /** An answer was recorded. */
  | { type: 'locked'; userId: string; choice: number }
  | { type: 'refused'; userId: string; reason: RefusalReason }
  /** The number of answers to the current question changed. */
  | { type: 'count'; round: number }
  /** Show the correct answer, explanation and points of round `round`. */
  | { type: 'reveal'; round: number; reason: RevealReason }
  | { type: 'timer'; kind: 'timeout' | 'next'; round: number; at: number }
  /** The game is over: post the scoreboard and save the results. */
  | { type: 'finish'; stopped: boolean };

export interface Step {
  session: QuizSession;
  effects: QuizEffect[];
}

export interface MachineEnv {
  random: () => number;
  /** Pause between a reveal and the next question. */
  pauseMs: number;
}

export interface NewGame {
  id: string;
  channel: QuizSession['channel'];
  startedBy: StoredUser;
  mode: QuizMode;
  seconds: number;
  questionIds: string[];
  topic?: string;
  difficulty?: string;
  at: number;
}

export function newSession(game: NewGame, env: MachineEnv): Step {
  const iso = new Date(game.at).toISOString();
  const session: QuizSession = {
    id: game.id,
    channel: game.channel,
    startedBy: game.startedBy,
    startedAt: iso,
    updatedAt: iso,
    mode: game.mode,
    ...(game.topic ? { topic: game.topic } : {}),
    ...(game.difficulty ? { difficulty: game.difficulty } : {}),
    seconds: game.seconds,
    questionIds: game.questionIds,
    current: 0,
    rounds: [],
    streaks: {},
  };
  return openRound(session, 0, game.at, env);
}

function openRound(session: QuizSession, index: number, at: number, env: MachineEnv): Step {
  const endsAt = at + session.seconds * 1000;
  const next: QuizSession = {
    ...session,
    current: index,
    updatedAt: new Date(at).toISOString(),
    rounds: [
      ...session.rounds,
      {
        questionId: session.questionIds[index] as string,
        order: shuffle([0, 1, 2, 3], env.random),
        shownAt: new Date(at).toISOString(),
        endsAt: new Date(endsAt).toISOString(),
        answers: {},
      },
    ],
  };
  return {
    session: next,
    effects: [
      { type: 'ask', round: index },
      { type: 'timer', kind: 'timeout', round: index, at: endsAt },
    ],
  };
}

/** Everyone who answered an earlier question of this game. */
export function players(session: QuizSession, beforeRound = session.current): Set<string> {
  const ids = new Set<string>();
  session.rounds.slice(0, beforeRound).forEach((r) => {
    for (const id of Object.keys(r.answers)) ids.add(id);
  });
  return ids;
}

/** Whether everyone who played an earlier question has answered the current one (none: no). */
export function everyoneAnswered(session: QuizSession): boolean {
  const answers = session.rounds[session.current]?.answers ?? {};
  const playing = players(session);
  return playing.size > 0 && [...playing].every((id) => answers[id]);
}

export function step(session: QuizSession, event: QuizEvent, env: MachineEnv): Step {
  const round = session.rounds[session.current];
  switch (event.type) {
    case 'answer': {
      const refuse = (reason: RefusalReason): Step => ({
        session,
        effects: [{ type: 'refused', userId: event.user.id, reason }],
      });
      if (!round || event.round !== session.current) return refuse('stale');
      if (!Number.isInteger(event.choice) || event.choice < 0 || event.choice > 3) return refuse('invalid');
      if (round.answers[event.user.id]) return refuse('already');
      const endsAt = Date.parse(round.endsAt ?? '');
      if (round.revealed || event.at > endsAt) return refuse('closed');
      const shownAt = Date.parse(round.shownAt ?? '');
      const ms = Math.max(0, event.at - shownAt);
      const correct = round.order[event.choice] === 0;
      const answer: QuizAnswer = {
        userId: event.user.id,
        displayName: event.user.displayName,
        choice: event.choice,
        correct,
        ms,
        points: points(
          session.mode,
          correct,
          ms,
          session.seconds * 1000,
          session.streaks[event.user.id] ?? 0,
        ),
        at: new Date(event.at).toISOString(),
      };
      // The one step that changes its input in place: copying a round's answer map for every click
      // made a burst of a thousand clicks quadratic. Callers apply it to the live session anyway.
      round.answers[event.user.id] = answer;
      const next = { ...session, updatedAt: answer.at };
      const effects: QuizEffect[] = [
        { type: 'locked', userId: event.user.id, choice: event.choice },
        { type: 'count', round: session.current },
      ];
      // Learner mode moves on as soon as everyone playing has answered (from the second question on).
      if (session.mode === 'learner' && everyoneAnswered(next)) {
        const revealed = reveal(next, event.at, env, 'answered');
        return { session: revealed.session, effects: [...effects, ...revealed.effects] };
      }
      return { session: next, effects };
    }
    case 'allAnswered':
      if (!everyoneAnswered(session)) return { session, effects: [] };
      if (!round || event.round !== session.current || round.revealed) return { session, effects: [] };
      return reveal(session, event.at, env, 'answered');
    case 'timeout':
      if (!round || event.round !== session.current || round.revealed) return { session, effects: [] };
      return reveal(session, event.at, env, 'time');
    case 'skip':
      if (!round) return { session, effects: [] };
      if (round.revealed) return advance(session, event.at, env);
      return reveal(session, event.at, env, 'skipped');
    case 'next':
      if (!round || event.round !== session.current || !round.revealed) return { session, effects: [] };
      return advance(session, event.at, env);
    case 'resume': {
      if (!round) return { session, effects: [] };
      if (round.revealed)
        return { session, effects: [{ type: 'timer', kind: 'next', round: session.current, at: event.at }] };
      const endsAt = event.at + session.seconds * 1000;
      const shownAt = new Date(event.at).toISOString();
      const rounds = [...session.rounds];
      const { messageId: _old, ...rest } = round;
      rounds[session.current] = { ...rest, shownAt, endsAt: new Date(endsAt).toISOString() };
      return {
        session: { ...session, rounds, updatedAt: shownAt },
        effects: [
          { type: 'ask', round: session.current },
          { type: 'timer', kind: 'timeout', round: session.current, at: endsAt },
        ],
      };
    }
    case 'stop':
      return {
        session: { ...session, updatedAt: new Date(event.at).toISOString() },
        effects: [{ type: 'finish', stopped: true }],
      };
  }
}

function reveal(session: QuizSession, at: number, env: MachineEnv, reason: RevealReason): Step {
  const round = session.rounds[session.current];
  if (!round) return { session, effects: [] };
  const streaks = { ...session.streaks };
  for (const id of new Set([...players(session), ...Object.keys(round.answers)])) {
    streaks[id] = round.answers[id]?.correct ? (streaks[id] ?? 0) + 1 : 0;
  }
  const rounds = [...session.rounds];
  rounds[session.current] = { ...round, revealed: true };
  return {
    session: { ...session, rounds, streaks, updatedAt: new Date(at).toISOString() },
    effects: [
      { type: 'reveal', round: session.current, reason },
      { type: 'timer', kind: 'next', round: session.current, at: at + env.pauseMs },
    ],
  };
}

function advance(session: QuizSession, at: number, env: MachineEnv): Step {
  const index = session.current + 1;
  if (index >= session.questionIds.length) {
    return {
      session: { ...session, updatedAt: new Date(at).toISOString() },
      effects: [{ type: 'finish', stopped: false }],
    };
  }
  return openRound(session, index, at, env);
}

/**
 * The questions a game asked: those shown in it, answered or not (a stopped game's current one
 * included). The one count behind "right out of" on the scoreboard and on the leaderboard.
 */
export function asked(session: QuizSession): number {
  return session.rounds.length;
}

/**
 * Final standings: every player's points and correct answers, ranked with ties. `answered` is the
 * questions the game asked (`asked`), the same for every player, so a question nobody answered
 * still counts against everyone's "right out of".
 */
export function standings(session: QuizSession): QuizPlayerResult[] {
  const total = asked(session);
  const byUser = new Map<string, Omit<QuizPlayerResult, 'rank'>>();
  for (const round of session.rounds) {
    for (const a of Object.values(round.answers)) {
      const row = byUser.get(a.userId) ?? {
        userId: a.userId,
        displayName: a.displayName,
        points: 0,
        correct: 0,
        answered: total,
      };
      row.points += a.points;
      row.correct += a.correct ? 1 : 0;
      byUser.set(a.userId, row);
    }
  }
  return rank([...byUser.values()]);
}
