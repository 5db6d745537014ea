/**
 * /assign in the terminal playground: the local user sets an assignment, two learners (`/as`) do it
 * with numbered buttons, one stops and carries on, and the status CSV is saved to a file.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { Playground } from '../../src/adapters/console/playground.ts';
import { buildApp } from '../../src/app.ts';
import { silentLogger } from '../../src/core/log.ts';
import { seededRandom } from '../../src/core/random.ts';
import { openFileStorage } from '../../src/store/index.ts';
import { quizContent } from '../helpers/quiz-content.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'thawbot-assign-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('/assign in the terminal playground', () => {
  it('sets an assignment, learners do it, and the host sees and exports who did', async () => {
    let now = new Date('2026-03-09T10:00:00Z');
    const store = await openFileStorage({ file: join(dir, 'thawbot.json'), log: silentLogger });
    const app = buildApp({
      content: quizContent(),
      storage: store,
      log: silentLogger,
      now: () => now,
      random: seededRandom(7),
      commands,
    });
    const input = new PassThrough();
    const output = new PassThrough();
    let text = '';
    output.on('data', (c) => {
      text += String(c);
    });
    const filesDir = join(dir, 'files');
    const pg = new Playground({ ...app, log: silentLogger }, { input, output, interactive: false, filesDir });
    const running = pg.start();
    app.deps.posters.register('console', running.poster);
    const mark = () => text.length;
    const since = (m: number) => text.slice(m);
    const lastBlock = () => text.split('\n\n').findLast((b) => /\[\d+\] A/.test(b)) ?? '';
    const answer = async (right: boolean) => {
      const block = lastBlock();
      const options = [...block.matchAll(/^([A-D])\. (.+)$/gm)];
      const rightIndex = options.findIndex((m) => m[2]?.startsWith('right'));
      const buttons = [...block.matchAll(/\[(\d+)\] ([A-D])/g)];
      const button = buttons[right ? rightIndex : (rightIndex + 1) % 4];
      if (!button) throw new Error(`no button in:\n${block}`);
      await pg.handleLine(button[1] as string);
    };
    const press = async (label: string) => {
      const found = [...text.matchAll(new RegExp(`\\[(\\d+)\\] ${label}\\b`, 'g'))].at(-1);
      if (!found) throw new Error(`no ${label} button in:\n${text.slice(-800)}`);
      await pg.handleLine(found[1] as string);
    };

    let m = mark();
    await pg.handleLine('/assign create topic:alpha questions:2 due:tomorrow time:18:00');
    expect(since(m)).toMatch(/Assignment \w{4}: Alpha/);
    expect(since(m)).toContain('Due Tuesday 10 March 2026 at 18:00 (UTC)');
    const id = /Assignment (\w{4}): Alpha/.exec(since(m))?.[1] as string;

    await pg.handleLine('/as Maria');
    m = mark();
    await press('Start');
    expect(since(m)).toContain(`Assignment ${id}: question 1 of 2`);
    await answer(false);
    expect(since(m)).toMatch(/Not quite: the answer is [A-D]\. right \d+/);
    m = mark();
    await pg.handleLine('/progress');
    expect(since(m)).toContain(`Assignment ${id} (Alpha) due tomorrow at 18:00, 1 of 2 answered`);

    // The card's Start again: carries on.
    m = mark();
    await pg.handleLine('/assign list');
    expect(since(m)).toContain(`${id}: Alpha, 2 questions`);
    expect(since(m)).toContain('you started');
    await press('Start');
    expect(since(m)).toContain('Welcome back');
    await answer(true);
    expect(since(m)).toContain(`You finished assignment ${id}: 1 of 2 right`);

    await pg.handleLine('/as Ivan');
    await press('Start');
    await pg.handleLine('/as');

    m = mark();
    await pg.handleLine(`/assign status id:${id} export:true`);
    const out = since(m);
    expect(out).toContain('Finished (1)');
    expect(out).toContain('• Maria: 1/2');
    expect(out).toContain('• Ivan: 0 of 2 answered');
    const path = /(\S+assignment-\w{4}\.csv)/.exec(out)?.[1];
    expect(path).toBeDefined();
    const rows = parse(readFileSync(path as string), { bom: true }) as string[][];
    expect(rows.map((r) => [r[0], r[2], r[3], r[4]])).toEqual([
      ['name', 'started', 'finished', 'score'],
      ['Maria', 'yes', 'yes', '1/2'],
      ['Ivan', 'yes', 'no', '0/2'],
    ]);

    now = new Date('2026-03-10T18:00:00Z');
    await pg.handleLine('/as Olga');
    m = mark();
    await press('Start');
    expect(since(m)).toContain(`assignment ${id} is past its due time`);
    await store.close();
  });
});
