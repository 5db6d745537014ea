/** /progress in the terminal playground: the card with text bars, and no file saved. */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { Playground } from '../../src/adapters/console/playground.ts';
import { silentLogger } from '../../src/core/log.ts';
import { memoryStorage } from '../../src/store/doc/index.ts';
import { testApp } from '../helpers/deps.ts';
import { quizContent } from '../helpers/quiz-content.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'thawbot-progress-test-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('/progress in the terminal', () => {
  it('prints the card with mastery lines and text bars, and saves no file', async () => {
    const app = testApp({ content: quizContent(6), storage: memoryStorage(), commands });
    const ws = { platform: 'console' as const, workspaceId: 'local' };
    for (const [questionId, correct, at] of [
      ['q-easy-3', true, '2026-02-23T10:00:00Z'],
      ['q-easy-4', false, '2026-02-24T10:00:00Z'],
      ['q-easy-1', true, '2026-02-24T10:05:00Z'],
    ] as const)
      await app.deps.study.recordAnswer({
        ws,
        userId: 'local',
        questionId,
        correct,
        source: 'quiz',
        at: new Date(at),
      });
    const input = new PassThrough();
    const output = new PassThrough();
    let text = '';
    output.on('data', (c) => {
      text += String(c);
    });
    const filesDir = join(dir, 'out');
    const pg = new Playground(
      { ...app, log: silentLogger },
      { input, output, interactive: false, timeZone: 'UTC', filesDir },
    );
    pg.start();
    await pg.handleLine('/progress');
    expect(text).toContain('(only you can see this)\nYour progress');
    expect(text).toContain('  • Alpha: 0% (0/12)');
    expect(text).toContain('  • Beta: 0% (0/6)');
    expect(text).toContain(
      'Mastery by topic\nAlpha  ░░░░░░░░░░░░░░░░░░░░   0%\nBeta   ░░░░░░░░░░░░░░░░░░░░   0%',
    );
    expect(text).toContain(
      'Last 30 days: 2 right of 3 answers\n27 Jan ···························██· 25 Feb',
    );
    expect(text).toMatch(/Due: 1 today, 3 this week \(3 cards in your deck\)/);
    expect(text).toContain('Streak: 2 days');
    expect(text).toContain('Next review: today at 10:00 (UTC)');
    expect(text).not.toContain('File:');
    await expect(readdir(filesDir)).rejects.toThrow();
  });
});
