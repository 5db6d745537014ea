/** Reports and `/disputes` through the router, on in-memory storage with an injected clock. */
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.ts';
import type { Actor } from '../../src/core/command.ts';
import { hiddenIn } from '../../src/disputes/hidden.ts';
import { pickQuestions } from '../../src/quiz/picker.ts';
import { eventsForDate, quizMeQuestions } from '../../src/schedule/post.ts';
import { memoryStorage } from '../../src/store/doc/index.ts';
import { actor, CHANNEL, REAL_CONTENT, testApp, textInvocation } from '../helpers/deps.ts';
import { quizContent } from '../helpers/quiz-content.ts';

const ws = { platform: CHANNEL.platform, workspaceId: CHANNEL.workspaceId };

function app() {
  let now = new Date('2026-03-10T19:00:00Z');
  const storage = memoryStorage();
  const built = testApp({ content: quizContent(), storage, now: () => now });
  const press = (id: string, who: Actor) => built.router.handleAction({ ...who, actionId: id });
  const submit = (formId: string, who: Actor, text: string, choice?: string) =>
    built.router.handleForm({ ...who, formId, text, ...(choice ? { choice } : {}) });
  const report = async (questionId: string, who: Actor, text = 'Looks wrong.') => {
    const opened = await press(`dispute:${questionId}`, who);
    if (!opened.form) return opened.reply;
    return (await submit(opened.form.id, who, text, 'wrong-answer')).reply;
  };
  const run = (line: string, who: Actor) => built.router.handle(textInvocation(line, who));
  const later = (ms: number) => {
    now = new Date(now.getTime() + ms);
  };
  return { ...built, storage, press, submit, report, run, later, now: () => now };
}

const learner = actor('member');
const host = actor('host');

describe('reports', () => {
  it('allows 10 a day per person, refuses the 11th politely before and after the form, and allows more a day later', async () => {
    const a = app();
    for (let i = 1; i <= 10; i++)
      expect((await a.report(`q-easy-${i}`, learner)).title).toBe('Thank you: your report is filed');
    const refused = await a.press('dispute:q-easy-11', learner);
    expect(refused.form).toBeUndefined();
    expect(refused.reply.ephemeral).toBe(true);
    expect(refused.reply.text).toContain('You have sent 10 reports in the last day');
    // A form opened before the limit was reached is refused on submission too.
    const late = await a.submit('dispute:q-easy-11', learner, 'x', 'typo');
    expect(late.reply.text).toContain('You have sent 10 reports in the last day');
    expect(await a.storage.disputes.open(ws)).toHaveLength(10);
    // Others are not limited by it.
    expect((await a.report('q-easy-11', actor('admin'))).title).toBe('Thank you: your report is filed');
    a.later(24 * 3_600_000 + 1);
    expect((await a.report('q-easy-12', learner)).title).toBe('Thank you: your report is filed');
  });

  it('refuses a second open report of the same question by the same person, and bad form input', async () => {
    const a = app();
    await a.report('q-easy-1', learner);
    expect((await a.report('q-easy-1', learner)).text).toContain('You have already reported this question');
    const bad = await a.submit('dispute:q-easy-2', learner, 'x', 'nonsense');
    expect(bad).toMatchObject({
      kind: 'invalid',
      errors: { choice: expect.stringContaining('Please pick one of') },
    });
    const long = await a.submit('dispute:q-easy-2', learner, 'y'.repeat(501), 'typo');
    expect(long).toMatchObject({
      kind: 'invalid',
      errors: { text: expect.stringContaining('keep it to 500') },
    });
    expect((await a.submit('nothing:1', learner, 'x')).reply.text).toContain('That form no longer works');
    expect((await a.press('dispute:q-nope', learner)).reply.text).toContain('no longer in the library');
    expect(await a.storage.disputes.open(ws)).toHaveLength(1);
  });

  it('strips control characters from the stored text', async () => {
    const a = app();
    await a.report('q-easy-1', learner, 'one\u0000two\u202ethree\nfour\u001b[31m');
    const [stored] = await a.storage.disputes.open(ws);
    expect(stored?.text).toBe('one two three four [31m');
  });
});

