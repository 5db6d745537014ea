import { type CommandContext, type Subcommand, UserError } from '../src/core/command.ts';
import { FILE_LIMITS, formatBytes } from '../src/core/files.ts';
import { type Reply, reply } from '../src/core/reply.ts';
import { assignmentsFinished } from '../src/export/assignments.ts';
import { exportPeriod } from '../src/export/period.ts';
import { progressExport } from '../src/export/progress.ts';

/** `/quiz export [from] [to]`: the term's progress per learner and topic, as a CSV file for a gradebook. */
export const quizExport: Subcommand = {
  name: 'export',
  description:
    'A CSV of every learner’s progress per topic (hosts); dates YYYY-MM-DD, default the last 120 days',
  access: 'host',
  serverOnly: 'Exports cover a server: run `/quiz export` in one of its channels.',
  options: [
    { name: 'from', description: 'first day, e.g. 2026-09-01 (default: 120 days before the last)' },
    { name: 'to', description: 'last day, e.g. 2026-12-20 (default: today)' },
  ].map((o) => ({ ...o, type: 'string' as const })),
  run: async (ctx) => runExport(ctx),
};

async function runExport(ctx: CommandContext): Promise<Reply> {
  const zone = (await ctx.storage.settings.get(ctx.channel))?.timezone ?? 'UTC';
  const period = exportPeriod(
    { from: ctx.options.string('from'), to: ctx.options.string('to') },
    ctx.now(),
    zone,
  );
  if ('error' in period) throw new UserError(period.error);
  const result = await progressExport(
    { storage: ctx.storage, content: ctx.content, assignments: assignmentsFinished(ctx.storage.assignments) },
    ctx.channel,
    period,
  );
  const limit = FILE_LIMITS[ctx.channel.platform];
  const range = `${period.fromDate} to ${period.toDate}`;
  if (result.csv.byteLength > limit.maxBytes) {
    const days = Math.max(1, Math.floor((period.to.getTime() - period.from.getTime()) / 86_400_000 / 2));
    throw new UserError(
      `The export for ${range} would be ${formatBytes(result.csv.byteLength)}, over ${limit.label}. ` +
        `Narrow the dates, for example to about ${days} days at a time with \`from:\` and \`to:\`.`,
    );
  }
  const learners = `${result.learners} learner${result.learners === 1 ? '' : 's'}`;
  return reply({
    title: 'Progress export',
    text:
      result.rows > 0
        ? `${learners}, ${result.rows} row${result.rows === 1 ? '' : 's'} (one per learner and topic) for ${range}, times in ${zone}. Mastery is the share of a topic's questions whose review card is stable for at least 21 days.`
        : `Nobody answered a question here from ${range}, so the file has only its header row.`,
    files: [
      {
        name: `thawbot-progress-${period.fromDate}-to-${period.toDate}.csv`,
        data: result.csv,
        contentType: 'text/csv; charset=utf-8',
      },
    ],
    ephemeral: true,
  });
}
