/** `npm run privacy:forget`: the operator's way to forget a person where the bot cannot be reached. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/log.ts';
import { main } from '../../src/privacy/cli.ts';
import { openFileStorage } from '../../src/store/index.ts';
import { seedClass } from '../helpers/classroom.ts';
import { testApp } from '../helpers/deps.ts';
import { quizContent } from '../helpers/quiz-content.ts';

const WS = { platform: 'discord' as const, workspaceId: 'G1' };
let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

async function run(argv: string[], env: Record<string, string> = {}) {
  let out = '';
  let err = '';
  const code = await main(argv, {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
    log: silentLogger,
    env,
    now: () => new Date('2026-03-01T00:00:00Z'),
  });
  return { code, out, err };
}

describe('npm run privacy:forget', () => {
  it('shows, then deletes, one person’s data in one server of a data file', async () => {
    dir = mkdtempSync(join(tmpdir(), 'thawbot-privacy-cli-'));
    const file = join(dir, 'thawbot.json');
    const storage = await openFileStorage({ file, log: silentLogger });
    await seedClass(testApp({ content: quizContent(6), storage }), WS, ['Ana', 'Boris']);
    await storage.close();

    const args = ['--platform', 'discord', '--workspace', 'G1', '--user', 'u1'];
    const shown = await run([...args, '--show'], { DATA_FILE: file });
    expect(shown.code).toBe(0);
    const data = JSON.parse(shown.out);
    expect(data.about).toEqual({
      platform: 'discord',
      workspaceId: 'G1',
      userId: 'u1',
      exportedAt: '2026-03-01T00:00:00.000Z',
    });
    expect(Object.keys(data.data).sort()).toEqual(['results', 'study']);

    const forgot = await run([...args, '--data', file]);
    expect(forgot).toMatchObject({ code: 0, err: '' });
    expect(forgot.out).toBe('Deleted what was stored about user u1 in discord G1: results, study.\n');
    const again = await run([...args, '--data', file]);
    expect(again.out).toContain('Nothing was stored about user u1 in discord G1; nothing changed.');

    const reopened = await openFileStorage({ file, log: silentLogger });
    try {
      expect(await reopened.results.player(WS, 'u1')).toBeUndefined();
      expect(await reopened.study.cards(WS, 'u1')).toEqual([]);
      expect(await reopened.results.player(WS, 'u0')).toMatchObject({ displayName: 'Ana' });
    } finally {
      await reopened.close();
    }
  });

  it('explains what is missing and changes nothing', async () => {
    for (const argv of [
      [],
      ['--platform', 'teams', '--workspace', 'G1', '--user', 'u1'],
      ['--platform', 'discord', '--user', 'u1'],
      ['--bogus'],
    ]) {
      const { code, err } = await run(argv);
      expect(code).toBe(2);
      expect(err).toMatch(/^privacy:forget: .*\nusage: npm run privacy:forget -- --platform/s);
    }
  });
});
