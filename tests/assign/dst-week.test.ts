/**
 * An assignment over a simulated week whose due date falls just after a DST change: the reminder
 * goes out once, the day before at the due time of day in the assignment's zone (not 24 hours
 * before the due instant), and never again, not after a restart either. The clock is injected and
 * the minute clock is ticked by hand, minute by minute around the instants that matter.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { buildApp } from '../../src/app.ts';
import { reminderAt } from '../../src/assign/due.ts';
import { silentLogger } from '../../src/core/log.ts';
import { channelKey } from '../../src/core/platform.ts';
import { seededRandom } from '../../src/core/random.ts';
import { postMarker } from '../../src/schedule/scheduler.ts';
import type { DocStorage } from '../../src/store/doc/index.ts';
import { openFileStorage } from '../../src/store/index.ts';
import { RecordingPoster } from '../helpers/poster.ts';
import { quizContent } from '../helpers/quiz-content.ts';
import { TEACHER } from './helpers.ts';

const MINUTE = 60_000;
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'thawbot-assign-dst-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function boot(storage: DocStorage, clock: { now: Date }) {
  const app = buildApp({
    content: quizContent(),
    storage,
    log: silentLogger,
    now: () => clock.now,
    random: seededRandom(3),
    commands,
  });
  const poster = new RecordingPoster();
  app.deps.posters.register('console', poster);
  return { app, poster };
}

/**
 * Ticks the minute clock from `clock.now` up to (not including) `until`: every minute within three
 * hours of an instant in `near` (the expected reminder, the due time), every 15 minutes elsewhere.
 * Returns when each post went out.
 */
async function tickUntil(
  app: ReturnType<typeof boot>,
  clock: { now: Date },
  until: Date,
  near: readonly string[] = [],
): Promise<string[]> {
  const times: string[] = [];
  const close = (t: number) => near.some((n) => Math.abs(Date.parse(n) - t) <= 3 * 60 * MINUTE);
  while (clock.now < until) {
    const before = app.poster.posts.length;
    await app.app.clock.tick();
    for (let i = before; i < app.poster.posts.length; i++) times.push(clock.now.toISOString());
    const t = clock.now.getTime();
    clock.now = new Date(t + (close(t) ? MINUTE : 15 * MINUTE));
  }
  return times;
}

