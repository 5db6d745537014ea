import type { Difficulty } from '../src/content/schema.ts';
import { type Command, type TimeOfDay, UserError } from '../src/core/command.ts';
import { type Reply, reply } from '../src/core/reply.ts';
import { formatTime } from '../src/core/values.ts';
import { shortfall } from '../src/quiz/picker.ts';
import { SCORING_HELP } from '../src/quiz/scoring.ts';
import { WEEKDAYS } from '../src/schedule/quiz-nights.ts';
import { monthPeriod } from '../src/store/index.ts';
import type { QuizNight } from '../src/store/ports.ts';
import { requireTopic } from './learn.ts';
import { quizExport } from './quiz-export.ts';
import { difficultyOption, questionsOption, secondsOption, topicOption } from './shared-options.ts';

const DEFAULT_SECONDS = { race: 20, learner: 40 } as const;

export const quiz: Command = {
  name: 'quiz',
  description: 'Group quiz rounds with timers, scores and leaderboards',
  help: `Scoring:\n${SCORING_HELP}\n\nA one-player game is practice: it counts in your own record, not on the leaderboard. See docs/quiz.md.`,
  subcommands: [
    {
      name: 'start',
      description: 'Start a quiz in this channel',
      options: [
        topicOption(),
        difficultyOption,
        questionsOption,
        secondsOption('seconds per question (5-120; default 20, learner 40)'),
        {
          name: 'mode',
          description: 'race (speed counts) or learner (equal points, more time)',
          type: 'choice',
          choices: ['race', 'learner'],
        },
      ],
      run(ctx) {
        const name = ctx.options.string('topic');
        const topic = name ? requireTopic(ctx.content, name).id : undefined;
        const mode = (ctx.options.string('mode') ?? 'race') as 'race' | 'learner';
        return ctx.quiz.start({
          actor: ctx,
          topic,
          difficulty: ctx.options.string('difficulty') as Difficulty | undefined,
          questions: ctx.options.integer('questions') ?? 10,
          seconds: ctx.options.integer('seconds') ?? DEFAULT_SECONDS[mode],
          mode,
        });
      },
    },
    {
      name: 'schedule',
      description: 'Run a quiz here every week at a local time, with a reminder 10 minutes ahead',
      access: 'host',
      options: [
        {
          name: 'weekday',
          description: 'day of the week',
          type: 'choice',
          choices: WEEKDAYS,
          required: true,
        },
        {
          name: 'time',
          description: 'local start time, e.g. 19:30 or 7:30 pm',
          type: 'time',
          required: true,
        },
        { name: 'timezone', description: "IANA zone (default: the server's)", type: 'timezone' },
        topicOption(),
        difficultyOption,
        questionsOption,
        secondsOption('seconds per question (5-120, default 20)'),
        { name: 'ping', description: 'a role (Discord) or user group (Slack) to remind', type: 'role' },
      ],
      async run(ctx): Promise<Reply> {
        if (ctx.inServer === false)
          throw new UserError('Quiz nights run in a server channel, not in direct messages.');
        refuseEveryone(ctx.options.mention('ping'), ctx.channel.workspaceId);
        const zone =
          ctx.options.string('timezone') ?? (await ctx.storage.settings.get(ctx.channel))?.timezone;
        if (!zone) {
          throw new UserError(
            'Which time zone? Add `timezone:Europe/Berlin`, or an admin can set a default with `/settings timezone`.',
          );
        }
        const name = ctx.options.string('topic');
        const topic = name ? requireTopic(ctx.content, name).id : undefined;
        const difficulty = ctx.options.string('difficulty');
        const questions = ctx.options.integer('questions') ?? 10;
        const problem = shortfall(ctx.content, {
          topic,
          difficulty: difficulty as Difficulty | undefined,
          questions,
        });
        if (problem) throw new UserError(problem);
        const poster = ctx.posters.get(ctx.channel.platform);
        const unusable = await poster?.checkChannel?.(ctx.channel);
        if (unusable) throw new UserError(unusable);
        const ping = ctx.options.mention('ping');
        const id = Math.floor(ctx.random() * 36 ** 4)
          .toString(36)
          .padStart(4, '0');
        const night: QuizNight = {
          id,
          channel: ctx.channel,
          weekday: WEEKDAYS.indexOf(ctx.options.string('weekday') as (typeof WEEKDAYS)[number]) + 1,
          time: formatTime(ctx.options.time('time') as TimeOfDay),
          timezone: zone,
          ...(topic ? { topic } : {}),
          ...(difficulty ? { difficulty } : {}),
          questions,
          seconds: ctx.options.integer('seconds') ?? 20,
          ...(ping ? { ping: { id: ping.id, label: ping.label } } : {}),
          createdAt: ctx.now().toISOString(),
          createdBy: { id: ctx.user.id, displayName: ctx.user.displayName },
          runs: {},
        };
        // Two nights at one time would start one game and skip the other every week.
        const startsAt = ctx.quizNights.nextStart(night, ctx.now()).getTime();
        const clash = (await ctx.storage.nights.inChannel(ctx.channel)).find(
          (other) => ctx.quizNights.nextStart(other, ctx.now()).getTime() === startsAt,
        );
        if (clash) {
          throw new UserError(
            `Quiz night ${clash.id} already starts here at that time (${WEEKDAYS[clash.weekday - 1]}s at ${clash.time} ${clash.timezone}). Choose another time, or remove it first with \`/quiz unschedule id:${clash.id}\`.`,
          );
        }
        await ctx.storage.nights.add(night);
        return reply({ title: 'Quiz night scheduled', text: ctx.quizNights.describe(night, ctx.now()) });
      },
    },
    {
      name: 'schedules',
      description: "This channel's weekly quiz nights, with the next run in local time and UTC",
      async run(ctx): Promise<Reply> {
        const nights = (await ctx.storage.nights.inChannel(ctx.channel)).map((night) =>
          ctx.quizNights.describe(night, ctx.now()),
        );
        return reply({
          title: 'Quiz nights',
          text: nights.length
            ? nights.join('\n')
            : 'No quiz nights here yet. A host can add one with `/quiz schedule`.',
          ephemeral: true,
        });
      },
    },
    {
      name: 'unschedule',
      description: 'Remove a weekly quiz night (hosts)',
      access: 'host',
      options: [
        {
          name: 'id',
          description: 'the id shown by /quiz schedules',
          type: 'string',
          required: true,
          maxLength: 12,
        },
      ],
      async run(ctx): Promise<Reply> {
        const id = (ctx.options.string('id') ?? '').toLowerCase();
        const removed = await ctx.storage.nights.remove(ctx.channel, id);
        if (!removed)
          throw new UserError(
            `There is no quiz night \`${id}\` in this channel. \`/quiz schedules\` lists them.`,
          );
        return reply({ text: `Quiz night ${id} removed.` });
      },
    },
    {
      name: 'stop',
      description: 'End the quiz in this channel and save the scores (starter or host)',
      run: (ctx) => ctx.quiz.stop(ctx),
    },
    {
      name: 'skip',
      description: 'Show the answer now, or go to the next question (starter or host)',
      run: (ctx) => ctx.quiz.skip(ctx),
    },
    {
      name: 'leaderboard',
      description: "This server's top 10, and your own rank",
      options: [
        {
          name: 'period',
          description: 'month (default) or all time',
          type: 'choice',
          choices: ['month', 'all'],
        },
      ],
      async run(ctx): Promise<Reply> {
        const all = ctx.options.string('period') === 'all';
        const period = all ? 'all' : monthPeriod(ctx.now());
        const rows = await ctx.storage.results.leaderboard(ctx.channel, period, 10);
        const label = all ? 'all time' : `this month (${period})`;
        if (rows.length === 0) {
          return reply({
            title: `Leaderboard: ${label}`,
            text: 'No quiz games with two or more players yet. Start one with `/quiz start`!',
          });
        }
        const line = (rank: number, r: (typeof rows)[number]) =>
          `${rank}. **${r.displayName}**: ${r.points.toLocaleString('en-GB')} points (${r.correct}/${r.answered} right, ${r.games} game${r.games === 1 ? '' : 's'})`;
        const lines = rows.map((r) => line(rows.findIndex((x) => x.points === r.points) + 1, r));
        if (!rows.some((r) => r.userId === ctx.user.id)) {
          const mine = await ctx.storage.results.standing(ctx.channel, period, ctx.user.id);
          if (mine) lines.push('…', line(mine.rank, mine.row));
          else lines.push('', 'You are not on this board yet: play a game with others to join it.');
        }
        return reply({ title: `Leaderboard: ${label}`, text: lines.join('\n') });
      },
    },
    {
      name: 'me',
      description: 'Your own quiz record (only you see it)',
      async run(ctx): Promise<Reply> {
        const record = await ctx.storage.results.player(ctx.channel, ctx.user.id);
        if (!record || (record.games === 0 && record.practiceGames === 0)) {
          throw new UserError('You have not played a quiz here yet. Start one with `/quiz start`!');
        }
        const totals = Object.values(record.topics);
        const topics = Object.entries(record.topics)
          .sort((a, b) => b[1].answered - a[1].answered)
          .slice(0, 10)
          .map(
            ([id, t]) =>
              `- ${ctx.content.topic(id)?.title ?? id}: ${t.correct}/${t.answered} (${Math.round((100 * t.correct) / t.answered)}%)`,
          );
        const answered = record.history.length;
        const correct = record.history.filter((h) => h.correct).length;
        return reply({
          title: `Your quiz record, ${record.displayName}`,
          text: [
            `Games: ${record.games} · practice games: ${record.practiceGames}`,
            answered
              ? `Recent answers: ${correct}/${answered} right (${Math.round((100 * correct) / answered)}%)`
              : '',
            totals.length ? `\n**By topic**\n${topics.join('\n')}` : '',
          ]
            .filter(Boolean)
            .join('\n'),
          ephemeral: true,
        });
      },
    },
    quizExport,
  ],
  actions: {
    quiz: async (ctx) => ({ mode: 'new', reply: await ctx.quiz.answer(ctx, ctx.payload) }),
  },
};

/**
 * The reminder may ping one role or user group a host chose, never everybody: Discord's @everyone
 * role has the server's own id, and @here, @channel and @everyone are no group on any platform.
 */
export function refuseEveryone(ping: { id: string; label: string } | undefined, workspaceId: string): void {
  if (!ping) return;
  const name = (value: string) => value.replace(/^[@!<]+|>$/g, '').toLowerCase();
  if (
    ping.id === workspaceId ||
    ['everyone', 'here', 'channel'].some((n) => name(ping.id) === n || name(ping.label) === n)
  )
    throw new UserError(
      'A quiz-night reminder may ping one role or user group, never @everyone, @here or the whole channel. Choose a role such as @quiz-club.',
    );
}
