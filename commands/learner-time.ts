import { DateTime } from 'luxon';
import type { CommandContext } from '../src/core/command.ts';

/**
 * The learner's time zone: the one their reminder uses, else the server's (/settings timezone, as
 * /daily uses), else UTC. "Today", the streak, the 30 days and a review's "tomorrow" are counted in it.
 */
export async function learnerZone(
  ctx: Pick<CommandContext, 'storage' | 'channel' | 'user'>,
): Promise<string> {
  const profile = await ctx.storage.study.profile(ctx.channel, ctx.user.id);
  if (profile?.reminder) return profile.reminder.timezone;
  return (await ctx.storage.settings.get(ctx.channel))?.timezone ?? 'UTC';
}

/** "today at 08:00", "tomorrow at 08:00", "on Friday at 08:00", "on 3 April at 08:00" in `zone`. */
export function whenText(at: Date, now: Date, zone: string): string {
  const local = DateTime.fromJSDate(at, { zone });
  const today = DateTime.fromJSDate(now, { zone }).startOf('day');
  const days = Math.round(local.startOf('day').diff(today, 'days').days);
  const time = local.toFormat('HH:mm');
  if (days <= 0) return `today at ${time}`;
  if (days === 1) return `tomorrow at ${time}`;
  if (days < 7) return `on ${local.toFormat('cccc')} at ${time}`;
  return `on ${local.toFormat(local.year === today.year ? 'd LLLL' : 'd LLLL yyyy')} at ${time}`;
}

/** `whenText` with the zone named, or "now" when already past: "tomorrow at 08:00 (Europe/Berlin)". */
export function whenInZone(at: Date, now: Date, zone: string): string {
  return at.getTime() <= now.getTime() ? 'now' : `${whenText(at, now, zone)} (${zone})`;
}
