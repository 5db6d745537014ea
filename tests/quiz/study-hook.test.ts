/** Group quiz answers feed the players' review decks when each question closes. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Actor } from '../../src/core/command.ts';
import { DECK_LINE } from '../../src/quiz/service.ts';
import { memoryStorage } from '../../src/store/doc/index.ts';
import { recordingQuizApp } from '../helpers/quiz-content.ts';

const channel = { platform: 'discord' as const, workspaceId: 'g1', channelId: 'c1' };
const ws = { platform: 'discord' as const, workspaceId: 'g1' };
function person(id: string): Actor {
  return {
    user: { platform: 'discord', id, displayName: id.toUpperCase() },
    channel,
    isAdmin: false,
    isHost: false,
    inServer: true,
  };
}
const ann = person('ann');
const bob = person('bob');
const cy = person('cy');

function app(store = memoryStorage()) {
  const built = recordingQuizApp({ storage: store, seed: 3, quizPauseMs: 2000 });
  const { poster } = built;
  const run = (who: Actor, text: string) =>
    built.router.handle({ ...who, command: 'quiz', input: { kind: 'text', text } });
  const question = () => [...poster.posts].reverse().find((p) => p.reply.title?.startsWith('Question'));
  const click = async (who: Actor, right: boolean) => {
    const q = question();
    if (!q) throw new Error('no question posted');
    const options = (q.reply.text ?? '').split('\n').filter((l) => /^\*\*[A-D]\.\*\*/.test(l));
    const rightIndex = options.findIndex((l) => l.includes('right'));
    const id = q.reply.actions?.[right ? rightIndex : (rightIndex + 1) % 4]?.id as string;
    return (await built.router.handleAction({ ...who, actionId: id })).reply;
  };
  /** The question id of the current round, from the stored game. */
  const currentQuestion = async () => {
    const game = await built.storage.games.get(channel);
    return game?.rounds[game.current]?.questionId as string;
  };
  return { ...built, run, click, currentQuestion };
}

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-03-10T19:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('quiz answers in the review deck', () => {
  it('records each answer at the reveal: wrong is Again, right is Good, slow right is Hard; no answer, no card', async () => {
    const a = app();
    await a.run(ann, 'start questions:3 seconds:10');
    await vi.advanceTimersByTimeAsync(0);
    const q1 = await a.currentQuestion();
    await vi.advanceTimersByTimeAsync(1000);
    await a.click(ann, false);
    await vi.advanceTimersByTimeAsync(8000); // 9 s of 10: over 80% of the time
    await a.click(bob, true);
    // Nothing is in a deck before the question closes.
    expect(await a.storage.study.cards(ws, 'ann')).toEqual([]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(a.poster.titles().at(-1)).toMatch(/^Answer:/);

    const annCard = await a.storage.study.card(ws, 'ann', q1);
    expect(annCard).toMatchObject({ questionId: q1, addedBy: 'quiz', lapses: 0 });
    const logs = await a.storage.study.logs(ws, 'ann', new Date(0));
    expect(logs).toEqual([
      expect.objectContaining({
        questionId: q1,
        rating: 1,
        correct: false,
        source: 'quiz',
        at: '2026-03-10T19:00:01.000Z',
      }),
    ]);
    const bobLogs = await a.storage.study.logs(ws, 'bob', new Date(0));
    expect(bobLogs).toEqual([expect.objectContaining({ questionId: q1, rating: 2, correct: true })]);
    expect(await a.storage.study.cards(ws, 'cy')).toEqual([]);

    await vi.advanceTimersByTimeAsync(2000);
    const q2 = await a.currentQuestion();
    await a.click(cy, true);
    await vi.advanceTimersByTimeAsync(24_000);
    expect(a.poster.titles().at(-1)).toBe('Final scores');
    expect(await a.storage.study.logs(ws, 'cy', new Date(0))).toEqual([
      expect.objectContaining({ questionId: q2, rating: 3, correct: true, source: 'quiz' }),
    ]);
    // Ann did not answer the second question: still one card.
    expect((await a.storage.study.cards(ws, 'ann')).map((c) => c.questionId)).toEqual([q1]);
  });

  it('tells a player privately, when they answer, that the question goes into their deck, only if it is new to them', async () => {
    const a = app();
    await a.run(ann, 'start questions:3 seconds:10');
    await vi.advanceTimersByTimeAsync(0);
    const q1 = await a.currentQuestion();
    await a.deps.study.recordAnswer({ ws, userId: 'bob', questionId: q1, correct: true, source: 'learn' });
    const annAck = await a.click(ann, true);
    expect(annAck.ephemeral).toBe(true);
    expect(annAck.text).toMatch(/^Locked in: \*\*[A-D]\*\*\. /);
    expect(annAck.text).toContain(DECK_LINE);
    const bobAck = await a.click(bob, true);
    expect(bobAck.text).toMatch(/^Locked in: \*\*[A-D]\*\*\.$/);
  });

  it('goes on with the game when the deck cannot be written, and logs nothing to the players', async () => {
    const store = memoryStorage();
    const a = app(store);
    vi.spyOn(store.study, 'changeCard').mockRejectedValue(new Error('disk full'));
    await a.run(ann, 'start questions:3 seconds:10');
    await vi.advanceTimersByTimeAsync(0);
    await a.click(ann, true);
    await vi.advanceTimersByTimeAsync(12_000);
    expect(a.poster.titles()).toEqual([
      'Question 1 of 3',
      expect.stringMatching(/^Answer:/),
      'Question 2 of 3',
    ]);
    await a.click(ann, true);
    await vi.advanceTimersByTimeAsync(24_000);
    expect(a.poster.titles().at(-1)).toBe('Final scores');
    expect(Object.values(store.snapshot().results.results)).toHaveLength(1);
  });

  it("writes a reveal's answers to the decks two at a time, so clicks never wait behind them", async () => {
    const a = app();
    const study = a.deps.study;
    const original = study.recordAnswer.bind(study);
    let running = 0;
    let most = 0;
    const written: string[] = [];
    study.recordAnswer = async (input) => {
      running++;
      most = Math.max(most, running);
      try {
        await new Promise((resolve) => setTimeout(resolve, 50));
        written.push(input.userId);
        return await original(input);
      } finally {
        running--;
      }
    };
    await a.run(ann, 'start questions:3 seconds:10');
    await vi.advanceTimersByTimeAsync(1000);
    const players = [ann, bob, cy, person('dee'), person('eve'), person('fay')];
    for (const p of players) await a.click(p, true);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(written.sort()).toEqual(['ann', 'bob', 'cy', 'dee', 'eve', 'fay']);
    expect(most).toBe(2);
  });
});
