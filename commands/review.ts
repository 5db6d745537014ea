import type { ActionContext, ActionResult, Command, Subcommand } from '../src/core/command.ts';
import { shuffle } from '../src/core/random.ts';
import { errorReply, type Reply, type ReplyAction, reply } from '../src/core/reply.ts';
import { LETTERS } from '../src/quiz/render.ts';
import { GRADES, type Grade } from '../src/study/index.ts';
import { answerCard } from './answer-card.ts';
import { requireTopic } from './learn.ts';
import { learnerZone, whenText } from './learner-time.ts';
import { remindSubcommands } from './review-remind.ts';
import { topicOption } from './shared-options.ts';

/**
 * `/review`: a private session of the learner's due cards, one at a time. A wrong pick counts as
 * Again at once (`recordAnswer`); after a right pick the learner grades it (`grade`): Again, Hard,
 * Good or Easy, with Next meaning Good. Each card gets one of the two, never both.
 *
 * Buttons carry the whole session in their id, so a restart loses nothing:
 *   review:q:<user>:<done>:<topic>:<question>:<reps>:<order>:<choice>   an answer (A-D)
 *   review:g:<user>:<done>:<topic>:<question>:<reps>:<a|h|g|e|n>        a self-grade after a right pick (n: Next, Good)
 *   review:n:<user>:<done>:<topic>                                      the next card after a wrong pick
 * `done` counts the cards answered in this session, `topic` is the topic's index in the library
 * (base 36) or "-", and `reps` is how often the card had been reviewed when it was shown: a press
 * on a card answered since (a second click, a quiz meanwhile) is stale and moves on politely.
 */

/** A session stops after this many cards. */
export const SESSION_CARDS = 20;

const GRADE_CODE: Record<Grade, string> = { again: 'a', hard: 'h', good: 'g', easy: 'e' };
const GRADE_LABEL: Record<Grade, string> = { again: 'Again', hard: 'Hard', good: 'Good', easy: 'Easy' };

interface Session {
  userId: string;
  done: number;
  /** A topic id, when the session is limited to one. */
  topic?: string;
}

type Ctx = Pick<ActionContext, 'study' | 'storage' | 'content' | 'channel' | 'user' | 'now' | 'random'>;

function topicCode(ctx: Ctx, session: Session): string {
  if (!session.topic) return '-';
  return ctx.content.topics.findIndex((t) => t.id === session.topic).toString(36);
}

function sessionHead(ctx: Ctx, session: Session): string {
  return `${idPart(session.userId)}:${session.done}:${topicCode(ctx, session)}`;
}

/**
 * A user id as one part of a button id: the terminal's names taken with `/as` ("as:maria") hold the
 * separator, so it is escaped; Discord and Slack ids pass unchanged.
 */
function idPart(userId: string): string {
  return userId.replaceAll('%', '%25').replaceAll(':', '%3A');
}

