import { type Subcommand, UserError } from '../src/core/command.ts';
import { type Reply, reply } from '../src/core/reply.ts';
import { formatTime } from '../src/core/values.ts';
import { dueInstant, localDate, nextDue } from '../src/schedule/due.ts';
import { whenInZone } from './learner-time.ts';

const REMIND_IN_SERVER = 'Your review deck lives in a server: set reminders there, with `/review remind`.';

/**
 * `/review remind` and `/review remind-off`: an opt-in private message at the learner's local time
 * on days when cards are due (src/study/reminders.ts sends it). Attached to `/review`.
 */
export const remindSubcommands: Subcommand[] = [
  {
    name: 'remind',
    serverOnly: REMIND_IN_SERVER,
    description: 'A private message at your local time on days when you have cards to review',
    options: [
      { name: 'time', description: 'local time, e.g. 08:00, 8am or 9:30 pm', type: 'time', required: true },
      {
        name: 'timezone',
        description: "IANA zone, e.g. Europe/Berlin (default: the server's)",
        type: 'timezone',
      },
    ],
    async run(ctx): Promise<Reply> {
      const time = ctx.options.time('time');
      if (!time) throw new UserError('Give a time, for example `time:08:00`.');
      const zone = ctx.options.string('timezone') ?? (await ctx.storage.settings.get(ctx.channel))?.timezone;
      if (!zone)
        throw new UserError(
          'Which time zone? Add `timezone:Europe/Berlin` (any IANA name), or an admin can set a default with `/settings timezone`.',
        );
      if (!ctx.posters.get(ctx.channel.platform)?.dm)
        throw new UserError('Reminders come as private messages, which are not available here.');
      const now = ctx.now();
      const hhmm = formatTime(time);
      await ctx.storage.study.changeProfile(ctx.channel, ctx.user.id, (p) => {
        // Setting it again also turns a paused reminder back on.
        p.reminder = { time: hhmm, timezone: zone };
      });
      // A time already past today starts tomorrow: taking today's claim keeps the scheduler's
      // catch-up from sending a reminder the moment it is set.
      const today = localDate(now, zone);
      if (dueInstant(today, time, zone).getTime() <= now.getTime())
        await ctx.storage.study.claimReminder(ctx.channel, ctx.user.id, today, now);
      const first = nextDue(new Date(now.getTime() + 60_000), time, zone, 'every');
      return reply({
        title: 'Review reminders on',
        text: [
          `You will get a private message at ${hhmm} ${zone} on days when you have cards to review.`,
          `The first can come ${whenInZone(first, now, zone)}. \`/review remind-off\` stops them.`,
          'If I cannot message you (direct messages closed), reminders pause and `/progress` says why.',
        ].join('\n'),
        ephemeral: true,
      });
    },
  },
  {
    name: 'remind-off',
    serverOnly: REMIND_IN_SERVER,
    description: 'Stop your review reminders',
    async run(ctx): Promise<Reply> {
      const stored = await ctx.storage.study.profile(ctx.channel, ctx.user.id);
      const had =
        stored?.reminder !== undefined &&
        (await ctx.storage.study.changeProfile(ctx.channel, ctx.user.id, (p) => {
          const was = p.reminder !== undefined;
          delete p.reminder;
          return was;
        }));
      return reply({
        text: had
          ? 'Review reminders are off. `/review remind time:08:00` turns them on again.'
          : 'You had no review reminders. `/review remind time:08:00` turns them on.',
        ephemeral: true,
      });
    },
  },
];
