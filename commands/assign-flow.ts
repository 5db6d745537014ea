import { describeDue } from '../src/assign/due.ts';
import { remaining, tally } from '../src/assign/pick.ts';
import type { ActionContext, ActionResult } from '../src/core/command.ts';
import { shuffle } from '../src/core/random.ts';
import { errorReply, type Reply, reply } from '../src/core/reply.ts';
import { LETTERS } from '../src/quiz/render.ts';
import type { Assignment, AssignmentProgress } from '../src/store/ports.ts';
import { answerCard } from './answer-card.ts';
import { learnerZone } from './learner-time.ts';

/**
 * Doing an assignment: privately, one question at a time, as `/review` does. Buttons:
 *   assign:s:<id>                                      Start (or carry on) from the public card
 *   assign:a:<id>:<index>:<order>:<choice>:<user>      an answer to the learner's question `index`
 *   assign:n:<id>:<user>                               the next question
 * The user id goes last, as it may hold colons (the terminal's `as:maria`).
 * The learner's questions and their order are stored when they start, so a restart loses nothing
 * and a second press on an answered question moves on politely.
 */

const STALE = 'That assignment button no longer works. Press Start on the assignment card to carry on.';

type Ctx = Pick<
  ActionContext,
  'storage' | 'study' | 'disputes' | 'content' | 'channel' | 'user' | 'now' | 'random' | 'log'
>;

function hiddenHere(ctx: Ctx): Promise<ReadonlySet<string>> {
  return ctx.disputes.hidden(ctx.channel);
}

function isOpen(a: Assignment, now: Date): boolean {
  return !a.closedAt && Date.parse(a.dueAt) > now.getTime();
}

function scoreText(p: AssignmentProgress, hidden: ReadonlySet<string>): string {
  const t = tally(p, hidden);
  return `${t.right} of ${t.total} right`;
}

/** Closed (by a host, or its due time passed): said politely, with the learner's score when they did it. */
function closedReply(a: Assignment, p: AssignmentProgress | undefined, hidden: ReadonlySet<string>): Reply {
  const why = a.closedAt ? 'was closed by a host' : 'is past its due time';
  const yours = p
    ? tally(p, hidden).finished
      ? ` You finished it: ${scoreText(p, hidden)}.`
      : ` You answered ${tally(p, hidden).answered} of ${tally(p, hidden).total} before it closed.`
    : '';
  return reply({
    title: `Assignment ${a.id} is closed`,
    text: `Sorry, assignment ${a.id} ${why}, so it takes no more answers.${yours} Your review deck still has its questions: \`/review\`.`,
    ephemeral: true,
  });
}

function finishedReply(a: Assignment, p: AssignmentProgress, hidden: ReadonlySet<string>, lead = ''): Reply {
  return reply({
    title: `Assignment ${a.id}: done`,
    text: `${lead}You finished assignment ${a.id}: **${scoreText(p, hidden)}**. What you missed comes back in \`/review\`.`,
    ephemeral: true,
  });
}

/** The learner's next question, or their score when none is left. `lead` opens the text. */
async function nextQuestion(ctx: Ctx, a: Assignment, p: AssignmentProgress, lead = ''): Promise<Reply> {
  const hidden = await hiddenHere(ctx);
  const [questionId] = remaining(p, hidden);
  if (!questionId) return finishedReply(a, p, hidden, lead);
  const question = ctx.content.question(questionId);
  if (!question) throw new Error(`assignment question ${questionId} is not in the library`);
  const t = tally(p, hidden);
  const index = p.order.indexOf(questionId);
  const order = shuffle([0, 1, 2, 3], ctx.random);
  const options = [question.correct, ...question.wrong];
  const base = `assign:a:${a.id}:${index}:${order.join('')}`;
  const title = `Assignment ${a.id}: question ${t.answered + 1} of ${t.total}`;
  return reply({
    title,
    text: `${lead}${question.question}\n\n${order.map((o, i) => `**${LETTERS[i]}.** ${options[o]}`).join('\n')}`,
    actions: LETTERS.map((letter, i) => ({
      id: `${base}:${i}:${p.userId}`,
      label: letter,
      style: 'primary' as const,
    })),
    ephemeral: true,
    fallbackText: `${title}: ${question.question} ${order.map((o, i) => `${LETTERS[i]}. ${options[o]}`).join(' ')}`,
  });
}

