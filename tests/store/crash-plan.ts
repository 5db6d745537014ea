/**
 * What the crash test's child writes for each id, shared by the child and the parent that checks it:
 * every fifth id claims a delivery; of the others, one in seven starts a game in a channel of its
 * own and one in seven starts a game and finishes it, storing its result first (on the files, a game
 * file made, and one made and deleted, and the result's files); the rest record a quiz answer in one of the 16 running games.
 */
import type { ChannelRef } from '../../src/core/platform.ts';
import type { QuizResult } from '../../src/store/schema.ts';

export const SUBSCRIPTIONS = 2000;
export const GAMES = 16;
export const GAME_ID = 'crash-game';

export function subscriptionChannel(i: number): ChannelRef {
  return { platform: 'discord', workspaceId: `g${i % 50}`, channelId: `c${i}` };
}

export function gameChannel(g: number): ChannelRef {
  return { platform: 'discord', workspaceId: 'g-quiz', channelId: `q${g}` };
}

/** The channel of the game a 'start' or 'finish' step plays. */
export function stepChannel(id: number): ChannelRef {
  return { platform: 'discord', workspaceId: 'g-churn', channelId: `s${id}` };
}

/** The finished game a 'finish' step stores before it ends the game, as the quiz does. */
export function stepResult(id: number): QuizResult {
  const channel = stepChannel(id);
  const at = '2026-11-01T00:00:00.000Z';
  const players = [0, 1, 2].map((k) => ({
    userId: `p${(id + k) % 5}`,
    displayName: `Player ${(id + k) % 5}`,
    points: (id % 97) + k,
    correct: 1,
    answered: 1,
    rank: k + 1,
  }));
  return {
    id: GAME_ID,
    channel,
    startedBy: { id: 'u1', displayName: 'Maria' },
    startedAt: at,
    endedAt: at,
    mode: 'race',
    practice: false,
    stopped: false,
    rounds: [
      {
        questionId: 'q1',
        answers: players.map((p) => ({
          userId: p.userId,
          displayName: p.displayName,
          choice: 0,
          correct: true,
          ms: 100,
          points: p.points,
          at,
        })),
      },
    ],
    players,
  };
}

export type Step =
  | { kind: 'claim'; channel: ChannelRef; date: string }
  | { kind: 'answer'; channel: ChannelRef; userId: string }
  | { kind: 'start'; channel: ChannelRef }
  | { kind: 'finish'; channel: ChannelRef };

export function stepFor(id: number): Step {
  if (id % 5 === 0) {
    const k = id / 5;
    const date = new Date(Date.UTC(2026, 0, 1) + Math.floor(k / SUBSCRIPTIONS) * 86_400_000);
    return {
      kind: 'claim',
      channel: subscriptionChannel(k % SUBSCRIPTIONS),
      date: date.toISOString().slice(0, 10),
    };
  }
  if (id % 7 === 1) return { kind: 'start', channel: stepChannel(id) };
  if (id % 7 === 2) return { kind: 'finish', channel: stepChannel(id) };
  return { kind: 'answer', channel: gameChannel(id % GAMES), userId: `u${id}` };
}
