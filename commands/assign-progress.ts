import { DateTime } from 'luxon';
import { tally } from '../src/assign/pick.ts';
import type { CommandContext } from '../src/core/command.ts';

/**
 * `/progress`'s private lines for the learner's open assignments not yet finished: "Assignment
 * k3f9 (The Secret Speech) due tomorrow at 23:59", counted in the learner's zone.
 */
export async function assignmentLines(
  ctx: Pick<CommandContext, 'storage' | 'content' | 'channel' | 'user' | 'disputes'>,
  now: Date,
  zone: string,
): Promise<string[]> {
  const open = (await ctx.storage.assignments.inWorkspace(ctx.channel)).filter(
    (a) => !a.closedAt && Date.parse(a.dueAt) > now.getTime(),
  );
  if (open.length === 0) return [];
  const hidden = await ctx.disputes.hidden(ctx.channel);
  const lines: string[] = [];
  for (const a of open.sort((x, y) => x.dueAt.localeCompare(y.dueAt))) {
    const mine = await ctx.storage.assignments.progress(ctx.channel, a.id, ctx.user.id);
    if (mine && tally(mine, hidden).finished) continue;
    const due = DateTime.fromISO(a.dueAt, { zone });
    const days = Math.round(
      due.startOf('day').diff(DateTime.fromJSDate(now, { zone }).startOf('day'), 'days').days,
    );
    const when = days <= 0 ? 'due today' : days === 1 ? 'due tomorrow' : `due in ${days} days`;
    const topic = ctx.content.topic(a.topic)?.title ?? a.topic;
    const started = mine ? `, ${tally(mine, hidden).answered} of ${tally(mine, hidden).total} answered` : '';
    lines.push(`- Assignment ${a.id} (*${topic}*) ${when} at ${due.toFormat('HH:mm')}${started}`);
  }
  return lines.length ? ['**Assignments**', ...lines] : [];
}
