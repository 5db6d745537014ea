import { replySources } from '../src/content/cards.ts';
import { type Command, UserError } from '../src/core/command.ts';
import { pick, shuffle } from '../src/core/random.ts';
import { errorReply, reply } from '../src/core/reply.ts';
import { LETTERS } from '../src/quiz/render.ts';
import { localDate } from '../src/schedule/due.ts';
import { dailyPost, eventsForDate, quizMeQuestions } from '../src/schedule/post.ts';
import { previewYear } from './daily.ts';

export const onthisday: Command = {
  name: 'onthisday',
  description: 'What happened on this day (or another) in the Thaw years',
  options: [{ name: 'date', description: 'MM-DD (default: today)', type: 'monthDay' }],
  async run(ctx) {
    const zone = (await ctx.storage.settings.get(ctx.channel))?.timezone ?? 'UTC';
    const today = localDate(ctx.now(), zone);
    const monthDay = ctx.options.string('date');
    return dailyPost(ctx.content, monthDay ? `${previewYear(today, monthDay)}-${monthDay}` : today);
  },
  actions: {
    // dq:<YYYY-MM-DD>: one private question tied to that day's events.
    dq: async (ctx) => {
      const { events, leapDay } = eventsForDate(ctx.content, ctx.payload);
      // Questions hidden in this server (accepted reports) are not asked here.
      const hidden = await ctx.disputes.hidden(ctx.channel);
      const questions = quizMeQuestions(ctx.content, [...events, ...leapDay]).filter(
        (q) => !hidden.has(q.id),
      );
      const question = pick(questions, ctx.random);
      if (!question) throw new UserError('There is no question on this day yet. Try `/quiz start` instead!');
      const order = shuffle([0, 1, 2, 3], ctx.random);
      const options = [question.correct, ...question.wrong];
      return {
        mode: 'new',
        reply: reply({
          title: 'Quiz me on this',
          text: `${question.question}\n\n${order.map((o, i) => `**${LETTERS[i]}.** ${options[o]}`).join('\n')}`,
          // The time shown tells this showing apart from another of the same question.
          actions: LETTERS.map((l, i) => ({
            id: `dqa:${question.id}:${order.join('')}:${ctx.now().getTime().toString(36)}:${i}`,
            label: l,
          })),
          ephemeral: true,
        }),
      };
    },
    // dqa:<question id>:<order>:<time shown, base 36>:<choice>
    dqa: async (ctx) => {
      const [id, orderText = '', shownText = '', choiceText = ''] = ctx.payload.split(':');
      const question = id ? ctx.content.question(id) : undefined;
      const order = [...orderText].map(Number);
      const choice = Number(choiceText);
      if (!question || order.length !== 4 || !(choice >= 0 && choice <= 3)) {
        return { mode: 'new', reply: errorReply(EXPIRED) };
      }
      const userKey = `${ctx.channel.platform}:${ctx.channel.workspaceId}:${ctx.user.id}`;
      const shownAt = Number.parseInt(shownText, 36);
      const verdict = ctx.quiz.practice.claim(userKey, question.id, shownAt, ctx.now().getTime());
      if (verdict === 'again')
        return { mode: 'new', reply: errorReply('You have already answered this question.') };
      if (verdict === 'expired') return { mode: 'new', reply: errorReply(EXPIRED) };
      const correct = order[choice] === 0;
      const at = ctx.now().toISOString();
      try {
        await ctx.storage.results.noteAnswer(
          ctx.channel,
          { id: ctx.user.id, displayName: ctx.user.displayName },
          { questionId: question.id, topics: question.topics, correct, at, source: 'daily' },
        );
      } catch (error) {
        // Not saved, so not answered: the same button may be pressed again.
        ctx.quiz.practice.release(userKey, question.id, shownAt);
        throw error;
      }
      // The learner's review deck; the answer above is saved, so a failure here only logs.
      await ctx.study
        .recordAnswer({
          ws: ctx.channel,
          userId: ctx.user.id,
          questionId: question.id,
          correct,
          source: 'learn',
        })
        .catch((err: unknown) =>
          ctx.log.error({ err }, 'could not record a practice answer in the review deck'),
        );
      return {
        mode: 'replace',
        reply: reply({
          title: correct
            ? 'Right!'
            : `Not quite: the answer is ${LETTERS[order.indexOf(0)]}. ${question.correct}`,
          text: question.explanation,
          sources: replySources(question.sources),
          ephemeral: true,
        }),
      };
    },
  },
};

const EXPIRED = 'This question has expired. Press "Quiz me on this" again for a new one.';
