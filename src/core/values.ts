import type { MentionValue, TimeOfDay } from './command.ts';
import { closestMatches } from './suggest.ts';

/** Small pure validators returning either a value or a reason, shared by every platform. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(error: string): Parsed<T> => ({ ok: false, error });

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** English month names, January first. */
export const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DATE_EXAMPLE = 'write it like 10-23, 23 October or October 23';

/** A month from its English name or a 3-letter (or "Sept") abbreviation. */
function monthFromName(word: string): number | undefined {
  const w = word.toLowerCase().replace(/\.$/, '');
  if (w.length < 3) return undefined;
  const i = MONTH_NAMES.findIndex((m) => {
    const name = m.toLowerCase();
    return name === w || (w.length <= 4 && name.startsWith(w) && (w.length === 3 || w === 'sept'));
  });
  return i < 0 ? undefined : i + 1;
}

/**
 * A day of the year as people write it, normalised to "MM-DD": "10-23" and "10/23" (month first),
 * "23-10" when only day-first makes sense, "23.10." (dots: day first, as in Europe), "October 23",
 * "23 October", "Oct 23rd", "1956-10-23". 02-29 is valid.
 */
export function parseMonthDay(input: string): Parsed<string> {
  const text = input.trim().replace(/\s+/g, ' ');
  const shown = `"${text.slice(0, 40)}"`;
  const iso = /^\d{4}-(\d{1,2})-(\d{1,2})$/.exec(text);
  if (iso) return monthDay(Number(iso[1]), Number(iso[2]), shown);
  const numeric = /^(\d{1,2})([-/.])(\d{1,2})\.?$/.exec(text);
  if (numeric) {
    const a = Number(numeric[1]);
    const b = Number(numeric[3]);
    // Dots are written day first (23.10.), dashes and slashes month first (10-23), unless only the other order is a date.
    const dayFirst = numeric[2] === '.' ? !(a <= 12 && b > 12) : a > 12 && b <= 12;
    return dayFirst ? monthDay(b, a, shown) : monthDay(a, b, shown);
  }
  const day = '(\\d{1,2})(?:st|nd|rd|th)?\\.?';
  const month = '([A-Za-z]{3,9}\\.?)';
  const year = '(?:,? \\d{4})?';
  const dayMonth = new RegExp(`^${day}[ -]?${month}${year}$`, 'i').exec(text);
  const monthDayWords = new RegExp(`^${month}[ -]?${day}${year}$`, 'i').exec(text);
  const words = dayMonth
    ? { month: dayMonth[2] as string, day: Number(dayMonth[1]) }
    : monthDayWords
      ? { month: monthDayWords[1] as string, day: Number(monthDayWords[2]) }
      : undefined;
  if (words) {
    const m = monthFromName(words.month);
    if (m) return monthDay(m, words.day, shown);
    return fail(
      `${shown} is not a date I can read: "${words.month.slice(0, 20)}" is not a month; ${DATE_EXAMPLE}`,
    );
  }
  return fail(`${shown} is not a date I can read; ${DATE_EXAMPLE}`);
}

