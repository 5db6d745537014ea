import { describe, expect, it, vi } from 'vitest';
import { memoryStorage } from '../../src/store/doc/index.ts';
import type { RecordingPoster } from '../helpers/poster.ts';
import { app, minutes, useQuizNightClock } from './night-fixtures.ts';

useQuizNightClock();

describe('weekly quiz nights over half a year', () => {
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
  });
});
