/** `/quiz export`: the CSV parsed back cell by cell (hostile names included), periods, limits, engines. */
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { FILE_LIMITS } from '../../src/core/files.ts';
import type { Reply } from '../../src/core/reply.ts';
import { exportPeriod } from '../../src/export/period.ts';
import { progressExport } from '../../src/export/progress.ts';
import { memoryStorage } from '../../src/store/doc/index.ts';
import type { Storage } from '../../src/store/ports.ts';
import { HOSTILE_NAMES, learnerId, line, person, seedClass } from '../helpers/classroom.ts';
import { testApp } from '../helpers/deps.ts';
import { testSchema } from '../helpers/pg.ts';
import { quizContent } from '../helpers/quiz-content.ts';

const WS = { platform: 'console' as const, workspaceId: 'W1' };
const HOST = person('console', 'teacher', { host: true });

async function classApp(storage: Storage = memoryStorage()) {
  const app = testApp({ content: quizContent(6), storage });
  await seedClass(app, WS);
  return app;
}

async function exportReply(
  app: Awaited<ReturnType<typeof classApp>>,
  text = 'export',
  who = HOST,
): Promise<Reply> {
  return app.router.handle(line('quiz', text, who));
}

function rowsOf(reply: Reply): string[][] {
  const file = reply.files?.[0];
  if (!file) throw new Error(`no file in: ${reply.text}`);
  const bytes = Buffer.from(file.data);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return parse(bytes, { bom: true, relax_column_count: false }) as string[][];
}

/** What a spreadsheet must show for a name: a leading formula character escaped with a quote. */
const shown = (name: string) => (/^[=+\-@]/.test(name) ? `'${name}` : name);

function expectedRows(): string[][] {
  const rows: string[][] = [];
  HOSTILE_NAMES.forEach((name, i) => {
    const first = i === 0;
    rows.push([
      shown(name),
      learnerId(i),
      'Alpha',
      first ? '2' : '1',
      first ? '2' : '1',
      first ? '8' : '0',
      '0',
      first ? '2026-02-22 09:00' : '2026-02-20 10:00',
    ]);
    rows.push([shown(name), learnerId(i), 'Beta', '1', '0', '0', '0', '2026-02-21 11:30']);
  });
  return rows;
}

const byUserAndTopic = (a: string[], b: string[]) =>
  (a[1] as string).localeCompare(b[1] as string) || (a[2] as string).localeCompare(b[2] as string);

