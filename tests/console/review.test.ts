/** The playground end to end: three misses in a quiz come back in /review the next day. */
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
  dir = mkdtempSync(join(tmpdir(), 'thawbot-review-'));
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
  const lastBlock = () => text.split('\n\n').findLast((b) => /\[\d+\] A/.test(b)) ?? '';
  /** Presses the option of the latest A-D card that is right (or wrong). */
  const answer = async (right: boolean) => {
    const block = lastBlock();
    const options = [...block.matchAll(/^([A-D])\. (.+)$/gm)];
    const rightIndex = options.findIndex((m) => m[2]?.startsWith('right'));
    const buttons = [...block.matchAll(/\[(\d+)\] ([A-D])/g)];
    const button = buttons[right ? rightIndex : (rightIndex + 1) % 4];
    if (!button) throw new Error(`no button in:\n${block}`);
    await pg.handleLine(button[1] as string);
  };
  /** Presses the latest button with this label. */
  const press = async (label: string) => {
    const found = [...text.matchAll(new RegExp(`\\[(\\d+)\\] ${label}\\b`, 'g'))].at(-1);
    if (!found) throw new Error(`no ${label} button in:\n${text.slice(-800)}`);
    await pg.handleLine(found[1] as string);
  };
  const advance = async (ms: number) => {
    for (let t = 0; t <= ms; t += 1000) {
      for (let i = 0; i < 3; i++) {
        await store.flush();
        await vi.advanceTimersByTimeAsync(0);
      }
      if (t < ms) await vi.advanceTimersByTimeAsync(Math.min(1000, ms - t));
    }
  };
  /** What was printed since `mark`. */
  const since = (mark: number) => text.slice(mark);
  return { app, pg, answer, press, advance, since, mark: () => text.length };
}

describe('/review in the terminal playground', () => {
  it("brings back the three questions missed in last night's quiz, one at a time, until all caught up", async () => {
    const store = await openFileStorage({ file: join(dir, 'thawbot.json'), log: silentLogger });
    const t = terminal(store);
    await t.pg.handleLine('/quiz start questions:3 seconds:10');
    await t.advance(0);
    for (let q = 0; q < 3; q++) {
      await t.answer(false);
      await t.advance(11_000);
    }
    await t.advance(2000);
    expect(t.since(0)).toContain('Final scores');
    await t.pg.handleLine('/review new-cards 0');

    vi.setSystemTime(new Date('2026-03-11T19:30:00Z'));
    let mark = t.mark();
    await t.pg.handleLine('/review');
    expect(t.since(mark)).toContain('Review: card 1');
    expect(t.since(mark)).toContain('3 cards are due');

    mark = t.mark();
    await t.answer(false);
    expect(t.since(mark)).toMatch(/Not quite: the answer is [A-D]\. right \d+/);
    expect(t.since(mark)).toContain('This card comes back tomorrow at');
    await t.press('Next');
    await t.answer(true);
    mark = t.mark();
    await t.press('Easy');
    expect(t.since(mark)).toMatch(/Easy: that card comes back/);
    expect(t.since(mark)).toContain('1 card is due');
    await t.answer(true);
    mark = t.mark();
    await t.press('Next');
    expect(t.since(mark)).toContain('All caught up');
    expect(t.since(mark)).toMatch(
      /You reviewed 3 cards\. All caught up: next review tomorrow at \d\d:\d\d \(UTC\)\./,
    );
    await store.flush();
    await store.close();
  });
  it('works for a name taken with /as, whose id holds the button separator', async () => {
    const store = await openFileStorage({ file: join(dir, 'thawbot.json'), log: silentLogger });
    const t = terminal(store);
    await t.pg.handleLine('/as maria');
    await t.pg.handleLine('/quiz start questions:3 seconds:10');
    await t.advance(0);
    for (let q = 0; q < 3; q++) {
      await t.answer(false);
      await t.advance(11_000);
    }
    await t.advance(2000);
    await t.pg.handleLine('/review new-cards 0');
    vi.setSystemTime(new Date('2026-03-11T19:30:00Z'));
    await t.pg.handleLine('/review');
    const mark = t.mark();
    await t.answer(false);
    expect(t.since(mark)).not.toContain('belongs to someone else');
    expect(t.since(mark)).toMatch(/Not quite: the answer is [A-D]\./);
    await t.press('Next');
    expect(t.since(mark)).toContain('Review: card 2');
    await store.flush();
    await store.close();
  });
});