describe('/disputes', () => {
  it('is for hosts; accept from a member is refused and changes nothing', async () => {
    const a = app();
    await a.report('q-easy-1', learner);
    expect((await a.run('/disputes', learner)).text).toContain('Only hosts can do that');
    const refused = await a.press('disputes:a:0:q-easy-1', learner);
    expect(refused.reply.text).toBe('Only hosts can act on reports.');
    expect((await a.storage.settings.get(ws))?.hiddenQuestions).toBeUndefined();
    const reject = await a.submit('dispute-reject:q-easy-1', learner, 'no');
    expect(reject.reply.text).toBe('Only hosts can act on reports.');
    expect(await a.storage.disputes.open(ws)).toHaveLength(1);
  });

  it('pages through questions with open reports, grouped, counting reasons', async () => {
    const a = app();
    await a.report('q-easy-1', learner);
    await a.report('q-easy-1', actor('admin'));
    await a.report('q-easy-2', learner);
    const first = await a.run('/disputes', host);
    expect(first.title).toBe('Reports on q-easy-1 (1 of 2)');
    expect(first.text).toContain('**Reported by 2 people:** Wrong answer 2');
    expect(first.actions?.map((x) => x.label)).toEqual(['Accept', 'Reject', 'Next']);
    const second = await a.press(first.actions?.[2]?.id as string, host);
    expect(second.mode).toBe('replace');
    expect(second.reply.title).toBe('Reports on q-easy-2 (2 of 2)');
    expect(second.reply.actions?.map((x) => x.label)).toEqual(['Accept', 'Reject', 'Previous']);
  });

  it('accept hides the question from quizzes, reviews, due counts and progress in this server only', async () => {
    const a = app();
    // The learner has both beta questions of easy difficulty due.
    for (const questionId of ['q-easy-1', 'q-easy-2'])
      await a.deps.study.recordAnswer({
        ws,
        userId: learner.user.id,
        questionId,
        correct: false,
        source: 'quiz',
      });
    const soon = new Date(a.now().getTime() + 3 * 86_400_000);
    expect(await a.deps.study.dueCount(ws, learner.user.id, soon)).toBe(2);
    await a.report('q-easy-1', learner);
    const accepted = await a.press('disputes:a:0:q-easy-1', host);
    expect(accepted.reply.text).toContain(
      'Accepted: **q-easy-1** is hidden in this server and 1 report is closed.',
    );
    expect(accepted.reply.text).toContain('No open reports in this server.');

    expect(await a.deps.study.dueCount(ws, learner.user.id, soon)).toBe(1);
    const next = await a.deps.study.next(ws, learner.user.id, soon, { timezone: 'UTC' });
    expect(next).toMatchObject({ kind: 'due', questionId: 'q-easy-2', dueCount: 1 });
    const progress = await a.deps.study.progress(ws, learner.user.id, soon, 'UTC');
    expect(progress.cards).toBe(1);
    expect(progress.mastery.find((m) => m.topic === 'beta')?.total).toBe(5);

    // The quiz picker never asks it here; another server still gets it.
    const deps = { content: a.deps.content, results: a.storage.results, random: () => 0.5 };
    const hiddenQuestions = hiddenIn(a.storage.settings);
    for (let i = 0; i < 5; i++) {
      const picked = await pickQuestions({ ...deps, hiddenQuestions }, CHANNEL, {
        topic: 'beta',
        questions: 5,
      });
      expect(picked).not.toContain('q-easy-1');
    }
    await expect(
      pickQuestions({ ...deps, hiddenQuestions }, CHANNEL, { topic: 'beta', questions: 6 }),
    ).rejects.toThrow('Only 5 of those questions can be asked here');
    const elsewhere = await pickQuestions(
      { ...deps, hiddenQuestions },
      { ...CHANNEL, workspaceId: 'w2' },
      {
        topic: 'beta',
        questions: 6,
      },
    );
    expect(elsewhere).toContain('q-easy-1');
  });

  it('accept also keeps the question out of "Quiz me on this" in this server', async () => {
    const content = loadContent(REAL_CONTENT);
    const built = testApp({ content });
    const { events, leapDay } = eventsForDate(content, '2026-02-25');
    const ids = quizMeQuestions(content, [...events, ...leapDay]).map((q) => q.id);
    expect(ids.length).toBeGreaterThan(1);
    const [keep, ...hide] = ids;
    for (const id of hide) await built.router.handleAction({ ...host, actionId: `disputes:a:0:${id}` });
    for (let i = 0; i < 6; i++) {
      const asked = await built.router.handleAction({ ...learner, actionId: 'dq:2026-02-25' });
      expect(asked.reply.actions?.[0]?.id.split(':')[1]).toBe(keep);
    }
  });

  it('reject closes every open report of the question with the note, shown once in /progress', async () => {
    const a = app();
    await a.report('q-easy-1', learner);
    await a.report('q-easy-1', actor('admin'));
    const form = await a.press('disputes:j:0:q-easy-1', host);
    expect(form.form).toMatchObject({
      id: 'dispute-reject:q-easy-1',
      text: { required: true, maxLength: 500 },
    });
    expect((await a.submit('dispute-reject:q-easy-1', host, '   ')).kind).toBe('invalid');
    const done = await a.submit('dispute-reject:q-easy-1', host, 'The source says so. <@1> **x**');
    expect(done.reply.text).toContain('Rejected: 2 reports on **q-easy-1** closed.');
    expect(await a.storage.disputes.open(ws)).toEqual([]);
    expect((await a.storage.settings.get(ws))?.hiddenQuestions).toBeUndefined();
    const progress = await a.run('/progress', learner);
    expect(progress.text).toContain("was not accepted. The host's note: `The source says so. <@1> **x**`");
    expect((await a.run('/progress', learner)).text).not.toContain('Your reports');
  });
});
