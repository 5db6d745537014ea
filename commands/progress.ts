import type { Command, CommandContext } from '../src/core/command.ts';
import { type Reply, type ReplyField, type ReplyFile, reply } from '../src/core/reply.ts';
import type { StudyReminder } from '../src/store/ports.ts';
import { type ProgressPicture, progressTextBars, renderProgressPng } from '../src/study/chart.ts';
import type { Progress } from '../src/study/index.ts';
import { assignmentLines } from './assign-progress.ts';
import { outcomeLines } from './disputes.ts';
import { learnerZone, whenInZone } from './learner-time.ts';

/** "Reminders: ..." as /progress and /review remind show it. */
export function reminderLine(reminder: StudyReminder | undefined): string {
  if (!reminder)
    return 'Reminders: off. `/review remind time:08:00` sends you a private message on days with cards due.';
  if (reminder.paused)
    return `Reminders paused: ${reminder.paused.reason}. Turn them on and run \`/review remind\` again.`;
  return `Reminders: at ${reminder.time} ${reminder.timezone} on days with cards due.`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function masteryLines(progress: Progress): string[] {
  return progress.mastery.map(
    (m) => `- ${m.title}: ${Math.round(m.share * 100)}% (${m.mastered}/${m.total})`,
  );
}

/**
 * The PNG, or undefined when there is nothing to draw or drawing failed: the card goes out
 * without it (the drawing libraries are native and may be missing), and the cause is logged.
 */
async function picture(ctx: CommandContext, data: ProgressPicture): Promise<ReplyFile | undefined> {
  try {
    const png = await renderProgressPng(data);
    if (!png) return undefined;
    return { name: 'progress.png', data: png.png, contentType: 'image/png', alt: png.alt };
  } catch (err) {
    ctx.log.warn({ err, command: 'progress' }, 'progress picture not rendered; sending the card without it');
    return undefined;
  }
}

async function progressCard(ctx: CommandContext): Promise<Reply> {
  const now = ctx.now();
  const zone = await learnerZone(ctx);
  const progress = await ctx.study.progress(ctx.channel, ctx.user.id, now, zone);
  const assignments = await assignmentLines(ctx, now, zone);
  const answers = progress.days.reduce((n, d) => n + d.total, 0);
  const right = progress.days.reduce((n, d) => n + d.right, 0);

  if (progress.cards === 0 && answers === 0) {
    return reply({
      title: 'Your progress',
      text: [
        'Nothing here yet, and that is fine: every quiz question you answer goes into your own review deck.',
        'Play a `/quiz`, or open a topic with `/learn`; what you miss comes back to you in `/review` until it sticks.',
        '',
        reminderLine(progress.reminder),
        ...(assignments.length ? ['', ...assignments] : []),
      ].join('\n'),
      ephemeral: true,
    });
  }

  const fields: ReplyField[] = [
    {
      label: 'Due',
      value: `${progress.dueToday} today, ${progress.dueThisWeek} this week (${plural(progress.cards, 'card')} in your deck)`,
    },
    { label: 'Streak', value: plural(progress.streakDays, 'day') },
    { label: 'Last 30 days', value: `${right} right of ${plural(answers, 'answer')}` },
    {
      label: 'Next review',
      value: progress.nextDue ? whenInZone(progress.nextDue, now, zone) : 'none scheduled',
    },
  ];
  const data: ProgressPicture = {
    mastery: progress.mastery,
    days: progress.days,
    learner: ctx.user.displayName,
  };
  const lines = progress.mastery.length
    ? ['**Mastered** (remembered for 3 weeks or more)', ...masteryLines(progress)]
    : [];
  lines.push('', reminderLine(progress.reminder));
  if (assignments.length) lines.push('', ...assignments);

  // The terminal shows the picture as text bars rather than saving a file on every /progress.
  if (ctx.channel.platform === 'console') {
    lines.push('', progressTextBars(data));
    return reply({ title: 'Your progress', text: lines.join('\n').trim(), fields, ephemeral: true });
  }
  const file = await picture(ctx, data);
  // The picture's text alternative stays in the card for screen readers.
  if (file?.alt) lines.push('', `Picture: ${file.alt}`);
  return reply({
    title: 'Your progress',
    text: lines.join('\n').trim(),
    fields,
    ephemeral: true,
    ...(file ? { files: [file] } : {}),
  });
}

export const progress: Command = {
  name: 'progress',
  serverOnly: 'Your review deck lives in a server: run `/progress` there.',
  description: 'Your review deck: mastery by topic, what is due, your streak (only you see it)',
  help: 'Mastery counts a question once you are expected to remember it for 3 weeks or more. The picture shows mastery by topic and your answers over the last 30 days.',
  async run(ctx) {
    const card = await progressCard(ctx);
    // What hosts decided on the learner's reports, shown once.
    const outcomes = await outcomeLines(ctx);
    if (outcomes.length === 0) return card;
    return { ...card, text: [card.text ?? '', '', '**Your reports**', ...outcomes].join('\n').trim() };
  },
};