function monthDay(month: number, day: number, shown: string): Parsed<string> {
  if (month < 1 || month > 12)
    return fail(`${shown} is not a date I can read: there is no month ${month}; ${DATE_EXAMPLE}`);
  const max = DAYS_IN_MONTH[month - 1] ?? 31;
  if (day < 1 || day > max) {
    const days = month === 2 ? '29 days in leap years' : `${max} days`;
    return fail(`${MONTH_NAMES[month - 1]} has no day ${day} (it has ${days})`);
  }
  return ok(`${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
}

const TIME_EXAMPLE = 'write it like 08:00, 8am or 9:30 pm';

/** "08:00", "8:00", "8am", "8 am", "9:30 pm", "21:30", "noon", "midnight". */
export function parseTime(input: string): Parsed<TimeOfDay> {
  const shown = `"${input.trim().slice(0, 20)}"`;
  const text = input.trim().toLowerCase().replace(/\./g, '');
  if (text === 'noon') return ok({ hour: 12, minute: 0 });
  if (text === 'midnight') return ok({ hour: 0, minute: 0 });
  const m = /^(\d{1,2})(?:[:h](\d{2}))?\s*(am|pm)?$/.exec(text);
  if (!m) return fail(`${shown} is not a time I can read; ${TIME_EXAMPLE}`);
  let hour = Number(m[1]);
  const minute = m[2] === undefined ? 0 : Number(m[2]);
  const meridiem = m[3];
  if (!meridiem && m[2] === undefined)
    return fail(
      `${shown} could be morning or evening; write ${String(hour).padStart(2, '0')}:00, ${hour}am or ${hour}pm`,
    );
  const problems: string[] = [];
  if (meridiem && (hour < 1 || hour > 12)) problems.push('with am or pm, hours go from 1 to 12');
  if (!meridiem && hour > 23) problems.push('hours go up to 23');
  if (minute > 59) problems.push('minutes go up to 59');
  if (problems.length > 0)
    return fail(`${shown} is not a time of day (${problems.join(' and ')}); ${TIME_EXAMPLE}`);
  if (meridiem) hour = (hour % 12) + (meridiem === 'pm' ? 12 : 0);
  return ok({ hour, minute });
}

export function formatTime(t: TimeOfDay): string {
  return `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`;
}

let zoneList: string[] | undefined;
/** Every IANA zone this Node knows, plus UTC. */
export function timeZones(): string[] {
  zoneList ??= [...new Set([...Intl.supportedValuesOf('timeZone'), 'UTC'])];
  return zoneList;
}

/** An IANA time zone, case-insensitive, returned in its canonical spelling; bad names get suggestions. */
export function parseTimeZone(input: string): Parsed<string> {
  const text = input.trim();
  if (!text || text.length > 64 || !/^[A-Za-z0-9_+\-/]+$/.test(text)) return zoneError(text);
  const exact = timeZones().find((z) => z.toLowerCase() === text.toLowerCase());
  if (exact) return ok(exact);
  try {
    // Accepts links such as Europe/Kiev; resolvedOptions gives the spelling Intl uses.
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: text }).resolvedOptions().timeZone;
    return ok(resolved);
  } catch {
    return zoneError(text);
  }
}

function zoneError(text: string): Parsed<string> {
  const near = text
    ? closestMatches(text.replace(/ /g, '_'), timeZones(), (z) => [z, z.split('/').pop() ?? z], 3)
    : [];
  const shown = `"${text.slice(0, 64)}" is not a time zone I know`;
  // A clause without closing punctuation: callers end the sentence.
  if (near.length === 0) return fail(`${shown}; use an IANA name such as Europe/Berlin or America/New_York`);
  const names = near.map((z) => `\`${z}\``);
  const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}` : names[0];
  return fail(`${shown}; perhaps you meant ${list}`);
}

/**
 * A user or role written as text: Slack `<@U123|name>`, `<!subteam^S123|@group>`, Discord `<@123>`,
 * `<@&123>`, or a plain name (the terminal).
 */
export function parseMention(input: string, kind: 'user' | 'role'): Parsed<MentionValue> {
  const text = input.trim();
  const slackUser = /^<@([UW][A-Z0-9]+)(?:\|([^>]*))?>$/.exec(text);
  if (kind === 'user' && slackUser)
    return ok({ id: slackUser[1] as string, label: slackUser[2] || (slackUser[1] as string) });
  const slackGroup = /^<!subteam\^([A-Z0-9]+)(?:\|@?([^>]*))?>$/.exec(text);
  if (kind === 'role' && slackGroup)
    return ok({ id: slackGroup[1] as string, label: slackGroup[2] || (slackGroup[1] as string) });
  const discordUser = /^<@!?(\d{15,21})>$/.exec(text);
  if (kind === 'user' && discordUser)
    return ok({ id: discordUser[1] as string, label: discordUser[1] as string });
  const discordRole = /^<@&(\d{15,21})>$/.exec(text);
  if (kind === 'role' && discordRole)
    return ok({ id: discordRole[1] as string, label: discordRole[1] as string });
  const plain = text.replace(/^@/, '');
  if (/^[\p{L}\p{N}_.-]{1,64}$/u.test(plain)) return ok({ id: plain, label: plain });
  return fail(
    kind === 'user' ? 'name a user, for example @maria' : 'name a role or user group, for example @teachers',
  );
}
