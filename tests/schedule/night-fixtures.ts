import { afterEach, beforeEach, vi } from 'vitest';
import type { Actor } from '../../src/core/command.ts';
import { memoryStorage } from '../../src/store/doc/index.ts';
import { recordingQuizApp } from '../helpers/quiz-content.ts';

/** A quiz-night app on fake timers, shared by the quiz-night tests and their half-year soak. */

export const channel = { platform: 'discord' as const, workspaceId: 'g1', channelId: 'c1' };
export const host: Actor = {
  user: { platform: 'discord', id: 'h', displayName: 'Host' },
  channel,
  isAdmin: false,
  isHost: true,
  inServer: true,
};
export const member: Actor = {
  ...host,
  user: { platform: 'discord', id: 'm', displayName: 'Member' },
  isHost: false,
};

export function app(store = memoryStorage()) {
  const built = recordingQuizApp({ storage: store, seed: 9, quizPauseMs: 1000 });
  const run = (text: string, who: Actor = host) =>
    built.router.handle({ ...who, command: 'quiz', input: { kind: 'text', text } });
  return { ...built, run };
}

/** Moves the clock a minute at a time, ticking the scheduler each minute as node-cron would. */
export async function minutes(a: ReturnType<typeof app>, n: number) {
  for (let i = 0; i < n; i++) {
    await vi.advanceTimersByTimeAsync(60_000);
    await a.clock.tick();
  }
}

/** Fake timers from 1 January 2026 for every test of the file that calls it. */
export function useQuizNightClock(): void {
  beforeEach(() => {
    vi.useFakeTimers({
      now: new Date('2026-01-01T00:00:00Z'),
      toFake: ['setTimeout', 'clearTimeout', 'Date'],
    });
  });
  afterEach(() => {
    vi.useRealTimers();
  });
}
