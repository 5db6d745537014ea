/** /quiz export and /privacy in the terminal playground: files saved to disk, the numbered confirmation. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Playground } from '../../src/adapters/console/playground.ts';
import { silentLogger } from '../../src/core/log.ts';
import { testApp } from '../helpers/deps.ts';
import { quizContent } from '../helpers/quiz-content.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'thawbot-privacy-test-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const WS = { platform: 'console' as const, workspaceId: 'local' };

async function playground() {
  const app = testApp({ content: quizContent(6) });
  for (const userId of ['local', 'as:maria'])
    await app.deps.study.recordAnswer({
      ws: WS,
      userId,
      questionId: 'q-easy-3',
      correct: true,
      source: 'quiz',
      at: new Date('2026-02-24T10:00:00Z'),
    });
  await app.deps.storage.results.noteAnswer(
    WS,
    { id: 'as:maria', displayName: '=1+1 Maria' },
    { questionId: 'q-easy-3', topics: ['alpha'], correct: true, at: '2026-02-24T10:00:00Z', source: 'daily' },
  );
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
  return {
    pg,
    filesDir,
    /** The output since the last call. */
    take: () => {
      const out = text;
      text = '';
      return out;
    },
  };
}

async function exported(filesDir: string, out: string): Promise<string[][]> {
  // A second export of the same dates is saved beside the first, not over it.
  const path = /saved to (\S+\.csv)/.exec(out)?.[1] ?? '';
  expect(path).toMatch(new RegExp(`^${filesDir}/thawbot-progress-2025-10-29-to-2026-02-25(-2)?\\.csv$`));
  return parse(await readFile(path), { bom: true }) as string[][];
}

describe('/quiz export and /privacy in the terminal', () => {
  it('saves the export and my data as files, and forgets me after my own confirmation', async () => {
    const { pg, filesDir, take } = await playground();
    await pg.handleLine('/quiz export');
    const rows = (await exported(filesDir, take())).slice(1);
    expect(rows.map((r) => r.slice(0, 5))).toEqual([
      [`'=1+1 Maria`, 'as:maria', 'Alpha', '1', '1'],
      ['local', 'local', 'Alpha', '1', '1'],
    ]);

    await pg.handleLine('/as Maria');
    await pg.handleLine('/privacy my-data');
    const out = take();
    expect(out).toContain(`saved to ${join(filesDir, 'thawbot-my-data.json')}`);
    const mine = JSON.parse(await readFile(join(filesDir, 'thawbot-my-data.json'), 'utf8'));
    expect(mine.about.userId).toBe('as:maria');
    expect(mine.data.results.playerRecord.displayName).toBe('=1+1 Maria');

    await pg.handleLine('/privacy forget-me');
    const button = /\[(\d+)\] Delete my data/.exec(take())?.[1];
    expect(button).toBeDefined();
    await pg.handleLine('/as Otto');
    await pg.handleLine(button as string);
    expect(take()).toContain('This button belongs to someone else, so nothing was deleted.');
    await pg.handleLine('/as Maria');
    await pg.handleLine(button as string);
    expect(take()).toContain('Your data is deleted');

    await pg.handleLine('/as');
    await pg.handleLine('/quiz export');
    expect((await exported(filesDir, take())).slice(1).map((r) => r[1])).toEqual(['local']);
  });
});
