/**
 * Reports in the terminal playground: "Report a problem" under a review answer prompts for a reason
 * by number and a line of text; the local user (an admin, so a host) accepts it in /disputes, the
 * question leaves the learner's deck, and the learner sees the outcome once in /progress.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { Playground } from '../../src/adapters/console/playground.ts';
import { buildApp } from '../../src/app.ts';
import { silentLogger } from '../../src/core/log.ts';
import { seededRandom } from '../../src/core/random.ts';
import { memoryStorage } from '../../src/store/doc/index.ts';
import { quizContent } from '../helpers/quiz-content.ts';

const WS = { platform: 'console', workspaceId: 'local' } as const;

function terminal() {
  const storage = memoryStorage();
  const app = buildApp({
    content: quizContent(),
    storage,
    log: silentLogger,
    now: () => new Date('2026-03-10T19:00:00Z'),
    random: seededRandom(5),
    commands,
  });
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (c) => {
    text += String(c);
  });
  const pg = new Playground({ ...app, log: silentLogger }, { input, output, interactive: false });
  pg.start();
  const press = async (label: string) => {
    const found = [...text.matchAll(new RegExp(`\\[(\\d+)\\] ${label}`, 'g'))].at(-1);
    if (!found) throw new Error(`no ${label} button in:\n${text.slice(-800)}`);
    await pg.handleLine(found[1] as string);
  };
  const after = async (line: string) => {
    const mark = text.length;
    await pg.handleLine(line);
    return text.slice(mark);
  };
  return { storage, app, pg, press, after, output: () => text };
}

describe('disputes in the terminal playground', () => {
  it('prompts for the report, and an accepted report takes the question out of the deck', async () => {
    const t = terminal();
    // The local user learns and reports (names taken with /as hold a colon in their id, which
    // review buttons cannot carry yet), and, being an admin, also hosts.
    await t.after('/learn beta');
    const card = await t.after('/review start');
    const asked = /(\w+ question \d+)\?/.exec(card)?.[1] as string;
    const questionId = `q-${asked.replace(' question ', '-')}`;
    await t.press('A');
    const mark = t.output().length;
    await t.press('Report a problem');
    const prompt = t.output().slice(mark);
    expect(prompt).toContain(
      'Report a problem\nWhat is wrong? Type a number:\n  1. Wrong answer\n  2. Ambiguous',
    );
    expect(await t.after('9')).toContain('Type a number from 1 to 5.');
    expect(await t.after('2')).toContain(
      'Tell the hosts more (optional): type it on one line, up to 500 characters. An empty line sends none.',
    );
    expect(await t.after('x'.repeat(501))).toContain('please keep it to 500');
    const filed = await t.after('Both B and C fit @everyone **really** \u001b[2J');
    expect(filed).toContain('Thank you: your report is filed');
    const [report] = await t.storage.disputes.open(WS);
    expect(report).toMatchObject({ questionId, reason: 'ambiguous', userId: 'local' });
    expect(report?.text).toBe('Both B and C fit @everyone **really** [2J');

    // /cancel closes a form without sending anything.
    await t.press('Report a problem');
    expect(await t.after('/cancel')).toContain('Form closed; nothing was sent.');
    expect(await t.storage.disputes.open(WS)).toHaveLength(1);

    // A learner who is not a host cannot open the list.
    await t.after('/as Boris');
    expect(await t.after('/disputes')).toContain('Only hosts can do that.');
    await t.after('/as');
    const list = await t.after('/disputes');
    expect(list).toContain(`Reports on ${questionId} (1 of 1)`);
    expect(list).toMatch(/• Ambiguous, \S+: Both B and C fit @everyone \*\*really\*\* \[2J/);
    await t.press('Accept');
    expect(t.output()).toContain(`Accepted: ${questionId} is hidden in this server and 1 report is closed.`);

    // The learner's deck no longer holds it, and /progress tells them once.
    const progress = await t.after('/progress');
    expect(progress).toContain('was accepted: the question is no longer asked in this server');
    expect(await t.after('/progress')).not.toContain('Your reports');
    expect(await t.app.deps.study.dueCount(WS, 'local', new Date('2026-03-20T00:00:00Z'))).toBe(0);
    const next = await t.app.deps.study.next(WS, 'local', new Date('2026-03-20T00:00:00Z'), {
      timezone: 'UTC',
    });
    expect(next.kind === 'done' || next.questionId !== questionId).toBe(true);
  });
});
