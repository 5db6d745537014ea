/** The period a teacher export covers: two local dates, both included, in the server's time zone. */
import { DateTime } from 'luxon';

/** A term: the last 120 days, today included, when no dates are given. */
export const DEFAULT_EXPORT_DAYS = 120;

export interface ExportPeriod {
  /** "YYYY-MM-DD", both included. */
  fromDate: string;
  toDate: string;
  zone: string;
  /** [from, to) in time: the start of `fromDate` to the end of `toDate`, local. */
  from: Date;
  to: Date;
}

/**
 * The period for `from` and `to` (either may be missing), or a polite line saying what is wrong.
 * Missing `to` is today; missing `from` is 120 days before `to` (both included).
 */
export function exportPeriod(
  input: { from?: string; to?: string },
  now: Date,
  zone: string,
): ExportPeriod | { error: string } {
  const today = DateTime.fromJSDate(now, { zone }).startOf('day');
  const to = input.to === undefined ? today : localDate(input.to, zone);
  if (typeof to === 'string') return { error: to.replace('%', 'to') };
  const from =
    input.from === undefined ? to.minus({ days: DEFAULT_EXPORT_DAYS - 1 }) : localDate(input.from, zone);
  if (typeof from === 'string') return { error: from.replace('%', 'from') };
  if (from > to)
    return {
      error: `The start date (${from.toISODate()}) is after the end date (${to.toISODate()}). Swap them, for example \`from:${to.toISODate()} to:${from.toISODate()}\`.`,
    };
  return {
    fromDate: from.toISODate() as string,
    toDate: to.toISODate() as string,
    zone,
    from: from.toJSDate(),
    to: to.plus({ days: 1 }).toJSDate(),
  };
}

/** The start of a local date "YYYY-MM-DD", or an error naming the option (`%`). */
function localDate(text: string, zone: string): DateTime | string {
  const trimmed = text.trim();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(trimmed))
    return `The date in %: must look like 2026-09-01 (year-month-day); "${trimmed.slice(0, 20)}" does not.`;
  const date = DateTime.fromISO(trimmed, { zone });
  if (!date.isValid) return `There is no date ${trimmed} (%:). Check the month and the day.`;
  return date.startOf('day');
}