async function onStart(ctx: Ctx, a: Assignment): Promise<ActionResult> {
  const now = ctx.now();
  const hidden = await hiddenHere(ctx);
  const before = await ctx.storage.assignments.progress(ctx.channel, a.id, ctx.user.id);
  if (!isOpen(a, now)) return { mode: 'new', reply: closedReply(a, before, hidden) };
  if (before && tally(before, hidden).finished)
    return { mode: 'new', reply: finishedReply(a, before, hidden) };
  const p =
    before ??
    (await ctx.storage.assignments.start({
      platform: ctx.channel.platform,
      workspaceId: ctx.channel.workspaceId,
      assignmentId: a.id,
      userId: ctx.user.id,
      displayName: ctx.user.displayName,
      order: shuffle(a.questionIds, ctx.random),
      startedAt: now.toISOString(),
      updatedAt: now.toISOString(),
      answers: {},
    }));
  if (!p) return { mode: 'new', reply: errorReply(`Assignment ${a.id} no longer exists.`) };
  const zone = await learnerZone(ctx);
  const due =
    zone === a.timezone
      ? describeDue({ at: new Date(a.dueAt) }, zone)
      : `${describeDue({ at: new Date(a.dueAt) }, zone)}, which is ${describeDue({ at: new Date(a.dueAt) }, a.timezone)}`;
  const lead = before
    ? `Welcome back: carrying on where you stopped. Due ${due}.\n\n`
    : `Only you see this. Due ${due}; you can stop at any time and press Start again to carry on.\n\n`;
  return { mode: 'new', reply: await nextQuestion(ctx, a, p, lead) };
}

async function onAnswer(ctx: Ctx, a: Assignment, rest: string[]): Promise<ActionResult> {
  const [indexText = '', orderText = '', choiceText = ''] = rest;
  const now = ctx.now();
  const hidden = await hiddenHere(ctx);
  const p = await ctx.storage.assignments.progress(ctx.channel, a.id, ctx.user.id);
  if (!isOpen(a, now)) return { mode: 'replace', reply: closedReply(a, p, hidden) };
  const order = [...orderText].map(Number);
  const choice = Number(choiceText);
  const questionId = p?.order[Number(indexText)];
  const question = questionId ? ctx.content.question(questionId) : undefined;
  if (!p || !question || order.length !== 4 || !(choice >= 0 && choice <= 3))
    return { mode: 'new', reply: errorReply(STALE) };
  if (p.answers[question.id] || hidden.has(question.id))
    return {
      mode: 'replace',
      reply: await nextQuestion(
        ctx,
        a,
        p,
        'That question was already answered, so here is the next one.\n\n',
      ),
    };
  const correct = order[choice] === 0;
  const at = now.toISOString();
  const stored = await ctx.storage.assignments.answer(ctx.channel, a.id, ctx.user.id, question.id, {
    choice,
    correct,
    at,
  });
  if (!stored.recorded || !stored.progress)
    return {
      mode: 'replace',
      reply: await nextQuestion(ctx, a, stored.progress ?? p, 'That question was already answered.\n\n'),
    };
  // The study record and review deck; the answer above is saved, so a failure here only logs.
  await Promise.all([
    ctx.storage.results.noteAnswer(
      ctx.channel,
      { id: ctx.user.id, displayName: ctx.user.displayName },
      { questionId: question.id, topics: question.topics, correct, at, source: `assignment ${a.id}` },
    ),
    ctx.study.recordAnswer({
      ws: ctx.channel,
      userId: ctx.user.id,
      questionId: question.id,
      correct,
      source: 'assignment',
      at: now,
    }),
  ]).catch((err: unknown) =>
    ctx.log.error({ err, assignment: a.id }, 'could not note an assignment answer in the study record'),
  );
  const letter = LETTERS[order.indexOf(0)];
  const done = remaining(stored.progress, hidden).length === 0;
  return {
    mode: 'replace',
    reply: answerCard(
      question,
      letter,
      correct,
      `${question.explanation}${done ? `\n\nYou finished assignment ${a.id}: **${scoreText(stored.progress, hidden)}**.` : ''}`,
      done ? [] : [{ id: `assign:n:${a.id}:${ctx.user.id}`, label: 'Next', style: 'primary' }],
    ),
  };
}

export async function onAssignPress(ctx: ActionContext): Promise<ActionResult> {
  const [kind, id = '', ...rest] = ctx.payload.split(':');
  const userId = (kind === 'a' ? rest.slice(3) : rest).join(':');
  const a = id ? await ctx.storage.assignments.get(ctx.channel, id) : undefined;
  if (!a)
    return {
      mode: 'new',
      reply: errorReply(`There is no assignment \`${id.slice(0, 12)}\` in this server any more.`),
    };
  if (kind === 's') return onStart(ctx, a);
  if (kind !== 'a' && kind !== 'n') return { mode: 'new', reply: errorReply(STALE) };
  if (userId !== ctx.user.id)
    return {
      mode: 'new',
      reply: errorReply(
        'These questions belong to someone else. Press Start on the assignment card to do your own.',
      ),
    };
  if (kind === 'a') return onAnswer(ctx, a, rest.slice(0, 3));
  const hidden = await hiddenHere(ctx);
  const p = await ctx.storage.assignments.progress(ctx.channel, a.id, ctx.user.id);
  if (!isOpen(a, ctx.now())) return { mode: 'replace', reply: closedReply(a, p, hidden) };
  if (!p) return { mode: 'new', reply: errorReply(STALE) };
  return { mode: 'replace', reply: await nextQuestion(ctx, a, p) };
}
