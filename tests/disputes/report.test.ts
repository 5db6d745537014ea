/** `npm run content:disputes`: the Markdown report of open and accepted disputes, from files and from PostgreSQL. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/log.ts';
import { main } from '../../src/disputes/cli.ts';
import { openFileStorage } from '../../src/store/open.ts';
import type { Dispute, Storage } from '../../src/store/ports.ts';
import { TEST_DATABASE_URL, testSchema } from '../helpers/pg.ts';

const CONTENT = join(import.meta.dirname, '../fixtures/content');
const LIMIT = { since: new Date('2026-03-01T00:00:00Z'), max: 10 };

function report(id: string, over: Partial<Dispute> = {}): Dispute {
  return {
    id,
    platform: 'discord',
    workspaceId: '111',
    channelId: 'c1',
    questionId: 'q-alpha-1',
    reason: 'wrong-answer',
    text: 'Wrong year.',
    userId: 'u1',
    userName: 'Maria Secret',
    createdAt: '2026-03-10T10:00:00.000Z',
    status: 'open',
    ...over,
  };
}

async function fill(storage: Storage): Promise<void> {
  await storage.disputes.file(report('a'), LIMIT);
  await storage.disputes.file(
    report('b', {
      userId: 'u2',
      reason: 'typo',
      text: '@everyone | `tick` **x** <@1>',
      createdAt: '2026-03-11T10:00:00.000Z',
    }),
    LIMIT,
  );
  await storage.disputes.file(
    report('c', { platform: 'slack', workspaceId: 'T1', questionId: 'q-gone' }),
    LIMIT,
  );
  await storage.disputes.file(report('d', { questionId: 'q-alpha-2' }), LIMIT);
  await storage.disputes.close({ platform: 'slack', workspaceId: 'T1' }, 'q-gone', {
    status: 'accepted',
    at: new Date('2026-03-12T00:00:00Z'),
  });
  await storage.disputes.close({ platform: 'discord', workspaceId: '111' }, 'q-alpha-2', {
    status: 'rejected',
    at: new Date('2026-03-12T00:00:00Z'),
    note: 'fine',
  });
}

async function run(args: string[]): Promise<string> {
  let out = '';
  const code = await main([...args, '--content', CONTENT], {}, (t) => {
    out += t;
  });
  expect(code).toBe(0);
  return out;
}

function check(md: string): void {
  expect(md).toMatch(
    /^# Disputed questions\n\nGenerated .* UTC: 2 open reports and 1 accepted report on 2 questions\./,
  );
  const alpha = md.slice(md.indexOf('## q-alpha-1'), md.indexOf('## q-gone'));
  expect(alpha).toContain('- Answer: ');
  expect(alpha).toContain('- Sources: ');
  expect(alpha).toContain('- Reports: 2 open, 0 accepted; Wrong answer 1, Typo 1');
  expect(alpha).toContain('- Servers: discord:111 (2)');
  expect(alpha).toContain("| 2026-03-11 | discord:111 | open | Typo | `@everyone / 'tick' **x** <@1>` |");
  const gone = md.slice(md.indexOf('## q-gone'));
  expect(gone).toContain('- Not in the content any more.');
  expect(gone).toContain('- Reports: 0 open, 1 accepted; Wrong answer 1');
  expect(gone).toContain('- Servers: slack:T1 (1)');
  expect(md).not.toContain('q-alpha-2'); // rejected reports are left out
  expect(md).not.toContain('Maria'); // no reporter names
}

describe('content:disputes', () => {
  const dirs: string[] = [];
  const db = testSchema();
  afterAll(async () => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    await db.drop();
  });

  it('reports from the data files, grouped by question id, with counts, servers and inert texts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'thawbot-disputes-'));
    dirs.push(dir);
    const file = join(dir, 'thawbot.json');
    const storage = await openFileStorage({ file, log: silentLogger });
    await fill(storage);
    // Read while the bot still runs (holds the lock): the report reads the file as it is.
    check(await run(['--data', file]));
    await storage.close();
    expect(await run(['--data', join(dir, 'none.json')])).toContain('No open or accepted reports.');
  });

  it('reports from PostgreSQL', async () => {
    const storage = await db.open();
    await fill(storage);
    await storage.close();
    check(await run(['--data', TEST_DATABASE_URL, '--schema', db.schema]));
  });
});
