import { topicSuggestions } from '../src/content/cards.ts';
import type { Difficulty } from '../src/content/schema.ts';
import { type Command, UserError } from '../src/core/command.ts';
import { type Reply, reply } from '../src/core/reply.ts';
import { SCORING_HELP } from '../src/quiz/scoring.ts';
import { monthPeriod, scoreKey, userKey } from '../src/store/keys.ts';
import { requireTopic } from './learn.ts';

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
        {
          name: 'topic',
          description: 'limit to one topic',
          type: 'string',
          suggest: (prefix, ctx) => topicSuggestions(ctx.content, prefix),
        },
        {
          name: 'difficulty',
          description: 'easy, medium or hard',
          type: 'choice',
          choices: ['easy', 'medium', 'hard'],
        },
        {
          name: 'questions',
          description: 'how many questions (3-30, default 10)',
          type: 'integer',
          min: 3,
          max: 30,
        },
        {
          name: 'seconds',
          description: 'seconds per question (5-120; default 20, learner 40)',
          type: 'integer',
          min: 5,
          max: 120,
        },
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
      run(ctx): Reply {
        const all = ctx.options.string('period') === 'all';
        const period = all ? 'all' : monthPeriod(ctx.now());
        const board = ctx.store.read().scores[scoreKey(ctx.channel, period)];
        const rows = Object.entries(board?.users ?? {})
          .map(([userId, e]) => ({ userId, ...e }))
          .sort((a, b) => b.points - a.points || a.displayName.localeCompare(b.displayName));
        const label = all ? 'all time' : `this month (${period})`;
        if (rows.length === 0) {
          return reply({
            title: `Leaderboard: ${label}`,
            text: 'No quiz games with two or more players yet. Start one with `/quiz start`!',
          });
        }
        const rankOf = (i: number) => rows.findIndex((r) => r.points === rows[i]?.points) + 1;
        const line = (i: number) => {
          const r = rows[i];
          return r
            ? `${rankOf(i)}. **${r.displayName}**: ${r.points.toLocaleString('en-GB')} points (${r.correct}/${r.answered} right, ${r.games} game${r.games === 1 ? '' : 's'})`
            : '';
        };
        const lines = rows.slice(0, 10).map((_, i) => line(i));
        const mine = rows.findIndex((r) => r.userId === ctx.user.id);
        if (mine >= 10) lines.push('…', line(mine));
        else if (mine < 0)
          lines.push('', 'You are not on this board yet: play a game with others to join it.');
        return reply({ title: `Leaderboard: ${label}`, text: lines.join('\n') });
      },
    },
    {
      name: 'me',
      description: 'Your own quiz record (only you see it)',
      run(ctx): Reply {
        const record = ctx.store.read().study[userKey(ctx.channel, ctx.user.id)];
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
  ],
  actions: {
    quiz: async (ctx) => ({ mode: 'new', reply: await ctx.quiz.answer(ctx, ctx.payload) }),
  },
};
