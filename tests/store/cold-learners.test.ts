/**
 * Learners on files beyond the few in use are held on disk only (`hotLearners`), with their review
 * logs in journals: every read and change answers as the memory engine does, and memory holds no
 * more learners than the limit, also under concurrent answers and after a reopen.
 */
import { statSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type DocStorage, memoryStorage } from '../../src/store/doc/index.ts';
import { keyedFileName } from '../../src/store/doc/keyed-files.ts';
import type { StudyFiles } from '../../src/store/doc/study-files.ts';
import { openStorage } from '../../src/store/index.ts';
import { userKey } from '../../src/store/keys.ts';
import { openFileStorage } from '../../src/store/open.ts';
import type { WorkspaceRef } from '../../src/store/ports.ts';
import { recordingLogger, tempDir } from './helpers.ts';
import { card, put } from './study-contract.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const NOW = new Date('2026-11-26T12:00:00.000Z');
const WS: WorkspaceRef = { platform: 'discord', workspaceId: 'g1' };
const OTHER: WorkspaceRef = { platform: 'discord', workspaceId: 'g2' };
const PEOPLE: [WorkspaceRef, string][] = [
  [WS, 'ana'],
  [WS, 'bob'],
  [WS, 'cy'],
  [WS, 'dan'],
  [OTHER, 'eve'],
  [OTHER, 'fay'],
];
const LIMIT = 2;

function setup() {
  const t = tempDir('thawbot-cold-learners-');
  cleanups.push(t.cleanup);
  return t;
}

async function openFiles(file: string, backupIntervalMs?: number): Promise<DocStorage> {
  const storage = (await openFileStorage({
    file,
    log: recordingLogger(),
    now: () => NOW,
    hotLearners: LIMIT,
    ...(backupIntervalMs === undefined ? {} : { backupIntervalMs }),
  })) as DocStorage;
  cleanups.push(() => storage.close());
  return storage;
}

function hot(storage: DocStorage): number {
  return Object.keys(storage.docs.study.read().learners).length;
}

/** Answers over a year (some past the 400 days of the review log), and reminders for a few. */
async function seed(storage: DocStorage): Promise<void> {
  for (const [i, [ws, user]] of PEOPLE.entries()) {
    for (let q = 0; q < 4; q++) {
      const at = new Date(Date.UTC(2025, 6 + q * 3, 1 + i)).toISOString();
      await storage.study.changeCard(
        ws,
        user,
        `q${q}`,
        put(card(`q${q}`, at, { lastReview: at }), [`t${q % 2}`]),
      );
    }
    if (i % 2 === 0)
      await storage.study.changeProfile(ws, user, (p) => {
        p.reminder = { time: '08:00', timezone: 'Europe/Paris' };
      });
    expect(await storage.study.claimReminder(ws, user, '2025-01-01', NOW)).toBe(true);
  }
}

async function answers(storage: DocStorage) {
  const out: Record<string, unknown> = {};
  for (const [ws, user] of PEOPLE) {
    out[`${user}:card`] = await storage.study.card(ws, user, 'q1');
    out[`${user}:due`] = await storage.study.due(ws, user, NOW, { limit: 10 });
    out[`${user}:counts`] = await storage.study.dueCounts(ws, user, [NOW, new Date('2027-01-01')]);
    out[`${user}:cards`] = await storage.study.cards(ws, user);
    out[`${user}:logs`] = await storage.study.logs(ws, user, new Date(0));
    out[`${user}:profile`] = await storage.study.profile(ws, user);
    out[`${user}:data`] = await storage.study.learnerData(ws, user);
  }
  const byUser = (a: { userId: string }, b: { userId: string }) => a.userId.localeCompare(b.userId);
  out.reminders = (await storage.study.reminders()).sort(byUser);
  const topicsOf = new Map(['q0', 'q1', 'q2', 'q3'].map((q, i) => [q, [`t${i % 2}`]]));
  out.activity = await storage.study.activity(WS, {
    from: new Date('2025-01-01'),
    to: NOW,
    topicsOf,
    masteredDays: 1,
  });
  out.footprint = await storage.workspaces.footprint(WS);
  out.people = await storage.workspaces.people(OTHER);
  return out;
}

