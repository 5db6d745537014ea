import { type Command, type CommandContext, UserError } from '../src/core/command.ts';
import { type Reply, reply } from '../src/core/reply.ts';
import { formatTime } from '../src/core/values.ts';
import { describeInstant, localDate, nextDue, parseHHMM } from '../src/schedule/due.ts';
import { dailyPost } from '../src/schedule/post.ts';
import type { Subscription } from '../src/store/ports.ts';

async function current(ctx: CommandContext): Promise<Subscription> {
  const sub = await ctx.storage.daily.subscription(ctx.channel);
  if (!sub)
    throw new UserError(
      'This channel has no daily post. A host can add one with `/daily subscribe time:08:00`.',
    );
  return sub;
}

function nextLine(sub: Subscription, now: Date): string {
  return `Next post: ${describeInstant(nextDue(now, parseHHMM(sub.time), sub.timezone, sub.days), sub.timezone)}.`;
}

export const daily: Command = {
  name: 'daily',
  description: 'A daily "on this day" post in this channel, at a local time',
  subcommands: [
    {
      name: 'subscribe',
      serverOnly: 'Daily posts go to a server channel, not to direct messages.',
      description: 'Post every day (or every weekday) at a local time in this channel',
      access: 'host',
      options: [
        { name: 'time', description: 'local time, e.g. 08:00, 8am or 9:30 pm', type: 'time', required: true },
        {
          name: 'timezone',
          description: "IANA zone, e.g. Europe/Berlin (default: the server's)",
          type: 'timezone',
        },
        {
          name: 'days',
          description: 'every (default) or weekdays',
          type: 'choice',
          choices: ['every', 'weekdays'],
        },
      ],
      async run(ctx): Promise<Reply> {
        const time = ctx.options.time('time');
        if (!time) throw new UserError('Give a time, for example `time:08:00`.');
        const zone =
          ctx.options.string('timezone') ?? (await ctx.storage.settings.get(ctx.channel))?.timezone;
        if (!zone) {
          throw new UserError(
            'Which time zone? Add `timezone:Europe/Berlin` (any IANA name), or an admin can set a default with `/settings timezone`.',
          );
        }
        const poster = ctx.posters.get(ctx.channel.platform);
        if (!poster) throw new UserError('Daily posts are not available here.');
        const problem = await poster.checkChannel?.(ctx.channel);
        if (problem) throw new UserError(problem);
        const days = (ctx.options.string('days') ?? 'every') as Subscription['days'];
        const sub: Subscription = {
          channel: ctx.channel,
          time: formatTime(time),
          timezone: zone,
          days,
          createdAt: ctx.now().toISOString(),
          createdBy: { id: ctx.user.id, displayName: ctx.user.displayName },
        };
        const replaced = await ctx.storage.daily.subscribe(sub);
        return reply({
          title: replaced ? 'Daily post updated' : 'Daily post on',
          text: `This channel gets an "on this day" post ${days === 'weekdays' ? 'every weekday' : 'every day'} at ${sub.time} ${zone}.\n${nextLine(sub, ctx.now())}`,
        });
      },
    },
    {
      name: 'unsubscribe',
      description: "Stop this channel's daily post",
      access: 'host',
      async run(ctx) {
        await current(ctx);
        await ctx.storage.daily.unsubscribe(ctx.channel);
        return reply({
          text: 'Daily posts in this channel are off. `/daily subscribe` turns them on again.',
        });
      },
    },
    {
      name: 'pause',
      description: "Pause this channel's daily post",
      access: 'host',
      async run(ctx) {
        const sub = await current(ctx);
        if (sub.paused) throw new UserError(`Daily posts here are already paused: ${sub.paused.reason}.`);
        await ctx.storage.daily.setPaused(ctx.channel, {
          reason: `paused by ${ctx.user.displayName}`,
          at: ctx.now().toISOString(),
          byUser: true,
        });
        return reply({ text: 'Daily posts in this channel are paused. `/daily resume` starts them again.' });
      },
    },
    {
      name: 'resume',
      description: "Resume this channel's daily post",
      access: 'host',
      async run(ctx) {
        const sub = await current(ctx);
        if (!sub.paused) throw new UserError('Daily posts here are not paused.');
        const poster = ctx.posters.get(ctx.channel.platform);
        const problem = await poster?.checkChannel?.(ctx.channel);
        if (problem) throw new UserError(`I still cannot post here: ${problem}`);
        await ctx.storage.daily.setPaused(ctx.channel, undefined);
        return reply({ text: `Daily posts are back on. ${nextLine(sub, ctx.now())}` });
      },
    },
    {
      name: 'status',
      description: "When this channel's next daily post comes, and how the last one went",
      async run(ctx) {
        const sub = await current(ctx);
        const [last] = await ctx.storage.daily.deliveries(ctx.channel, 1);
        const lines = [
          `Posts ${sub.days === 'weekdays' ? 'every weekday' : 'every day'} at ${sub.time} ${sub.timezone}, set up by ${sub.createdBy.displayName}.`,
          sub.paused ? `**Paused:** ${sub.paused.reason}.` : nextLine(sub, ctx.now()),
          last
            ? `Last: ${last.date}, ${last.delivery.status}${last.delivery.note ? ` (${last.delivery.note})` : ''}.`
            : 'No post yet.',
        ];
        return reply({ title: 'Daily post', text: lines.join('\n'), ephemeral: true });
      },
    },
    {
      name: 'preview',
      description: "See this channel's next daily post privately, or another day's",
      options: [{ name: 'date', description: 'MM-DD (default: the next post)', type: 'monthDay' }],
      async run(ctx) {
        const sub = await ctx.storage.daily.subscription(ctx.channel);
        const zone = sub?.timezone ?? (await ctx.storage.settings.get(ctx.channel))?.timezone ?? 'UTC';
        const today = localDate(ctx.now(), zone);
        const monthDay = ctx.options.string('date');
        if (monthDay)
          return {
            ...dailyPost(ctx.content, `${previewYear(today, monthDay)}-${monthDay}`),
            ephemeral: true,
          };
        if (!sub) {
          const post = dailyPost(ctx.content, today);
          return {
            ...post,
            text: `*This channel has no daily post yet (\`/daily subscribe\`); this is today's.*\n\n${post.text ?? ''}`,
            ephemeral: true,
          };
        }
        // The post still to come, not today's if it has gone out: exactly what will be posted, and when.
        const at = nextDue(ctx.now(), parseHHMM(sub.time), sub.timezone, sub.days);
        const post = dailyPost(ctx.content, localDate(at, sub.timezone));
        const when = sub.paused
          ? `*Daily posts here are paused (${sub.paused.reason}). Once resumed, the next would be ${describeInstant(at, sub.timezone)}:*`
          : `*The next post here, ${describeInstant(at, sub.timezone)}:*`;
        return { ...post, text: `${when}\n\n${post.text ?? ''}`, ephemeral: true };
      },
    },
  ],
};

/** The year to show a month-day in: this year, or the next leap year for 29 February. */
export function previewYear(today: string, monthDay: string): number {
  let year = Number(today.slice(0, 4));
  if (monthDay === '02-29') while (!((year % 4 === 0 && year % 100 !== 0) || year % 400 === 0)) year++;
  return year;
}
