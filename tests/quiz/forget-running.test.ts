/** `/privacy forget-me` while a game is running: the finished game keeps nobody who asked to be forgotten. */

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Actor } from '../../src/core/command.ts';
import { memoryStorage } from '../../src/store/doc/index.ts';
import { recordingQuizApp } from '../helpers/quiz-content.ts';

const channel = { platform: 'discord' as const, workspaceId: 'g1', channelId: 'c1' };
const ws = { platform: 'discord' as const, workspaceId: 'g1' };
const person = (id: string): Actor => ({
  user: { platform: 'discord', id, displayName: id.toUpperCase() },
  channel,
  isAdmin: false,
  isHost: false,
  inServer: true,
});
const ann = person('ann');
const bob = person('bob');

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-03-10T19:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('forget-me during a running game', () => {
  it('leaves the forgotten player out of the result, the leaderboard and the records', async () => {
    const a = recordingQuizApp({ storage: memoryStorage(), seed: 3, quizPauseMs: 2000 });
    const click = async (who: Actor) => {
      const q = [...a.poster.posts].reverse().find((p) => p.reply.title?.startsWith('Question'));
      const id = q?.reply.actions?.[0]?.id as string;
      return a.router.handleAction({ ...who, actionId: id });
    };
    await a.router.handle({
      ...ann,
      command: 'quiz',
      input: { kind: 'text', text: 'start questions:3 seconds:10' },
    });
    await vi.advanceTimersByTimeAsync(2000);
    await click(ann);
    await click(bob);
    const asked = await a.router.handle({
      ...ann,
      command: 'privacy',
      input: { kind: 'text', text: 'forget-me' },
    });
    const button = asked.actions?.find((x) => /delete/i.test(x.label));
    if (!button) throw new Error(`no delete button: ${asked.text}`);
    await a.router.handleAction({ ...ann, actionId: button.id });
    // The game goes on to its end; ann plays no more.
    for (let round = 0; round < 3; round++) {
      await vi.advanceTimersByTimeAsync(12_000);
      if (round < 2) await click(bob);
    }
    await vi.advanceTimersByTimeAsync(5000);
    const storage = a.deps.storage;
    expect(await storage.games.get(channel)).toBeUndefined();
    const board = await storage.results.leaderboard(ws, 'all', 10);
    expect(board.map((r) => r.userId)).not.toContain('ann');
    // Alone, bob's game counts as practice.
    expect((await storage.results.player(ws, 'bob'))?.practiceGames).toBe(1);
    expect(await storage.results.player(ws, 'ann')).toBeUndefined();
    expect(JSON.stringify(await storage.results.learnerData(ws, 'ann'))).not.toContain('"ann"');
  });
});
