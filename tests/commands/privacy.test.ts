/** `/privacy my-data` and `/privacy forget-me` through the router, on the document engine and PostgreSQL. */
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core/command.ts';
import type { Reply } from '../../src/core/reply.ts';
import { memoryStorage } from '../../src/store/doc/index.ts';
import type { Storage } from '../../src/store/ports.ts';
import { line, person, seedClass } from '../helpers/classroom.ts';
import { testApp } from '../helpers/deps.ts';
import { testSchema } from '../helpers/pg.ts';
import { quizContent } from '../helpers/quiz-content.ts';

const WS = { platform: 'discord' as const, workspaceId: 'W1' };
const NOW = new Date('2026-02-25T09:00:00Z');
const U1 = person('discord', 'u1');
const HOST = person('discord', 'teacher', { host: true });

async function classApp(storage: Storage = memoryStorage(), clock = { now: NOW }) {
  const app = testApp({ content: quizContent(6), storage, now: () => clock.now });
  await seedClass(app, WS, ['Ana', 'Boris', 'Chen']);
  return app;
}
type App = Awaited<ReturnType<typeof classApp>>;

async function myData(app: App, who: Actor = U1) {
  const reply = await app.router.handle(line('privacy', 'my-data', who));
  const file = reply.files?.[0];
  if (!file) throw new Error(`no file: ${reply.text}`);
  return { reply, json: JSON.parse(Buffer.from(file.data).toString('utf8')) };
}

async function confirm(app: App, who: Actor = U1) {
  const reply = await app.router.handle(line('privacy', 'forget-me', who));
  const button = reply.actions?.[0];
  if (!button) throw new Error(`no button: ${reply.text}`);
  return { reply, button };
}

function exportedIds(reply: Reply): string[] {
  const rows = parse(Buffer.from(reply.files?.[0]?.data ?? []), { bom: true }) as string[][];
  return [...new Set(rows.slice(1).map((r) => r[1] as string))].sort();
}

describe('/privacy my-data', () => {
  it('sends a private JSON file of everything stored about me here', async () => {
    const app = await classApp();
    await app.deps.storage.settings.change(WS, (s) => {
      s.hostUserIds.push('u1');
      s.hostNames = { u1: 'Boris' };
    });
    const { reply, json } = await myData(app);
    expect(reply.ephemeral).toBe(true);
    expect(reply.files?.[0]).toMatchObject({ name: 'thawbot-my-data.json', contentType: 'application/json' });
    expect(json.about).toEqual({
      platform: 'discord',
      workspaceId: 'W1',
      userId: 'u1',
      exportedAt: NOW.toISOString(),
    });
    expect(Object.keys(json.data).sort()).toEqual(['hostList', 'results', 'study']);
    expect(json.data.results.playerRecord).toMatchObject({ userId: 'u1', displayName: 'Boris', games: 1 });
    expect(json.data.results.leaderboards.map((b: { period: string }) => b.period)).toEqual([
      '2026-02',
      'all',
    ]);
    expect(json.data.results.finishedGames[0].answers).toHaveLength(2);
    expect(json.data.study.log).toHaveLength(2);
    expect(json.data.hostList).toEqual({ onHostList: true, name: 'Boris' });
    // Nothing about the other learners.
    expect(JSON.stringify(json)).not.toMatch(/Ana|Chen|"u0"|"u2"/);
  });

  it('says so when nothing is stored', async () => {
    const app = await classApp();
    const { reply, json } = await myData(app, person('discord', 'stranger'));
    expect(reply.text).toContain('stores nothing about you');
    expect(json.data).toEqual({});
  });
});

describe('/privacy forget-me confirmation', () => {
  it('belongs to the person who asked, in that server, for 15 minutes', async () => {
    const clock = { now: NOW };
    const app = await classApp(memoryStorage(), clock);
    const { reply, button } = await confirm(app);
    expect(reply.ephemeral).toBe(true);
    expect(button.id).toMatch(/^forgetme:W1:u1:[0-9a-z]+$/);
    const before = (app.deps.storage as ReturnType<typeof memoryStorage>).snapshot();

    const other = await app.router.handleAction({ ...person('discord', 'u2'), actionId: button.id });
    expect(other.reply.text).toMatch(/belongs to someone else, so nothing was deleted/);
    const elsewhere = await app.router.handleAction({
      ...person('discord', 'u1', { workspaceId: 'W2' }),
      actionId: button.id,
    });
    expect(elsewhere.reply.text).toMatch(/belongs to another server/);
    const forged = await app.router.handleAction({ ...U1, actionId: 'forgetme:W1:u1:zzzzzzzzzzzz' });
    expect(forged.reply.text).toMatch(/expired/);
    clock.now = new Date(NOW.getTime() + 15 * 60_000 + 1);
    const late = await app.router.handleAction({ ...U1, actionId: button.id });
    expect(late.reply.text).toMatch(/expired, so nothing was deleted.*\/privacy forget-me/);
    expect((app.deps.storage as ReturnType<typeof memoryStorage>).snapshot()).toEqual(before);

    // A fresh one works.
    const fresh = await confirm(app);
    const done = await app.router.handleAction({ ...U1, actionId: fresh.button.id });
    expect(done.mode).toBe('replace');
    expect(done.reply.title).toBe('Your data is deleted');
  });
});

