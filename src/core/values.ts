import type { MentionValue, TimeOfDay } from './command.ts';
import { closestMatches } from './suggest.ts';

/** Small pure validators returning either a value or a reason, shared by every platform. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(error: string): Parsed<T> => ({ ok: false, error });

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** "MM-DD" (also "M-D", "MM/DD") -> normalised "MM-DD". 02-29 is valid. */
export function parseMonthDay(input: string): Parsed<string> {
  const m = /^(\d{1,2})[-/.](\d{1,2})$/.exec(input.trim());
  if (!m) return fail('a date must look like MM-DD, for example 02-25');
  const month = Number(m[1]);
  const day = Number(m[2]);
  if (month < 1 || month > 12) return fail(`there is no month ${month}: use 01 to 12`);
  const max = DAYS_IN_MONTH[month - 1] ?? 31;
  if (day < 1 || day > max) return fail(`month ${String(month).padStart(2, '0')} has no day ${day}`);
  return ok(`${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
}

/** "08:00", "8:00", "8am", "8 am", "9:30 pm", "21:30", "noon", "midnight". */
export function parseTime(input: string): Parsed<TimeOfDay> {
  const text = input.trim().toLowerCase().replace(/\./g, '');
  if (text === 'noon') return ok({ hour: 12, minute: 0 });
  if (text === 'midnight') return ok({ hour: 0, minute: 0 });
  const m = /^(\d{1,2})(?:[:h](\d{2}))?\s*(am|pm)?$/.exec(text);
  const usage = 'a time must look like 08:00, 8am or 9:30 pm';
  if (!m) return fail(usage);
  let hour = Number(m[1]);
  const minute = m[2] === undefined ? 0 : Number(m[2]);
  const meridiem = m[3];
  if (!meridiem && m[2] === undefined) return fail(usage);
  if (minute > 59) return fail(`${input.trim()} is not a valid time: minutes go up to 59`);
  if (meridiem) {
    if (hour < 1 || hour > 12)
      return fail(`${input.trim()} is not a valid time: with am/pm, hours go from 1 to 12`);
    hour = (hour % 12) + (meridiem === 'pm' ? 12 : 0);
  } else if (hour > 23) return fail(`${input.trim()} is not a valid time: hours go up to 23`);
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
  const hint = near.length > 0 ? ` Did you mean ${near.map((z) => `\`${z}\``).join(', ')}?` : '';
  return fail(
    `"${text.slice(0, 64)}" is not a time zone I know. Use an IANA name such as Europe/Berlin.${hint}`,
  );
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