/** The next card of the session, or how it ends. `note` opens the text (what the last press did). */
async function nextCard(ctx: Ctx, session: Session, note?: string): Promise<Reply> {
  const now = ctx.now();
  const zone = await learnerZone(ctx);
  const topicTitle = session.topic ? ctx.content.topic(session.topic)?.title : undefined;
  const lead = note ? `${note}\n\n` : '';
  if (session.done >= SESSION_CARDS) {
    const left = await ctx.study.dueCount(ctx.channel, session.userId, now, session.topic);
    if (left > 0)
      return reply({
        title: `${SESSION_CARDS} cards: time for a break`,
        text: `${lead}That is ${SESSION_CARDS} cards in this session. ${countText(left)} still due: run \`/review start\` again when you are ready.`,
        ephemeral: true,
      });
  }
  const next = await ctx.study.next(ctx.channel, session.userId, now, {
    timezone: zone,
    ...(session.topic ? { topic: session.topic } : {}),
  });
  if (next.kind === 'done') {
    if (!next.nextDue && session.done === 0) return emptyDeck(session, topicTitle);
    const on = topicTitle ? ` on *${topicTitle}*` : '';
    const reviewed = session.done > 0 ? `You reviewed ${countText(session.done, 'card', false)}. ` : '';
    const upcoming = next.nextDue
      ? `next review ${whenText(next.nextDue, now, zone)} (${zone}).`
      : 'nothing else is due.';
    return reply({
      title: 'All caught up',
      text: `${lead}${reviewed}All caught up${on}: ${upcoming}`,
      ephemeral: true,
    });
  }

  const question = ctx.content.question(next.questionId);
  if (!question) throw new Error(`review card ${next.questionId} is not in the library`);
  const reps = next.kind === 'due' ? next.card.reps : 0;
  const status =
    next.kind === 'due'
      ? `**${countText(next.dueCount)} due**${topicTitle ? ` on *${topicTitle}*` : ''}.`
      : `**New card** from your topics (${next.newLeftToday} new left today).`;
  const order = shuffle([0, 1, 2, 3], ctx.random);
  const options = [question.correct, ...question.wrong];
  const base = `review:q:${sessionHead(ctx, session)}:${question.id}:${reps}:${order.join('')}`;
  const title = `Review: card ${session.done + 1}`;
  return reply({
    title,
    text: `${lead}${status}\n\n${question.question}\n\n${order.map((o, i) => `**${LETTERS[i]}.** ${options[o]}`).join('\n')}`,
    actions: LETTERS.map((letter, i) => ({ id: `${base}:${i}`, label: letter, style: 'primary' as const })),
    ephemeral: true,
    fallbackText: `${title}: ${question.question} ${order.map((o, i) => `${LETTERS[i]}. ${options[o]}`).join(' ')}`,
  });
}

function emptyDeck(session: Session, topicTitle?: string): Reply {
  const lines = topicTitle
    ? [
        `You have no cards on *${topicTitle}* to review yet, and no new ones are left for today.`,
        `Play a quiz on it (\`/quiz start topic:${session.topic}\`) or come back tomorrow for new cards.`,
      ]
    : [
        'Your review deck is empty. Questions enter it when you:',
        '- answer them in a quiz (`/quiz start`), right or wrong;',
        '- answer "Quiz me on this" under `/onthisday`;',
        '- open a topic with `/learn`: its questions then come to you a few a day (`/review new-cards` sets how many).',
        'What you miss comes back here until you know it.',
      ];
  return reply({ title: 'Your review deck', text: lines.join('\n'), ephemeral: true });
}

function countText(n: number, noun = 'card', verb = true): string {
  const words = `${n} ${noun}${n === 1 ? '' : 's'}`;
  return verb ? `${words} ${n === 1 ? 'is' : 'are'}` : words;
}

/** A press on a card answered since it was shown: say so, and show what comes next. */
async function stale(ctx: Ctx, session: Session): Promise<ActionResult> {
  return {
    mode: 'replace',
    reply: await nextCard(ctx, session, 'That card was already answered, so here is the next one.'),
  };
}

