import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { commands } from '../../commands/index.ts';
import { Playground } from '../../src/adapters/console/playground.ts';
import { buildApp } from '../../src/app.ts';
import { silentLogger } from '../../src/core/log.ts';
import { seededRandom } from '../../src/core/random.ts';
import type { DocStorage } from '../../src/store/doc/index.ts';
import { openFileStorage } from '../../src/store/index.ts';
import { quizContent } from '../helpers/quiz-content.ts';

let dir: string;
beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-03-10T19:00:00Z'), toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  dir = mkdtempSync(join(tmpdir(), 'thawbot-quiz-'));
});
afterEach(() => {
  vi.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
});

function terminal(store: DocStorage) {
  const app = buildApp({
    content: quizContent(),
    storage: store,
    log: silentLogger,
    now: () => new Date(),
    random: seededRandom(5),
    commands,
    quizPauseMs: 1000,
  });
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (c) => {
    text += String(c);
  });
  const pg = new Playground({ ...app, log: silentLogger }, { input, output, interactive: false });
  const running = pg.start();
  app.deps.posters.register('console', running.poster);
  /** Presses the button of the latest question whose option is right (or wrong). */
  const answer = async (right: boolean) => {
    const block = text.split('\n\n').findLast((b) => /\[\d+\] A/.test(b)) ?? '';
    const options = [...block.matchAll(/^([A-D])\. (.+)$/gm)];
    const rightIndex = options.findIndex((m) => m[2]?.startsWith('right'));
    const index = right ? rightIndex : (rightIndex + 1) % 4;
    const buttons = [...block.matchAll(/\[(\d+)\] ([A-D])/g)];
    if (!buttons[index]) throw new Error(`no button in:\n${block}\n---${index}`);
    await pg.handleLine(buttons[index]?.[1] as string);
  };
  /**
   * Moves the fake clock on a second at a time, letting the store's real disk writes finish in
   * between (they are I/O, not timers), so timers set after a write start at the right time.
   */
  const advance = async (ms: number) => {
    for (let t = 0; t <= ms; t += 1000) {
      for (let i = 0; i < 3; i++) {
        await store.flush();
        await vi.advanceTimersByTimeAsync(0);
      }
      if (t < ms) await vi.advanceTimersByTimeAsync(Math.min(1000, ms - t));
    }
  };
  return { app, pg, input, answer, advance, read: () => text };
}

describe('a quiz in the terminal playground', () => {
  it('lets one person play a two-player game with /as and saves the results', async () => {
    const store = await openFileStorage({ file: join(dir, 'thawbot.json'), log: silentLogger });
    const t = terminal(store);
    await t.pg.handleLine('/quiz start questions:3 seconds:10');
    await t.advance(0);
    expect(t.read()).toContain('Question 1 of 3');
    expect(t.read()).toMatch(/\[\d+\] A {3}\[\d+\] B {3}\[\d+\] C {3}\[\d+\] D/);
    for (let q = 0; q < 3; q++) {
      await t.pg.handleLine('/as');
      await t.answer(true);
      await t.pg.handleLine('/as Bob');
      await t.answer(q === 0);
      await t.advance(11_000);
    }
    const out = t.read();
    expect(out).toMatch(/Locked in: [A-D]/);
    expect(out).toMatch(/Right: \S+ \(\+1000\), Bob \(\+1000\)/);
    expect(out).toContain('Final scores');
    expect(out).toMatch(/1\. \S+: 3,\d{3} points \(3\/3 right\)\n2\. Bob: 1,000 points \(1\/3 right\)/);
    await store.close();
    const reopened = await openFileStorage({ file: join(dir, 'thawbot.json'), log: silentLogger });
    const [result] = Object.values((await reopened.dump()).results.results);
    expect(result?.players.map((p) => p.correct)).toEqual([3, 1]);
    expect(result?.practice).toBe(false);
    await reopened.close();
  });

  it('resumes a game after a restart on the same data file, keeping earlier answers', async () => {
    const file = join(dir, 'thawbot.json');
    const first = await openFileStorage({ file, log: silentLogger });
    const t1 = terminal(first);
    await t1.pg.handleLine('/quiz start questions:3 seconds:10');
    await t1.advance(0);
    await t1.answer(true);
    await t1.pg.handleLine('/as Bob');
    await t1.answer(false);
    await t1.app.deps.quiz.shutdown(); // the process dies; the game stays on disk
    await first.close();

    const second = await openFileStorage({ file, log: silentLogger });
    const t2 = terminal(second);
    expect(await t2.app.deps.quiz.resume()).toBe(1);
    await t2.advance(0);
    expect(t2.read()).toContain('Question 1 of 3');
    expect(t2.read()).toContain('Answers: 2 answered');
    await t2.pg.handleLine('/as Bob');
    await t2.answer(true);
    expect(t2.read()).toContain('You have already answered this question');
    t2.input.end();
    await t2.pg.closed;
    await t2.app.deps.quiz.shutdown(['console']);
    expect(t2.read()).toContain('Quiz stopped after 1 question');
    const [result] = Object.values((await second.dump()).results.results);
    expect(result?.rounds[0]?.answers).toHaveLength(2);
    await second.close();
  });
});
