/**
 * A small class for export and privacy tests: learners with hostile display names who played one
 * game and answered questions of "alpha" and "beta" (quizContent), one of them with a mastered card.
 */
import type { buildApp } from '../../src/app.ts';
import type { Actor, Invocation } from '../../src/core/command.ts';
import type { Platform } from '../../src/core/platform.ts';
import type { QuizResult, WorkspaceRef } from '../../src/store/ports.ts';

export const HOSTILE_NAMES = [
  '=HYPERLINK("http://evil.example","click")',
  '+1',
  '@x',
  'Ana "the quote" Ruiz',
  'Smith, John',
  'line one\nline two',
  '🦊 Fox',
  '-2+3',
] as const;

export const learnerId = (i: number) => `u${i}`;

/** Every learner answers q-easy-3 (alpha) right and q-easy-1 (beta) wrong; learner 0 also masters q-easy-4 (alpha). */
export async function seedClass(
  app: ReturnType<typeof buildApp>,
  ws: WorkspaceRef,
  names: readonly string[] = HOSTILE_NAMES,
): Promise<void> {
  const { storage, study } = app.deps;
  const channel = { ...ws, channelId: 'c1' };
  const at = '2026-02-20T10:00:00.000Z';
  const players = names.map((displayName, i) => ({ userId: learnerId(i), displayName }));
  const result: QuizResult = {
    id: 'g1',
    channel,
    startedBy: { id: learnerId(0), displayName: names[0] as string },
    startedAt: at,
    endedAt: at,
    mode: 'race',
    practice: false,
    stopped: false,
    rounds: ['q-easy-3', 'q-easy-1'].map((questionId, round) => ({
      questionId,
      answers: players.map((p) => ({
        ...p,
        choice: 0,
        correct: round === 0,
        ms: 900,
        points: round === 0 ? 10 : 0,
        at,
      })),
    })),
    players: players.map((p, i) => ({
      ...p,
      points: 10 + i,
      correct: 1,
      answered: 2,
      rank: names.length - i,
    })),
  };
  await storage.results.record(result, (q) => app.deps.content.question(q)?.topics ?? []);
  for (const p of players) {
    await study.recordAnswer({
      ws,
      userId: p.userId,
      questionId: 'q-easy-3',
      correct: true,
      source: 'quiz',
      at: new Date(at),
    });
    await study.recordAnswer({
      ws,
      userId: p.userId,
      questionId: 'q-easy-1',
      correct: false,
      source: 'quiz',
      at: new Date('2026-02-21T11:30:00.000Z'),
    });
  }
  await storage.study.changeCard(ws, learnerId(0), 'q-easy-4', () => ({
    card: {
      questionId: 'q-easy-4',
      due: '2026-04-01T10:00:00.000Z',
      stability: 40,
      difficulty: 4,
      elapsedDays: 10,
      scheduledDays: 40,
      learningSteps: 0,
      reps: 5,
      lapses: 0,
      state: 'review',
      lastReview: '2026-02-22T09:00:00.000Z',
      addedAt: '2026-01-10T09:00:00.000Z',
      addedBy: 'review',
    },
    log: {
      questionId: 'q-easy-4',
      at: '2026-02-22T09:00:00.000Z',
      rating: 3,
      correct: true,
      source: 'review',
    },
  }));
}

export function person(
  platform: Platform,
  userId: string,
  options: { host?: boolean; workspaceId?: string } = {},
): Actor {
  return {
    user: { platform, id: userId, displayName: userId },
    channel: { platform, workspaceId: options.workspaceId ?? 'W1', channelId: 'c1' },
    isAdmin: false,
    isHost: options.host ?? false,
    inServer: true,
  };
}

export function line(command: string, text: string, actor: Actor): Invocation {
  return { ...actor, command, input: { kind: 'text', text } };
}
