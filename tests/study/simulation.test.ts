/**
 * Sixty days of one learner with an injected clock: every morning (one instant of the clock) they review what is due and take
 * the day's new cards, missing some answers. Intervals grow after right answers and shrink after
 * misses, due counts match the cards, and closing and reopening the storage halfway (files,
 * PostgreSQL) ends in exactly the state of a run that never closed it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/log.ts';
import { memoryStorage } from '../../src/store/doc/index.ts';
import { openFileStorage } from '../../src/store/open.ts';
import type { Storage, StudyCard, WorkspaceRef } from '../../src/store/ports.ts';
import { StudyService } from '../../src/study/service.ts';
import { testSchema } from '../helpers/pg.ts';
import { quizContent } from '../helpers/quiz-content.ts';
import { tempDir } from '../store/helpers.ts';

const WS: WorkspaceRef = { platform: 'slack', workspaceId: 'T1' };
const USER = 'U1';
const DAYS = 60;
const DAY = 86_400_000;
const START = Date.parse('2026-03-01T07:00:00.000Z');
const TZ = 'Europe/Berlin';
const content = quizContent(8); // alpha 18 questions, beta 6

/** Whether the learner gets a question right on a day: about one miss in five, the same every run. */
function knows(questionId: string, day: number): boolean {
  let h = day * 31;
  for (const ch of questionId) h = (h * 33 + ch.charCodeAt(0)) % 1000;
  return h % 5 !== 0;
}

interface Observed {
  /** Days (0-59) with at least one answer. */
  active: Set<number>;
  grew: number;
  shrank: number;
  violations: string[];
}

/** Runs the 60 days; `restart` is called before day 30 and returns the storage to go on with. */
async function simulate(first: Storage, restart?: (s: Storage) => Promise<Storage>) {
  let storage = first;
  let now = new Date(START);
  const service = () => new StudyService({ content, study: storage.study, now: () => now });
  const seen: Observed = { active: new Set(), grew: 0, shrank: 0, violations: [] };
  await service().noteTopic(WS, USER, 'alpha');
  await service().noteTopic(WS, USER, 'beta');
  for (let day = 0; day < DAYS; day++) {
    if (day === 30 && restart) storage = await restart(storage);
    now = new Date(START + day * DAY);
    const study = service();
    // Due counts match the cards.
    const cards = await storage.study.cards(WS, USER);
    const dueNow = cards.filter((c) => Date.parse(c.due) <= now.getTime()).length;
    if ((await study.dueCount(WS, USER, now)) !== dueNow) seen.violations.push(`day ${day}: due count`);
    let reviewed = 0;
    for (;;) {
      const next = await study.next(WS, USER, now, { timezone: TZ });
      if (next.kind === 'done') break;
      if (next.kind === 'due' && next.dueCount !== dueNow - reviewed)
        seen.violations.push(`day ${day}: ${next.dueCount} due, expected ${dueNow - reviewed}`);
      const before = next.kind === 'due' ? next.card : undefined;
      const correct = knows(next.questionId, day);
      const after = await study.recordAnswer({
        ws: WS,
        userId: USER,
        questionId: next.questionId,
        correct,
        elapsedMs: 4_000,
        limitMs: 20_000,
        source: 'review',
      });
      if (after.due.getTime() <= now.getTime())
        seen.violations.push(`day ${day}: ${next.questionId} due again at once`);
      if (before && before.state === 'review') observe(seen, before, after.card, correct, day);
      if (next.kind === 'due') reviewed++;
      seen.active.add(day);
    }
  }
  return { storage, seen, now };
}

function observe(seen: Observed, before: StudyCard, after: StudyCard, correct: boolean, day: number): void {
  const what = `day ${day}: ${before.questionId} ${before.scheduledDays} -> ${after.scheduledDays} days`;
  if (correct) {
    if (after.scheduledDays > before.scheduledDays) seen.grew++;
    else seen.violations.push(`${what} after a right answer`);
  } else {
    if (after.scheduledDays < before.scheduledDays || before.scheduledDays <= 1) seen.shrank++;
    else seen.violations.push(`${what} after a miss`);
  }
}

async function stateOf(storage: Storage) {
  return {
    cards: await storage.study.cards(WS, USER),
    log: await storage.study.logs(WS, USER, new Date(0)),
    profile: await storage.study.profile(WS, USER),
  };
}

describe('sixty days of review', () => {
  let baseline: Awaited<ReturnType<typeof stateOf>>;
  const db = testSchema();
  afterAll(() => db.drop());

  it('intervals grow after right answers, shrink after misses; due counts match the cards', async () => {
    const { storage, seen, now } = await simulate(memoryStorage());
    let streak = 0;
    for (let day = seen.active.has(DAYS - 1) ? DAYS - 1 : DAYS - 2; seen.active.has(day); day--) streak++;
    expect(seen.violations).toEqual([]);
    expect(seen.grew).toBeGreaterThan(20);
    expect(seen.shrank).toBeGreaterThan(3);
    baseline = await stateOf(storage);
    // Five new cards a day until both topics are in the deck; every answer is logged.
    expect(baseline.cards).toHaveLength(24);
    expect(baseline.log.length).toBeGreaterThan(100);
    const p = await new StudyService({ content, study: storage.study, now: () => now }).progress(
      WS,
      USER,
      now,
      TZ,
    );
    expect(p.streakDays).toBe(streak);
    expect(p.days.reduce((n, d) => n + d.total, 0)).toBe(
      baseline.log.filter((e) => Date.parse(e.at) > now.getTime() - 30 * DAY).length,
    );
    expect(p.mastery.map((m) => m.topic)).toEqual(['alpha', 'beta']);
    expect(p.mastery[0]?.mastered).toBeGreaterThan(0);
  });

  it('closing and reopening the files halfway changes nothing', async () => {
    const dir = tempDir('thawbot-study-');
    try {
      const open = () => openFileStorage({ file: dir.file, log: silentLogger });
      const { storage } = await simulate(await open(), async (s) => {
        await s.close();
        return open();
      });
      expect(await stateOf(storage)).toEqual(baseline);
      await storage.close();
    } finally {
      dir.cleanup();
    }
  });

  it('closing and reopening PostgreSQL halfway changes nothing', async () => {
    const { storage } = await simulate(await db.open(), async (s) => {
      await s.close();
      return db.open();
    });
    expect(await stateOf(storage)).toEqual(baseline);
    await storage.close();
  });
});