describe('learners held on disk only', () => {
  it('answers as in memory, holding at most the limit, and after a reopen', async () => {
    const { file } = setup();
    const files = await openFiles(file);
    const memory = memoryStorage();
    await seed(files);
    await seed(memory);
    expect(hot(files)).toBeLessThanOrEqual(LIMIT);
    expect((files.docs.study as StudyFiles).coldCount).toBe(PEOPLE.length - hot(files));

    const expected = await answers(memory);
    expect(await answers(files)).toEqual(expected);
    expect(hot(files)).toBeLessThanOrEqual(LIMIT);
    expect((await files.dump()).study).toEqual((await memory.dump()).study);
    expect(hot(files)).toBeLessThanOrEqual(LIMIT);

    await files.close();
    const again = await openFiles(file);
    expect(hot(again)).toBeLessThanOrEqual(LIMIT);
    expect(await answers(again)).toEqual(expected);
  });

  it('prunes, forgets a learner and a server held on disk only as in memory', async () => {
    const { file } = setup();
    const files = await openFiles(file);
    const memory = memoryStorage();
    await seed(files);
    await seed(memory);

    const pruned = await memory.prune(NOW);
    expect(pruned.reviewLogs).toBeGreaterThan(0);
    expect(pruned.reminderClaims).toBe(PEOPLE.length);
    expect(await files.prune(NOW)).toEqual(pruned);
    expect(hot(files)).toBeLessThanOrEqual(LIMIT);
    expect(await answers(files)).toEqual(await answers(memory));

    expect(await files.study.forgetLearner(WS, 'ana')).toBe(true);
    expect(await memory.study.forgetLearner(WS, 'ana')).toBe(true);
    expect(await files.workspaces.forget(OTHER)).toEqual(await memory.workspaces.forget(OTHER));
    expect(await answers(files)).toEqual(await answers(memory));
    expect((await files.dump()).study).toEqual((await memory.dump()).study);
  });

  it('keeps every concurrent answer while learners go to disk and come back', async () => {
    const { file } = setup();
    const files = await openFiles(file);
    const memory = memoryStorage();
    const answer = (s: DocStorage, n: number) => {
      const [ws, user] = PEOPLE[n % PEOPLE.length] as [WorkspaceRef, string];
      const at = new Date(NOW.getTime() - n * 60_000).toISOString();
      return s.study.changeCard(ws, user, `q${n % 7}`, put(card(`q${n % 7}`, at, { lastReview: at })));
    };
    await Promise.all(Array.from({ length: 120 }, (_, n) => answer(files, n)));
    for (let n = 0; n < 120; n++) await answer(memory, n);
    expect(hot(files)).toBeLessThanOrEqual(LIMIT);
    const sortLogs = (d: Awaited<ReturnType<DocStorage['dump']>>) => {
      for (const l of Object.values(d.study.learners)) l.log.sort((a, b) => a.at.localeCompare(b.at));
      return d.study;
    };
    expect(sortLogs(await files.dump())).toEqual(sortLogs(await memory.dump()));
  });

  it('rolls a backup when a learner goes to disk only if its interval is due', async () => {
    const { file } = setup();
    let now = NOW.getTime();
    const storage = (await openFileStorage({
      file,
      log: recordingLogger(),
      now: () => new Date(now),
      hotLearners: 1,
      backupIntervalMs: 600_000,
    })) as DocStorage;
    cleanups.push(() => storage.close());
    const study = storage.docs.study as StudyFiles;
    const answer = (user: string, q: string) =>
      storage.study.changeCard(WS, user, q, put(card(q, new Date(now).toISOString())));
    await answer('ana', 'q1'); // her first write rolls her backup
    await answer('bob', 'q1');
    await storage.flush();
    const rolled = study.stats.backups;
    // Taking turns, each goes to disk and comes back on every answer: no backup within the interval.
    for (let i = 2; i < 8; i++) {
      await answer('ana', `q${i}`);
      await answer('bob', `q${i}`);
    }
    await storage.flush();
    expect(study.stats.backups).toBe(rolled);
    expect(hot(storage)).toBe(1);
    // Once it is due, going to disk rolls it (the backup of a learner on disk is not rolled later).
    now += 600_000;
    await answer('ana', 'q9');
    await answer('bob', 'q9');
    await storage.flush();
    expect(study.stats.backups).toBeGreaterThan(rolled);
  });
});

describe('a start with many learners on disk', () => {
  it('reads each learner for its summary and holds it on disk only, rewriting only what needs settling', async () => {
    const { file } = setup();
    // Every write rolls its backup, so the one restored below is as current as its file.
    const files = await openFiles(file, 0);
    const memory = memoryStorage();
    await seed(files);
    await seed(memory);
    await files.close();
    const dir = `${file.slice(0, -'.json'.length)}.study`;
    const fileOf = (ws: WorkspaceRef, user: string) => path.join(dir, keyedFileName(userKey(ws, user)));
    // Bob's file is lost: the start restores it from its backup, and writes it.
    unlinkSync(fileOf(WS, 'bob'));
    const others = PEOPLE.filter(([, user]) => user !== 'bob');
    const stamps = () => others.map(([ws, user]) => statSync(fileOf(ws, user)).mtimeMs);
    const before = stamps();

    const again = await openFiles(file);
    const study = again.docs.study as StudyFiles;
    expect(study.stats.writes).toBe(1);
    expect(hot(again)).toBeLessThanOrEqual(LIMIT);
    expect(study.coldCount).toBe(PEOPLE.length - hot(again));
    expect(stamps()).toEqual(before);
    // Reminders, people and card counts come from the summaries; every answer as in memory.
    expect(await answers(again)).toEqual(await answers(memory));
  });
});

describe('the limit from the configuration', () => {
  it('reaches the files engine through openStorage (STUDY_LEARNERS_IN_MEMORY)', async () => {
    const { file } = setup();
    const storage = (await openStorage({ file, log: recordingLogger(), hotLearners: 1 })) as DocStorage;
    cleanups.push(() => storage.close());
    for (const [ws, user] of PEOPLE.slice(0, 3))
      await storage.study.changeCard(ws, user, 'q1', put(card('q1', NOW.toISOString())));
    await storage.flush();
    expect(hot(storage)).toBe(1);
    expect((storage.docs.study as StudyFiles).coldCount).toBe(2);
  });
});
