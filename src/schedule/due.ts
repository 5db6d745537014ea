import { DateTime } from 'luxon';
import type { TimeOfDay } from '../core/command.ts';

/**
 * When a daily post is due, computed in the subscriber's own time zone. Cron expressions skip or
 * repeat local times across daylight-saving changes; these functions decide exactly once per day.
 */

/** Every day, Monday to Friday, or one weekday (1 = Monday ... 7 = Sunday). */
export type Days = 'every' | 'weekdays' | number;

/** The local calendar date of `at` in `zone`, "YYYY-MM-DD". */
export function localDate(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).toISODate() as string;
}

/** "MM-DD" of a local date. */
export function monthDayOf(date: string): string {
  return date.slice(5);
}

/** Whether a subscription posts on a local date. */
export function postsOn(date: string, days: Days): boolean {
  if (days === 'every') return true;
  const weekday = weekdayOf(date);
  return days === 'weekdays' ? weekday <= 5 : weekday === days;
}

/** 1 = Monday ... 7 = Sunday. */
export function weekdayOf(date: string): number {
  return DateTime.fromISO(date, { zone: 'UTC' }).weekday;
}

/**
 * The instant a local time happens on a local date. A time inside a spring-forward gap gives the
 * first valid minute after it; a time repeated by a fall-back gives its first occurrence.
 */
export function dueInstant(date: string, time: TimeOfDay, zone: string): Date {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  for (let extra = 0; extra <= 24 * 60; extra++) {
    const wall = DateTime.fromObject(
      { year, month, day, hour: time.hour, minute: time.minute },
      { zone: 'UTC' },
    ).plus({ minutes: extra });
    const dt = DateTime.fromObject(
      { year: wall.year, month: wall.month, day: wall.day, hour: wall.hour, minute: wall.minute },
      { zone },
    );
    // Luxon moves a non-existent wall time forward; keep looking until the wall time exists.
    if (dt.hour !== wall.hour || dt.minute !== wall.minute) continue;
    const earlier = dt.minus({ hours: 1 });
    if (earlier.hour === dt.hour && earlier.minute === dt.minute) return earlier.toJSDate();
    return dt.toJSDate();
  }
  throw new Error(`no valid local time for ${date} in ${zone}`);
}

/** Adds days to a local date. */
export function addDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate() as string;
}

/** The next instant at or after `now` when a subscription is due. */
export function nextDue(now: Date, time: TimeOfDay, zone: string, days: Days): Date {
  let date = localDate(now, zone);
  for (let i = 0; i < 8; i++) {
    if (postsOn(date, days)) {
      const due = dueInstant(date, time, zone);
      if (due.getTime() >= now.getTime()) return due;
    }
    date = addDays(date, 1);
  }
  throw new Error('no due date within a week');
}

/** "Tue 10 March, 08:00 Europe/Berlin (07:00 UTC)". */
export function describeInstant(at: Date, zone: string): string {
  const local = DateTime.fromJSDate(at, { zone });
  const utc = DateTime.fromJSDate(at, { zone: 'UTC' });
  return `${local.toFormat('ccc d LLLL, HH:mm')} ${zone} (${utc.toFormat('HH:mm')} UTC${
    utc.toISODate() !== local.toISODate() ? ` on ${utc.toFormat('d LLLL')}` : ''
  })`;
}

/** "HH:MM" as stored, to hours and minutes. */
export function parseHHMM(time: string): TimeOfDay {
  const [h, m] = time.split(':').map(Number);
  return { hour: h ?? 0, minute: m ?? 0 };
}
