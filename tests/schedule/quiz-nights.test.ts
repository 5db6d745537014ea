import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Actor } from '../../src/core/command.ts';
import { memoryStorage } from '../../src/store/doc/index.ts';
import type { RecordingPoster } from '../helpers/poster.ts';
import { recordingQuizApp } from '../helpers/quiz-content.ts';

const channel = { platform: 'discord' as const, workspaceId: 'g1', channelId: 'c1' };
const host: Actor = {
  user: { platform: 'discord', id: 'h', displayName: 'Host' },
  channel,
  isAdmin: false,
  isHost: true,
  inServer: true,
};
const member: Actor = {
  ...host,
  user: { platform: 'discord', id: 'm', displayName: 'Member' },
  isHost: false,
};

function app(store = memoryStorage()) {
  const built = recordingQuizApp({ storage: store, seed: 9, quizPauseMs: 1000 });
  const run = (text: string, who: Actor = host) =>
    built.router.handle({ ...who, command: 'quiz', input: { kind: 'text', text } });
  return { ...built, run };
}

/** Moves the clock a minute at a time, ticking the scheduler each minute as node-cron would. */
async function minutes(a: ReturnType<typeof app>, n: number) {
  for (let i = 0; i < n; i++) {
    await vi.advanceTimersByTimeAsync(60_000);
    await a.clock.tick();
  }
}

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z'), toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('weekly quiz nights', () => {
  it('run exactly once a week in Europe/Berlin for half a year, across DST and restarts', async () => {
    const store = memoryStorage();
    let a = app(store);
    const made = await a.run(
      'schedule weekday:friday time:20:00 timezone:Europe/Berlin questions:3 seconds:5 ping:<@&123456789012345678>',
    );
    expect(made.title).toBe('Quiz night scheduled');
    expect(made.text).toMatch(
      /fridays at 20:00 Europe\/Berlin, 3 questions, 5 s each, reminding @123456789012345678\./,
    );
    expect(made.text).toContain('Next: Fri 2 January, 20:00 Europe/Berlin (19:00 UTC).');
    const posters: RecordingPoster[] = [a.poster];
    let restarts = 0;
    // Every day from 2 January to 30 June: tick from 18:30 to 19:30 UTC (19:30-20:30 CET / 20:30-21:30 CEST).
    for (let day = 1; day <= 181; day++) {
      vi.setSystemTime(new Date(Date.UTC(2026, 0, 1 + day, 17, 30)));
      await minutes(a, 120);
      if (day % 10 === 0) {
        await a.deps.quiz.shutdown();
        a = app(store); // a restart: same data, new process
        posters.push(a.poster);
        await a.deps.quiz.resume();
        restarts++;
      }
    }
    const all = posters.flatMap((p) => p.posts);
    const reminders = all.filter((p) => p.reply.title === 'Quiz night in 10 minutes');
    const starts = all.filter((p) => p.reply.title === 'Quiz night!');
    const fridays = Array.from({ length: 181 }, (_, d) => new Date(Date.UTC(2026, 0, 2 + d))).filter(
      (d) => d.getUTCDay() === 5,
    );
    expect(restarts).toBe(18);
    expect(starts).toHaveLength(fridays.length);
    expect(reminders).toHaveLength(fridays.length);
    const runs = Object.values(store.docs.nights.read().nights)[0]?.runs ?? {};
    const local = (iso: string) =>
      new Date(iso).toLocaleString('sv-SE', { timeZone: 'Europe/Berlin' }).slice(11, 16);
    expect(new Set(Object.values(runs).map((r) => local(r.started as string)))).toEqual(new Set(['20:00']));
    expect(new Set(Object.values(runs).map((r) => local(r.reminded as string)))).toEqual(new Set(['19:50']));
    // The ping is in the reminder only.
    expect(reminders.every((p) => p.reply.mention?.id === '123456789012345678')).toBe(true);
    expect(all.filter((p) => p.reply.mention)).toHaveLength(reminders.length);
  }, 60_000);

  it('reminds and starts exactly once across a restart between reminder and start', async () => {
    const store = memoryStorage();
    const first = app(store);
    await first.run('schedule weekday:friday time:20:00 timezone:UTC questions:3');
    vi.setSystemTime(new Date('2026-01-02T19:49:00Z'));
    await minutes(first, 3); // 19:50 reminder
    expect(first.poster.titles()).toEqual(['Quiz night in 10 minutes']);
    expect(first.poster.last().mention).toBeUndefined(); // no ping configured: nobody is mentioned
    const second = app(store);
    await minutes(second, 12); // up to 20:04
    expect(second.poster.titles().filter((t) => t.startsWith('Quiz night'))).toEqual(['Quiz night!']);
    await second.clock.tick();
    expect(second.poster.titles().filter((t) => t === 'Quiz night!')).toHaveLength(1);
    expect(second.poster.titles()).toContain('Question 1 of 3');
  });

  it('skips a start missed by more than 15 minutes, and notes it in /quiz schedules', async () => {
    const a = app();
    await a.run('schedule weekday:friday time:20:00 timezone:UTC');
    vi.setSystemTime(new Date('2026-01-02T20:16:00Z'));
    await a.clock.tick();
    expect(a.poster.posts).toHaveLength(0);
    const list = await a.run('schedules', member);
    expect(list.text).toContain('Skipped on 2026-01-02: missed by 16 minutes (the bot was not running).');
  });

  it('gives a notice instead of a second game when one is running', async () => {
    const a = app();
    await a.run('schedule weekday:friday time:20:00 timezone:UTC questions:3');
    vi.setSystemTime(new Date('2026-01-02T19:58:00Z'));
    await a.run('start questions:30 seconds:120', member);
    await minutes(a, 3);
    expect(a.poster.titles()).toContain('Quiz night in 10 minutes');
    expect(
      a.poster.posts.some((p) => p.reply.text?.includes('is skipped: a game is already running here')),
    ).toBe(true);
    expect(a.poster.titles()).not.toContain('Quiz night!');
  });

  it('pauses a quiz night when its channel is gone, and lets hosts list and remove them', async () => {
    const a = app();
    const made = await a.run('schedule weekday:friday time:20:00 timezone:UTC');
    const id = /\*\*(\w+)\*\*/.exec(made.text ?? '')?.[1] as string;
    a.poster.failures.push('gone');
    vi.setSystemTime(new Date('2026-01-02T19:49:30Z'));
    await minutes(a, 1);
    expect((await a.run('schedules', member)).text).toContain(
      'Paused: the channel no longer exists or the bot was removed from it.',
    );
    expect((await a.run(`unschedule id:${id}`, member)).text).toContain('Only hosts');
    expect((await a.run('unschedule id:nope')).text).toContain(
      'There is no quiz night `nope` in this channel.',
    );
    expect((await a.run(`unschedule ${id}`)).text).toBe(`Quiz night ${id} removed.`);
    expect((await a.run('schedules', member)).text).toContain('No quiz nights here yet.');
  });

  it('refuses bad schedules clearly', async () => {
    const a = app();
    expect((await a.run('schedule weekday:funday time:20:00 timezone:UTC')).text).toContain(
      '`weekday` must be one of',
    );
    expect((await a.run('schedule weekday:friday time:8 timezone:UTC')).text).toContain(
      '"8" could be morning or evening; write 08:00, 8am or 8pm',
    );
    expect((await a.run('schedule weekday:friday time:20:00')).text).toContain('Which time zone?');
    expect(
      (await a.run('schedule weekday:friday time:20:00 timezone:UTC topic:beta questions:20')).text,
    ).toBe('Only 6 questions match that topic and difficulty: ask for 6 or fewer.');
  });
});