function forgetMeRemovesTheLearner(open: () => Promise<{ storage: Storage; close: () => Promise<void> }>) {
  it('removes me from the leaderboard, the export and my-data; others stay', async () => {
    const { storage, close } = await open();
    try {
      const app = await classApp(storage);
      await reportAndAssignment(storage);
      expect(Object.keys((await myData(app)).json.data).sort()).toEqual([
        'assignments',
        'reports',
        'results',
        'study',
      ]);
      expect(exportedIds(await app.router.handle(line('quiz', 'export', HOST)))).toEqual(['u0', 'u1', 'u2']);
      const board = () => app.router.handle(line('quiz', 'leaderboard', U1));
      expect((await board()).text).toContain('Boris');

      const { button } = await confirm(app);
      const done = await app.router.handleAction({ ...U1, actionId: button.id });
      expect(done.reply.text).toMatch(/Everything thawbot stored about you in this server is deleted/);

      expect((await board()).text).not.toContain('Boris');
      expect((await board()).text).toContain('Chen');
      expect(exportedIds(await app.router.handle(line('quiz', 'export', HOST)))).toEqual(['u0', 'u2']);
      expect((await myData(app)).json.data).toEqual({});
      expect(await storage.results.player(WS, 'u2')).toMatchObject({ displayName: 'Chen' });
      // The report stays, without the reporter; the assignment stays, without the learner's progress.
      const [report] = await storage.disputes.open(WS);
      expect(report).toMatchObject({ id: 'r1', text: 'The year is wrong.' });
      expect(report?.userId).toBeUndefined();
      expect(report?.userName).toBeUndefined();
      expect(await storage.assignments.get(WS, 'a1')).toBeDefined();
      expect(await storage.assignments.progressOf(WS, 'a1')).toEqual([]);

      const again = await app.router.handleAction({ ...U1, actionId: (await confirm(app)).button.id });
      expect(again.reply.text).toMatch(/nothing to delete/);
    } finally {
      await close();
    }
  });
}

/** A report of a problem filed by u1 and u1's progress in an assignment. */
async function reportAndAssignment(storage: Storage): Promise<void> {
  await storage.disputes.file(
    {
      id: 'r1',
      ...WS,
      channelId: 'c1',
      questionId: 'q-easy-3',
      reason: 'wrong-answer',
      text: 'The year is wrong.',
      userId: 'u1',
      userName: 'Boris',
      createdAt: '2026-02-22T10:00:00.000Z',
      status: 'open',
    },
    { since: new Date('2026-02-22T00:00:00Z'), max: 10 },
  );
  await storage.assignments.create({
    id: 'a1',
    channel: { ...WS, channelId: 'c1' },
    topic: 'alpha',
    questionIds: ['q-easy-3'],
    dueAt: '2026-02-28T18:00:00.000Z',
    dueDate: '2026-02-28',
    dueTime: '18:00',
    timezone: 'UTC',
    createdAt: '2026-02-20T09:00:00.000Z',
    createdBy: { id: 'teacher', displayName: 'Teacher' },
    hosts: {},
  });
  await storage.assignments.start({
    ...WS,
    assignmentId: 'a1',
    userId: 'u1',
    displayName: 'Boris',
    order: ['q-easy-3'],
    startedAt: '2026-02-21T11:00:00.000Z',
    updatedAt: '2026-02-21T11:00:00.000Z',
    answers: {},
  });
}

describe('/privacy forget-me on the document engine', () => {
  forgetMeRemovesTheLearner(async () => ({ storage: memoryStorage(), close: async () => {} }));
});

describe('/privacy forget-me on PostgreSQL', () => {
  const db = testSchema();
  afterAll(() => db.drop());
  forgetMeRemovesTheLearner(async () => {
    const storage = await db.open();
    return { storage, close: () => storage.close() };
  });
});
