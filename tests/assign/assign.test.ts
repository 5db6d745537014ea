/** `/assign` through the router: creating, doing, closing and reporting an assignment. */
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { answerAll, assignApp, option, person, TEACHER, WS } from './helpers.ts';

const ANA = person('u-ana', 'Ana');
const BO = person('u-bo', 'Bo');

async function created(
  a: ReturnType<typeof assignApp>,
  line = '/assign create topic:alpha questions:3 due:tomorrow',
) {
  const card = await a.run(line);
  expect(card.ephemeral).toBeFalsy();
  const id = /Assignment (\w+):/.exec(card.title ?? '')?.[1];
  if (!id) throw new Error(`no assignment card: ${card.text}`);
  return { card, id };
}

describe('/assign create', () => {
  it('posts a public card with Start and the due time in words, drawing a fixed question set', async () => {
    const a = assignApp();
    const { card, id } = await created(
      a,
      '/assign create topic:alpha questions:5 due:2026-03-13 time:17:00 timezone:Europe/Berlin',
    );
    expect(card.title).toBe(`Assignment ${id}: Alpha`);
    expect(card.text).toContain('5 questions on *Alpha*');
    expect(card.text).toContain(
      'Due Friday 13 March 2026 at 17:00 (Europe/Berlin)**, that is Friday 13 March 2026 at 16:00 (UTC)',
    );
    expect(card.actions).toEqual([{ id: `assign:s:${id}`, label: 'Start', style: 'primary' }]);
    const stored = await a.storage.assignments.get(WS, id);
    expect(stored?.questionIds).toHaveLength(5);
    expect(new Set(stored?.questionIds).size).toBe(5);
    expect(stored?.dueAt).toBe('2026-03-13T16:00:00.000Z');
  });

  it('defaults to 23:59 in the server zone, else UTC, and reads weekdays and month-days', async () => {
    const a = assignApp('2026-03-09T10:00:00Z'); // a Monday
    const friday = await created(a, '/assign create topic:alpha due:friday');
    expect((await a.storage.assignments.get(WS, friday.id))?.dueAt).toBe('2026-03-13T23:59:00.000Z');
    expect((await a.storage.assignments.get(WS, friday.id))?.questionIds).toHaveLength(10);
    await a.storage.settings.change(WS, (s) => {
      s.timezone = 'America/New_York';
    });
    const md = await created(a, '/assign create topic:alpha due:03-20 time:8am');
    const stored = await a.storage.assignments.get(WS, md.id);
    expect([stored?.dueDate, stored?.dueTime, stored?.timezone, stored?.dueAt]).toEqual([
      '2026-03-20',
      '08:00',
      'America/New_York',
      '2026-03-20T12:00:00.000Z',
    ]);
  });

  it('skips questions hidden in the server', async () => {
    const a = assignApp();
    const all = a.deps.content.questions({ topic: 'beta' }).map((q) => q.id);
    await a.storage.settings.change(WS, (s) => {
      s.hiddenQuestions = {
        [all[0]!]: { at: '2026-03-01T00:00:00Z' },
        [all[1]!]: { at: '2026-03-01T00:00:00Z' },
      };
    });
    const { id } = await created(a, `/assign create topic:beta questions:${all.length - 2} due:tomorrow`);
    expect((await a.storage.assignments.get(WS, id))?.questionIds.sort()).toEqual(all.slice(2).sort());
    const tooMany = await a.run(`/assign create topic:beta questions:${all.length - 1} due:tomorrow`);
    expect(tooMany.text).toContain(
      `has ${all.length - 2} questions here: choose \`questions\` from 1 to ${all.length - 2}`,
    );
  });

  it.each([
    ['/assign create topic:alpah due:tomorrow', /no topic called "alpah".*Did you mean: `alpha`/],
    ['/assign create topic:alpha questions:0 due:tomorrow', /questions/],
    ['/assign create topic:alpha questions:26 due:tomorrow', /questions/],
    ['/assign create topic:alpha due:2026-03-01', /Sunday 1 March 2026 at 23:59 \(UTC\) has already passed/],
    ['/assign create topic:alpha due:today time:09:00', /has already passed/],
    [
      '/assign create topic:alpha due:someday',
      /"someday" is not a due date I can read; write it like 2026-12-10, 12-10, friday or tomorrow/,
    ],
    ['/assign create topic:alpha due:2026-02-30', /not a date on the calendar/],
    ['/assign create topic:alpha due:tomorrow time:25:99', /time/i],
    ['/assign create topic:alpha due:tomorrow timezone:Mars/Olympus', /zone/i],
    ['/assign create topic:alpha due:tomorrow ping:@everyone', /never @everyone/],
  ])('refuses %s politely and privately', async (line, message) => {
    const a = assignApp();
    const out = await a.run(line);
    expect(out.ephemeral).toBe(true);
    expect(out.text).toMatch(message);
    expect(await a.storage.assignments.inWorkspace(WS)).toEqual([]);
  });

  it('is for hosts only', async () => {
    const a = assignApp();
    const out = await a.run('/assign create topic:alpha due:tomorrow', ANA);
    expect(out.ephemeral).toBe(true);
    expect(await a.storage.assignments.inWorkspace(WS)).toEqual([]);
  });
});