describe('/quiz export', () => {
  it('sends a CSV with one row per learner and topic, every cell as expected and names neutralised', async () => {
    const app = await classApp();
    const reply = await exportReply(app);
    expect(reply.ephemeral).toBe(true);
    expect(reply.text).toContain('8 learners, 16 rows');
    expect(reply.text).toContain('2025-10-29 to 2026-02-25');
    const file = reply.files?.[0];
    expect(file?.name).toBe('thawbot-progress-2025-10-29-to-2026-02-25.csv');
    expect(file?.contentType).toBe('text/csv; charset=utf-8');
    const [header, ...rows] = rowsOf(reply);
    expect(header).toEqual([
      'learner',
      'user id',
      'topic',
      'questions answered',
      'right',
      'mastery (%)',
      'assignments finished',
      'last active (UTC)',
    ]);
    expect([...rows].sort(byUserAndTopic)).toEqual(expectedRows().sort(byUserAndTopic));
    // Sorted by learner name, then topic.
    expect(rows.map((r) => r[1])).toEqual(
      [...rows]
        .sort((a, b) => (a[0] as string).localeCompare(b[0] as string, 'en') || byUserAndTopic(a, b))
        .map((r) => r[1]),
    );
    // No cell a spreadsheet would run as a formula.
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@]/);
  });

  it('covers only the dates asked for, in the server time zone', async () => {
    const app = await classApp();
    await app.deps.storage.settings.change(WS, (s) => {
      s.timezone = 'Asia/Tokyo';
    });
    const reply = await exportReply(app, 'export from:2026-02-21 to:2026-02-22');
    const [header, ...rows] = rowsOf(reply);
    expect(header?.[7]).toBe('last active (Asia/Tokyo)');
    // 2026-02-20 10:00 UTC is the 20th in Tokyo (out); 2026-02-21 11:30 UTC is 20:30 on the 21st (in).
    expect(rows.filter((r) => r[2] === 'Alpha').map((r) => [r[1], r[3], r[7]])).toEqual([
      ['u0', '1', '2026-02-22 18:00'],
    ]);
    expect(rows.filter((r) => r[2] === 'Beta')).toHaveLength(8);
  });

  it('leaves out questions hidden in the server', async () => {
    const app = await classApp();
    await app.deps.storage.settings.change(WS, (s) => {
      s.hiddenQuestions = { 'q-easy-4': { at: '2026-02-23T00:00:00Z' } };
    });
    const rows = rowsOf(await exportReply(app)).slice(1);
    expect(rows.find((r) => r[1] === 'u0' && r[2] === 'Alpha')?.slice(3, 6)).toEqual(['1', '1', '0']);
  });

  it('refuses bad dates politely and privately', async () => {
    const app = await classApp();
    for (const [text, message] of [
      ['export from:2026-13-01', /There is no date 2026-13-01 \(from:\)/],
      ['export from:yesterday', /from: must look like 2026-09-01/],
      ['export to:2026-02-30', /There is no date 2026-02-30 \(to:\)/],
      [
        'export from:2026-03-01 to:2026-02-01',
        /start date \(2026-03-01\) is after the end date \(2026-02-01\)/,
      ],
    ] as const) {
      const reply = await exportReply(app, text);
      expect(reply.ephemeral).toBe(true);
      expect(reply.files).toBeUndefined();
      expect(reply.text).toMatch(message);
    }
  });

  it('is for hosts only', async () => {
    const app = await classApp();
    const reply = await exportReply(app, 'export', person('console', 'u1'));
    expect(reply.files).toBeUndefined();
    expect(reply.ephemeral).toBe(true);
    expect(reply.text).toMatch(/host/i);
  });

  it('says what to narrow when the file would be over the platform limit', async () => {
    const app = await classApp();
    const saved = FILE_LIMITS.console.maxBytes;
    FILE_LIMITS.console.maxBytes = 500;
    try {
      const reply = await exportReply(app, 'export from:2026-01-01 to:2026-02-25');
      expect(reply.files).toBeUndefined();
      expect(reply.ephemeral).toBe(true);
      expect(reply.text).toMatch(
        /The export for 2026-01-01 to 2026-02-25 would be \d+ bytes, over the 64 MiB limit for saved files\. Narrow the dates, for example to about 28 days at a time/,
      );
    } finally {
      FILE_LIMITS.console.maxBytes = saved;
    }
  });

  it('fills "assignments finished" from a source when one is passed in', async () => {
    const app = await classApp();
    const period = exportPeriod({}, app.deps.now(), 'UTC');
    if ('error' in period) throw new Error(period.error);
    const out = await progressExport(
      {
        storage: app.deps.storage,
        content: app.deps.content,
        assignments: { finished: async () => [{ userId: 'u3', topic: 'beta', finished: 2 }] },
      },
      WS,
      period,
    );
    const rows = parse(out.csv, { bom: true }) as string[][];
    expect(rows[0]?.[6]).toBe('assignments finished');
    expect(
      rows
        .slice(1)
        .filter((r) => r[6] !== '0')
        .map((r) => [r[1], r[2], r[6]]),
    ).toEqual([['u3', 'Beta', '2']]);
  });
});

describe('/quiz export and assignments', () => {
  it('counts assignments finished in the period per learner and topic', async () => {
    const app = await classApp();
    const { assignments } = app.deps.storage;
    for (const [id, topic] of [
      ['a1', 'beta'],
      ['a2', 'beta'],
      ['a3', 'alpha'],
    ] as const) {
      await assignments.create({
        id,
        channel: { ...WS, channelId: 'c1' },
        topic,
        questionIds: ['q-easy-1'],
        dueAt: '2026-02-24T18:00:00.000Z',
        dueDate: '2026-02-24',
        dueTime: '18:00',
        timezone: 'UTC',
        createdAt: '2026-02-01T09:00:00.000Z',
        createdBy: { id: 'teacher', displayName: 'Teacher' },
        hosts: {},
      });
      const finishedAt = id === 'a3' ? '2025-01-01T10:00:00.000Z' : '2026-02-21T11:30:00.000Z';
      await assignments.start({
        ...WS,
        assignmentId: id,
        userId: 'u3',
        displayName: '@x',
        order: ['q-easy-1'],
        startedAt: '2026-02-21T11:00:00.000Z',
        updatedAt: finishedAt,
        finishedAt,
        answers: {},
      });
    }
    const rows = rowsOf(await exportReply(app)).slice(1);
    // a3 was finished before the period.
    expect(rows.filter((r) => r[6] !== '0').map((r) => [r[1], r[2], r[6]])).toEqual([['u3', 'Beta', '2']]);
  });
});

describe('/quiz export on PostgreSQL', () => {
  const db = testSchema();
  afterAll(() => db.drop());

  it('gives the same file as the document engine', async () => {
    const storage = await db.open();
    try {
      const onPg = rowsOf(await exportReply(await classApp(storage)));
      const inMemory = rowsOf(await exportReply(await classApp()));
      expect(onPg).toEqual(inMemory);
      expect(onPg).toHaveLength(17);
    } finally {
      await storage.close();
    }
  });
});
