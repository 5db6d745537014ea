/**
 * When an assignment is due: the date as people type it ("2026-12-10", "12-10", "friday",
 * "tomorrow"), a local time (23:59 unless given) and a zone, turned into one instant. And when its
 * reminder goes out: the day before, at the same local time, counted in the zone's calendar (so a
 * DST change in between moves the instant by an hour, not the time on the clock).
 */
import { DateTime } from 'luxon';
import type { TimeOfDay } from '../core/command.ts';
import { formatTime, type Parsed, parseMonthDay } from '../core/values.ts';

/** The time of day an assignment is due when none is given. */
export const DEFAULT_DUE_TIME: TimeOfDay = { hour: 23, minute: 59 };

export interface Due {
  /** The instant it is due. */
  at: Date;
  /** Local date "YYYY-MM-DD" and time "HH:MM" in `zone`. */
  date: string;
  time: string;
  zone: string;
}

const WEEKDAY_NAMES = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const EXAMPLES = 'write it like 2026-12-10, 12-10, friday or tomorrow';

/** The weekday (1 = Monday) a word names: "friday", "fri", "Fri." */
function weekdayOf(word: string): number | undefined {
  const w = word.toLowerCase().replace(/\.$/, '');
  if (w.length < 3) return undefined;
  const i = WEEKDAY_NAMES.findIndex((d) => d === w || d.startsWith(w));
  return i < 0 ? undefined : i + 1;
}

/** The local date a due input names, seen from `now` in `zone`; a bare month-day or weekday is the next one. */
function dueDate(input: string, now: DateTime, time: TimeOfDay): Parsed<DateTime> {
  const text = input.trim().replace(/\s+/g, ' ');
  const shown = `"${text.slice(0, 40)}"`;
  const today = now.startOf('day');
  const at = (d: DateTime) => d.set({ hour: time.hour, minute: time.minute, second: 0, millisecond: 0 });
  const word = text.toLowerCase();
  if (word === 'today') return { ok: true, value: at(today) };
  if (word === 'tomorrow') return { ok: true, value: at(today.plus({ days: 1 })) };
  const weekday = weekdayOf(text);
  if (weekday !== undefined) {
    let d = today.plus({ days: (weekday - today.weekday + 7) % 7 });
    // Today's weekday means today while the time is still ahead, else a week on.
    if (at(d) <= now) d = d.plus({ days: 7 });
    return { ok: true, value: at(d) };
  }
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  if (iso) {
    const d = DateTime.fromObject(
      { year: Number(iso[1]), month: Number(iso[2]), day: Number(iso[3]) },
      { zone: now.zone },
    );
    if (!d.isValid) return { ok: false, error: `${shown} is not a date on the calendar; ${EXAMPLES}.` };
    return { ok: true, value: at(d) };
  }
  const md = parseMonthDay(text);
  if (!md.ok) return { ok: false, error: `${shown} is not a due date I can read; ${EXAMPLES}.` };
  const [month, day] = md.value.split('-').map(Number) as [number, number];
  // The next such day: this year's, or next year's once this year's time has passed (29 February: the next leap year).
  for (let year = today.year; year <= today.year + 8; year++) {
    const d = DateTime.fromObject({ year, month, day }, { zone: now.zone });
    if (d.isValid && d.month === month && at(d) > now) return { ok: true, value: at(d) };
  }
  return { ok: false, error: `${shown} is not a due date I can read; ${EXAMPLES}.` };
}

/** The due instant for the inputs, or a polite reason: unreadable, or already past. */
export function parseDue(input: string, time: TimeOfDay | undefined, zone: string, now: Date): Parsed<Due> {
  const local = DateTime.fromJSDate(now, { zone });
  const parsed = dueDate(input, local, time ?? DEFAULT_DUE_TIME);
  if (!parsed.ok) return parsed;
  const d = parsed.value;
  const at = d.toJSDate();
  const value = { at, date: d.toFormat('yyyy-MM-dd'), time: formatTime(time ?? DEFAULT_DUE_TIME), zone };
  if (at.getTime() <= now.getTime())
    return {
      ok: false,
      error: `${describeDue(value, zone)} has already passed. Choose a later date or time.`,
    };
  return { ok: true, value };
}

/** The instant of the day-before reminder: the due time of day, one calendar day earlier, in the due zone. */
export function reminderAt(due: { dueDate: string; dueTime: string; timezone: string }): Date {
  return DateTime.fromISO(`${due.dueDate}T${due.dueTime}`, { zone: due.timezone })
    .minus({ days: 1 })
    .toJSDate();
}

/** "Friday 10 December 2026 at 23:59 (Europe/Berlin)": a due time in words, in `zone`. */
export function describeDue(due: { at: Date }, zone: string): string {
  const d = DateTime.fromJSDate(due.at, { zone });
  return `${d.toFormat('cccc d LLLL yyyy')} at ${d.toFormat('HH:mm')} (${zone})`;
}
