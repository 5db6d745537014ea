/**
 * What the crash test's child writes for each id, shared by the child and the parent that checks it:
 * every fifth id claims a delivery; of the others, one in seven starts a game in a channel of its
 * own and one in seven starts a game and finishes it (on the files, a game file made, and one made
 * and deleted); the rest record a quiz answer in one of the 16 running games.
 */
import type { ChannelRef } from '../../src/core/platform.ts';

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