describe('the day-before reminder across a DST change', () => {
  it.each([
    // Berlin leaves summer time on Sunday 25 October 2026 (03:00 CEST -> 02:00 CET).
    [
      'Europe/Berlin',
      '2026-10-19T10:00:00Z',
      'sunday',
      '20:00',
      '2026-10-25T19:00:00.000Z',
      '2026-10-24T18:00:00.000Z',
    ],
    // New York enters summer time on Sunday 8 March 2026 (02:00 EST -> 03:00 EDT), the due date.
    [
      'America/New_York',
      '2026-03-02T15:00:00Z',
      '2026-03-08',
      '09:00',
      '2026-03-08T13:00:00.000Z',
      '2026-03-07T14:00:00.000Z',
    ],
  ])(
    'in %s: once, the day before at the due time of day',
    async (zone, start, due, time, dueAt, remindAt) => {
      const clock = { now: new Date(start) };
      const file = join(dir, 'thawbot.json');
      let storage = await openFileStorage({ file, log: silentLogger });
      let app = boot(storage, clock);
      const card = await app.app.router.handle({
        ...TEACHER,
        command: 'assign',
        input: {
          kind: 'text',
          text: `create topic:alpha questions:3 due:${due} time:${time} timezone:${zone}`,
        },
      });
      const id = /Assignment (\w+):/.exec(card.title ?? '')?.[1] ?? '';
      const stored = await storage.assignments.get(TEACHER.channel, id);
      expect(stored?.dueAt).toBe(dueAt);
      // Not 24 hours before: the clocks changed in between.
      expect(reminderAt(stored!).toISOString()).toBe(remindAt);
      expect(Date.parse(dueAt) - Date.parse(remindAt)).not.toBe(24 * 60 * MINUTE);

      // The week up to one minute after the reminder.
      const first = await tickUntil(app, clock, new Date(Date.parse(remindAt) + 2 * MINUTE), [
        remindAt,
        dueAt,
      ]);
      expect(first).toEqual([remindAt]);
      const posted = app.poster.last();
      expect(posted.title).toBe(`Assignment ${id} is due tomorrow`);
      expect(posted.text).toContain(`at ${time} (${zone})`);
      expect(posted.mention).toBeUndefined();
      expect(posted.actions?.[0]?.id).toBe(`assign:s:${id}`);

      // A restart: the claim is on disk, nothing is posted again up to and past the due time.
      await storage.close();
      storage = await openFileStorage({ file, log: silentLogger });
      app = boot(storage, clock);
      expect(
        await tickUntil(app, clock, new Date(Date.parse(dueAt) + 60 * MINUTE), [remindAt, dueAt]),
      ).toEqual([]);
      await storage.close();
    },
  );

  it('pings only the role chosen at create, and skips an assignment set less than a day ahead', async () => {
    const clock = { now: new Date('2026-10-23T10:00:00Z') };
    const storage = await openFileStorage({ file: join(dir, 'thawbot.json'), log: silentLogger });
    const app = boot(storage, clock);
    const run = (text: string) =>
      app.app.router.handle({ ...TEACHER, command: 'assign', input: { kind: 'text', text } });
    await run('create topic:alpha questions:2 due:2026-10-24 time:12:00 timezone:UTC ping:@class-9b');
    await run('create topic:alpha questions:2 due:2026-10-24 time:09:00 timezone:UTC');
    const times = await tickUntil(app, clock, new Date('2026-10-24T13:00:00Z'), [
      '2026-10-23T12:00:00Z',
      '2026-10-23T09:00:00Z',
    ]);
    expect(times).toEqual(['2026-10-23T12:00:00.000Z']);
    expect(app.poster.last().mention).toEqual({ id: 'class-9b', label: 'class-9b' });
    await storage.close();
  });

  it('two processes ticking at the same minute post the reminder once', async () => {
    const clock = { now: new Date('2026-10-23T10:00:00Z') };
    const storage = await openFileStorage({ file: join(dir, 'thawbot.json'), log: silentLogger });
    const one = boot(storage, clock);
    const two = boot(storage, clock);
    await one.app.router.handle({
      ...TEACHER,
      command: 'assign',
      input: { kind: 'text', text: 'create topic:alpha questions:2 due:2026-10-24 time:12:00 timezone:UTC' },
    });
    clock.now = new Date('2026-10-23T12:00:00Z');
    await Promise.all([one.app.clock.tick(), two.app.clock.tick()]);
    expect(one.poster.posts.length + two.poster.posts.length).toBe(1);
    await storage.close();
  });

  it('a reminder missed while the bot was down goes out late, once, saying the assignment is due today', async () => {
    const clock = { now: new Date('2026-10-20T10:00:00Z') };
    const storage = await openFileStorage({ file: join(dir, 'thawbot.json'), log: silentLogger });
    const app = boot(storage, clock);
    await app.app.router.handle({
      ...TEACHER,
      command: 'assign',
      input: { kind: 'text', text: 'create topic:alpha questions:2 due:2026-10-24 time:18:00 timezone:UTC' },
    });
    // Down from before the reminder (23 October 18:00) until the morning of the due date.
    clock.now = new Date('2026-10-24T08:00:00Z');
    const times = await tickUntil(app, clock, new Date('2026-10-24T08:05:00Z'), ['2026-10-24T08:00:00Z']);
    expect(times).toEqual(['2026-10-24T08:00:00.000Z']);
    expect(app.poster.last().title).toMatch(/^Assignment \w{4} is due today$/);
    await storage.close();
  });

  describe('a reminder cut off before it was known to be sent', () => {
    async function setUp() {
      const clock = { now: new Date('2026-10-23T10:00:00Z') };
      const storage = await openFileStorage({ file: join(dir, 'thawbot.json'), log: silentLogger });
      const app = boot(storage, clock);
      const card = await app.app.router.handle({
        ...TEACHER,
        command: 'assign',
        input: {
          kind: 'text',
          text: 'create topic:alpha questions:2 due:2026-10-24 time:12:00 timezone:UTC',
        },
      });
      const id = /Assignment (\w+):/.exec(card.title ?? '')?.[1] ?? '';
      clock.now = new Date('2026-10-23T12:00:00Z');
      const marker = postMarker(channelKey(TEACHER.channel), `assignment:${id}`);
      const ticks = (minutes: number) =>
        tickUntil(app, clock, new Date(clock.now.getTime() + minutes * MINUTE), [clock.now.toISOString()]);
      return { clock, storage, app, id, marker, ticks };
    }

    it('is posted again at the next minute after a failure that waiting can mend, once', async () => {
      const t = await setUp();
      t.app.poster.failures.push('transient');
      expect(await t.ticks(1)).toEqual([]);
      expect(await t.ticks(10)).toEqual(['2026-10-23T12:01:00.000Z']);
      expect(t.app.poster.posts.map((p) => p.marker)).toEqual([t.marker]);
      expect((await t.storage.assignments.get(TEACHER.channel, t.id))?.reminderSentAt).toBeDefined();
      await t.storage.close();
    });

    it('is not posted again when it landed but the answer was lost, nor after a crash found it there', async () => {
      const t = await setUp();
      // Claimed, and in the channel, but the process died before noting it sent.
      await t.storage.assignments.claimReminder(TEACHER.channel, t.id, t.clock.now);
      t.app.poster.posts.push({
        channel: TEACHER.channel,
        reply: { fallbackText: 'x' },
        messageId: 'm1',
        marker: t.marker,
      });
      expect(await t.ticks(10)).toEqual([]);
      expect((await t.storage.assignments.get(TEACHER.channel, t.id))?.reminderSentAt).toBeDefined();
      await t.storage.close();
    });

    it('is posted once at the next start when a crash came between the claim and the post', async () => {
      const t = await setUp();
      await t.storage.assignments.claimReminder(TEACHER.channel, t.id, t.clock.now);
      expect(await t.ticks(10)).toEqual(['2026-10-23T12:00:00.000Z']);
      await t.storage.close();
    });

    it('is given up, not retried forever, when the channel is gone', async () => {
      const t = await setUp();
      t.app.poster.failures.push('gone');
      expect(await t.ticks(10)).toEqual([]);
      expect((await t.storage.assignments.get(TEACHER.channel, t.id))?.reminderSentAt).toBeDefined();
      await t.storage.close();
    });
  });
});