describe('doing an assignment', () => {
  it('goes one question at a time, resumes where the learner stopped, and gives the score once done', async () => {
    const a = assignApp();
    const { id } = await created(a);
    const first = await a.press(`assign:s:${id}`, ANA);
    expect(first.ephemeral).toBe(true);
    expect(first.title).toBe(`Assignment ${id}: question 1 of 3`);
    expect(first.text).toContain('Due Tuesday 10 March 2026 at 23:59 (UTC)');
    const reveal = await a.press(option(first, false), ANA);
    expect(reveal.title).toMatch(/^Not quite: the answer is [A-D]\. right \d+$/);
    expect(reveal.text).toMatch(/^Because \d+\./);
    expect(reveal.sources).toEqual([{ label: 'Fixture Encyclopedia' }]);

    // Pressed again: the same answer does not count twice.
    const again = await a.press(option(first, true), ANA);
    expect(again.text).toContain('already answered');
    expect(again.title).toBe(`Assignment ${id}: question 2 of 3`);

    // Start again: carries on at question 2.
    const resumed = await a.press(`assign:s:${id}`, ANA);
    expect(resumed.text).toContain('Welcome back');
    expect(resumed.title).toBe(`Assignment ${id}: question 2 of 3`);
    const last = await answerAll(a, resumed, ANA, [true, true]);
    expect(last.text).toContain(`You finished assignment ${id}: **2 of 3 right**`);
    expect(last.actions).toEqual([]);
    const done = await a.press(`assign:s:${id}`, ANA);
    expect(done.text).toContain(`You finished assignment ${id}: **2 of 3 right**`);

    // Answers feed the study record and the review deck, named after the assignment.
    expect((await a.storage.study.logs(WS, ANA.user.id, new Date(0))).map((l) => l.source)).toEqual([
      'assignment',
      'assignment',
      'assignment',
    ]);
    const record = await a.storage.results.player(WS, ANA.user.id);
    expect(record?.history.map((h) => h.source)).toEqual([
      `assignment ${id}`,
      `assignment ${id}`,
      `assignment ${id}`,
    ]);
  });

  it('gives every learner the same questions, and refuses buttons of someone else', async () => {
    const a = assignApp();
    const { id } = await created(a);
    const ana = await a.press(`assign:s:${id}`, ANA);
    await a.press(`assign:s:${id}`, BO);
    const [pa, pb] = [
      await a.storage.assignments.progress(WS, id, ANA.user.id),
      await a.storage.assignments.progress(WS, id, BO.user.id),
    ];
    expect([...pa!.order].sort()).toEqual([...pb!.order].sort());
    const stolen = await a.press(option(ana, true), BO);
    expect(stolen.text).toContain('belong to someone else');
    expect(Object.keys((await a.storage.assignments.progress(WS, id, ANA.user.id))!.answers)).toEqual([]);
  });

  it('says politely that it is closed after the due time or /assign close', async () => {
    const a = assignApp();
    const { id } = await created(a);
    const q = await a.press(`assign:s:${id}`, ANA);
    a.setNow('2026-03-11T00:00:00Z');
    const late = await a.press(option(q, true), ANA);
    expect(late.title).toBe(`Assignment ${id} is closed`);
    expect(late.text).toContain('is past its due time');
    expect((await a.press(`assign:s:${id}`, BO)).text).toContain('is past its due time');

    a.setNow('2026-03-09T12:00:00Z');
    const other = await created(a);
    expect((await a.run(`/assign close id:${other.id}`)).text).toContain(`Assignment ${other.id} is closed`);
    expect((await a.run(`/assign close id:${other.id}`)).text).toContain('was closed already');
    expect((await a.press(`assign:s:${other.id}`, ANA)).text).toContain('was closed by a host');
  });
});

