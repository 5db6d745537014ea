import { describe, expect, it, vi } from 'vitest';
import { memoryStorage } from '../../src/store/doc/index.ts';
import { app, host, member, minutes, useQuizNightClock } from './night-fixtures.ts';

useQuizNightClock();

describe('weekly quiz nights', () => {
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
    const made = await a.run('schedule weekday:friday time:20:00 timezone:UTC questions:3');
    const id = /\*\*(\w+)\*\*/.exec(made.text ?? '')?.[1] as string;
    vi.setSystemTime(new Date('2026-01-02T19:58:00Z'));
    await a.run('start questions:30 seconds:120', member);
    await minutes(a, 3);
    expect(a.poster.titles()).toContain('Quiz night in 10 minutes');
    // The scheduled local time, not "tonight": it may be any hour of the day.
    expect(a.poster.posts.map((p) => p.reply.text)).toContain(
      `The quiz night scheduled for 20:00 UTC (${id}) is skipped: a game is already running here.`,
    );
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

  it('refuses a second quiz night at the same time in the same channel', async () => {
    const a = app();
    const made = await a.run('schedule weekday:friday time:20:00 timezone:Europe/Berlin');
    const id = /\*\*(\w+)\*\*/.exec(made.text ?? '')?.[1] as string;
    for (const same of [
      'schedule weekday:friday time:8pm timezone:Europe/Berlin topic:beta questions:5',
      'schedule weekday:friday time:19:00 timezone:UTC',
    ]) {
      const refused = await a.run(same);
      expect(refused.ephemeral).toBe(true);
      expect(refused.text).toBe(
        `Quiz night ${id} already starts here at that time (fridays at 20:00 Europe/Berlin). Choose another time, or remove it first with \`/quiz unschedule id:${id}\`.`,
      );
    }
    expect((await a.run('schedule weekday:friday time:20:30 timezone:Europe/Berlin')).title).toBe(
      'Quiz night scheduled',
    );
    const elsewhere = { ...host, channel: { ...host.channel, channelId: 'c2' } };
    expect((await a.run('schedule weekday:friday time:20:00 timezone:Europe/Berlin', elsewhere)).title).toBe(
      'Quiz night scheduled',
    );
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
    ).toBe('There are only 6 questions on Beta, so a quiz can have 3 to 6 of them: try `questions:6`.');
  });
});