async function onPress(ctx: ActionContext): Promise<ActionResult> {
  const [kind, userPart = '', doneText = '', topicText = '', ...rest] = ctx.payload.split(':');
  const userId = userPart.replaceAll('%3A', ':').replaceAll('%25', '%');
  const done = Number(doneText);
  const topic = topicText === '-' ? undefined : ctx.content.topics[Number.parseInt(topicText, 36)]?.id;
  if (
    !['q', 'g', 'n'].includes(kind ?? '') ||
    !Number.isInteger(done) ||
    done < 0 ||
    (topicText !== '-' && !topic)
  )
    return { mode: 'new', reply: errorReply(STALE) };
  if (userId !== ctx.user.id)
    return {
      mode: 'new',
      reply: errorReply('This review belongs to someone else. Start your own with `/review start`.'),
    };
  const session: Session = { userId, done, ...(topic ? { topic } : {}) };
  if (kind === 'n') return { mode: 'replace', reply: await nextCard(ctx, session) };

  const [questionId = '', repsText = ''] = rest;
  const question = ctx.content.question(questionId);
  const reps = Number(repsText);
  if (!question || !Number.isInteger(reps)) return { mode: 'new', reply: errorReply(STALE) };
  const card = await ctx.storage.study.card(ctx.channel, userId, questionId);
  if ((card?.reps ?? 0) !== reps) return stale(ctx, session);
  const now = ctx.now();
  const zone = await learnerZone(ctx);

  if (kind === 'g') {
    const grade = rest[2] === 'n' ? 'good' : GRADES.find((g) => GRADE_CODE[g] === rest[2]);
    if (!grade) return { mode: 'new', reply: errorReply(STALE) };
    const graded = await ctx.study.grade(ctx.channel, userId, questionId, grade, now);
    const note = `${GRADE_LABEL[grade]}: that card comes back ${whenText(graded.due, now, zone)}.`;
    return { mode: 'replace', reply: await nextCard(ctx, { ...session, done: done + 1 }, note) };
  }

  const order = [...(rest[2] ?? '')].map(Number);
  const choice = Number(rest[3]);
  if (order.length !== 4 || !(choice >= 0 && choice <= 3)) return { mode: 'new', reply: errorReply(STALE) };
  const correct = order[choice] === 0;
  const answered = { ...session, done: done + 1 };
  const letter = LETTERS[order.indexOf(0)];
  let actions: ReplyAction[];
  let after: string;
  if (correct) {
    // Not recorded yet: the learner's own grade (or Next, meaning Good) records it.
    const head = `review:g:${sessionHead(ctx, session)}:${question.id}:${reps}`;
    actions = [
      ...GRADES.map((g) => ({ id: `${head}:${GRADE_CODE[g]}`, label: GRADE_LABEL[g] })),
      // Its own id (button ids must differ on Discord), graded as Good.
      { id: `${head}:n`, label: 'Next', style: 'primary' as const },
    ];
    after = 'How well did you know it? Grade yourself, or press Next (counts as Good).';
  } else {
    const recorded = await ctx.study.recordAnswer({
      ws: ctx.channel,
      userId,
      questionId,
      correct: false,
      source: 'review',
      at: now,
    });
    actions = [{ id: `review:n:${sessionHead(ctx, answered)}`, label: 'Next', style: 'primary' }];
    after = `This card comes back ${whenText(recorded.due, now, zone)}.`;
  }
  return {
    mode: 'replace',
    reply: answerCard(question, letter, correct, `${question.explanation}\n\n${after}`, actions),
  };
}

const STALE = 'That review button no longer works. Start again with `/review start`.';

/** The subcommands of `/review`: sessions and new cards here, reminders in review-remind.ts. */
export const reviewSubcommands: Subcommand[] = [
  {
    name: 'start',
    description: 'Review the questions you are due to see again, privately',
    options: [topicOption('only cards of one topic, e.g. hungary-1956')],
    async run(ctx) {
      const name = ctx.options.string('topic');
      const topic = name ? requireTopic(ctx.content, name).id : undefined;
      return nextCard(ctx, { userId: ctx.user.id, done: 0, ...(topic ? { topic } : {}) });
    },
  },
  {
    name: 'new-cards',
    description: 'How many new questions a day enter your deck from your topics (default 5)',
    options: [
      {
        name: 'count',
        description: 'new cards a day, 0 to 50',
        type: 'integer',
        min: 0,
        max: 50,
        required: true,
      },
    ],
    async run(ctx) {
      const count = ctx.options.integer('count') ?? 5;
      await ctx.study.setNewPerDay(ctx.channel, ctx.user.id, count);
      return reply({
        text:
          count === 0
            ? 'No new cards will enter your deck from your topics; what you answer in quizzes still does.'
            : `Up to ${count} new card${count === 1 ? '' : 's'} a day will enter your deck from the topics you play or open with \`/learn\`.`,
        ephemeral: true,
      });
    },
  },
];

export const review: Command = {
  name: 'review',
  // A deck belongs to a server (or workspace); the reminder subcommands say so their own way.
  serverOnly: 'Your review deck lives in a server: run `/review` there.',
  description: 'Your own review deck: what you missed comes back until it sticks',
  defaultSubcommand: 'start',
  subcommands: [...reviewSubcommands, ...remindSubcommands],
  help:
    'Every answer you give in a quiz, with "Quiz me on this" or here goes into your private deck. ' +
    'A miss comes back the next day; what you know comes back less and less often. ' +
    'A session shows up to 20 cards. A wrong pick counts as Again; after a right pick grade yourself ' +
    '(Again, Hard, Good, Easy) or press Next (Good). On Slack and in the terminal `/review [topic]` starts too.',
  actions: { review: onPress },
};