describe('/assign status, list and /progress', () => {
  it('lists finished with scores, started, and people seen here who did not start, never hosts', async () => {
    const a = assignApp();
    const { id } = await created(a);
    await a.storage.settings.change(WS, (s) => {
      s.hostUserIds = ['u-host2'];
    });
    // Seen here: a quiz record or a review deck.
    for (const who of [person('u-cy', 'Cy'), person('u-host2', 'Second host'), TEACHER])
      await a.storage.results.noteAnswer(
        WS,
        { id: who.user.id, displayName: who.user.displayName },
        {
          questionId: 'q-easy-3',
          topics: ['alpha'],
          correct: true,
          at: '2026-03-01T00:00:00Z',
          source: 'daily',
        },
      );
    await a.storage.study.changeProfile(WS, 'u-dee', (p) => {
      p.newPerDay = 2;
    });
    await answerAll(a, await a.press(`assign:s:${id}`, ANA), ANA, [true, false, true]);
    await answerAll(a, await a.press(`assign:s:${id}`, BO), BO, [true]);

    const out = await a.run('/assign status');
    expect(out.ephemeral).toBe(true);
    expect(out.text).toContain('**Finished (1)**\n- Ana: 2/3');
    expect(out.text).toContain('**Started, not finished (1)**\n- Bo: 1 of 3 answered');
    expect(out.text).toContain('**Not started (2)**\n- Cy\n- user u-dee');
    expect(out.text).not.toContain('Second host');
    expect(out.text).not.toContain('Teacher');
    expect(out.text).toContain('I do not read the member list');

    expect((await a.run('/assign status', ANA)).text).not.toContain('Finished');
  });

  it('cuts long lists with a count, and three full lists of long names fit a Discord embed', async () => {
    const a = assignApp();
    const { id } = await created(a);
    const long = (i: number) =>
      person(`u${String(i).padStart(3, '0')}`, `${'Very long display name '.repeat(4)}${i}`);
    // 25 finished, 25 started, 35 not started.
    for (let i = 0; i < 50; i++) {
      const who = long(i);
      const first = await a.press(`assign:s:${id}`, who);
      if (i < 25) await answerAll(a, first, who, [true, true, true]);
      else await a.press(option(first, true), who);
    }
    for (let i = 50; i < 85; i++)
      await a.storage.results.noteAnswer(
        WS,
        { id: long(i).user.id, displayName: long(i).user.displayName },
        {
          questionId: 'q-easy-3',
          topics: ['alpha'],
          correct: true,
          at: '2026-03-01T00:00:00Z',
          source: 'daily',
        },
      );
    const out = await a.run(`/assign status id:${id}`);
    expect(out.text).toContain('**Finished (25)**');
    expect(out.text).toContain('**Started, not finished (25)**');
    expect(out.text).toContain('**Not started (35)**');
    expect(out.text).toContain('- …and 5 more');
    expect(out.text).toContain('- …and 15 more');
    expect(out.text).toContain('- Very long display name Very long displa…: 3/3');
    expect((out.text ?? '').length).toBeLessThan(4096);
  });

  it('exports a CSV, parsed back cell by cell, with hostile names neutralised', async () => {
    const a = assignApp();
    const { id } = await created(a);
    const hostile = [
      person('u1', '=cmd|" /C calc"!A0'),
      person('u2', '@x'),
      person('u3', 'Quote "q", comma'),
      person('u4', 'two\nlines'),
    ];
    await answerAll(a, await a.press(`assign:s:${id}`, hostile[0]!), hostile[0]!, [true, true, false]);
    a.setNow('2026-03-09T11:00:00Z');
    await answerAll(a, await a.press(`assign:s:${id}`, hostile[1]!), hostile[1]!, [true]);
    await a.press(`assign:s:${id}`, hostile[2]!);
    await a.storage.results.noteAnswer(
      WS,
      { id: 'u4', displayName: 'two\nlines' },
      {
        questionId: 'q-easy-3',
        topics: ['alpha'],
        correct: true,
        at: '2026-03-01T00:00:00Z',
        source: 'daily',
      },
    );
    const out = await a.run(`/assign status id:${id} export:true`);
    const file = out.files?.[0];
    expect(file?.name).toBe(`assignment-${id}.csv`);
    expect(file?.contentType).toBe('text/csv; charset=utf-8');
    const bytes = Buffer.from(file!.data);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(bytes, { bom: true }) as string[][];
    expect(rows).toEqual([
      ['name', 'user id', 'started', 'finished', 'score', 'right', 'answered', 'last active'],
      [`'=cmd|" /C calc"!A0`, 'u1', 'yes', 'yes', '2/3', '2', '3', '2026-03-09T10:00:00.000Z'],
      [`'@x`, 'u2', 'yes', 'no', '1/3', '1', '1', '2026-03-09T11:00:00.000Z'],
      ['Quote "q", comma', 'u3', 'yes', 'no', '0/3', '0', '0', '2026-03-09T11:00:00.000Z'],
      ['two\nlines', 'u4', 'no', 'no', '', '0', '0', ''],
    ]);
    // The card shows names as plain text on one line.
    expect(out.text).toContain('- =cmd" /C calc"!A0: 2/3');
    expect(out.text).toContain('- two lines');
  });

  it('lists open and recently closed assignments', async () => {
    const a = assignApp();
    const one = await created(a);
    const two = await created(a, '/assign create topic:beta questions:2 due:friday');
    await a.run(`/assign close id:${one.id}`);
    await answerAll(a, await a.press(`assign:s:${two.id}`, ANA), ANA, [true, true]);
    const out = await a.run('/assign list', ANA);
    expect(out.text).toContain(
      `- **${one.id}**: *Alpha*, 3 questions, due Tuesday 10 March 2026 at 23:59 (UTC): closed 9 March`,
    );
    expect(out.text).toContain(
      `- **${two.id}**: *Beta*, 2 questions, due Friday 13 March 2026 at 23:59 (UTC): open · you finished`,
    );
    a.setNow('2026-05-01T00:00:00Z');
    expect((await a.run('/assign list', ANA)).text).toContain('No open or recent assignments here');
  });

  it('shows open unfinished assignments in /progress as due today, tomorrow or in N days', async () => {
    const a = assignApp();
    const soon = await created(a);
    const later = await created(a, '/assign create topic:beta questions:2 due:friday time:18:00');
    const today = await created(a, '/assign create topic:alpha questions:2 due:today');
    const done = await created(a, '/assign create topic:beta questions:1 due:friday');
    await answerAll(a, await a.press(`assign:s:${done.id}`, ANA), ANA, [true]);
    await a.press(`assign:s:${soon.id}`, ANA);
    const out = await a.run('/progress', ANA);
    expect(out.ephemeral).toBe(true);
    expect(out.text).toContain(`- Assignment ${today.id} (*Alpha*) due today at 23:59`);
    expect(out.text).toContain(`- Assignment ${soon.id} (*Alpha*) due tomorrow at 23:59, 0 of 3 answered`);
    expect(out.text).toContain(`- Assignment ${later.id} (*Beta*) due in 4 days at 18:00`);
    expect(out.text).not.toContain(done.id);
    expect((await a.run('/progress', BO)).text).toContain(`Assignment ${soon.id}`);
  });

  it('/settings forget-server names assignments and learner progress among what it would delete', async () => {
    const a = assignApp();
    const { id } = await created(a);
    await a.press(`assign:s:${id}`, ANA);
    const admin = { ...person('u-admin', 'Admin', true), isAdmin: true };
    const out = await a.run('/settings forget-server', admin);
    expect(out.text).toContain('1 assignment');
    expect(out.text).toContain('1 learner progress in an assignment');
  });
});
