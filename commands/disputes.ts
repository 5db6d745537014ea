import { replySources } from '../src/content/cards.ts';
import type { ActionContext, ActionResult, Command, CommandContext } from '../src/core/command.ts';
import { type FormContext, formSpec } from '../src/core/form.ts';
import { inertName, inertText } from '../src/core/inert.ts';
import { errorReply, type Reply, reply, truncate } from '../src/core/reply.ts';
import { REASONS, REPORT_TEXT_MAX, reasonLabel } from '../src/disputes/reasons.ts';
import type { OpenQuestion } from '../src/disputes/service.ts';
import type { Dispute, DisputeReason } from '../src/store/ports.ts';

/**
 * Reports of problems with questions. Every quiz reveal and review answer carries "Report a
 * problem" (`reportAction` in src/disputes/reasons.ts), which opens a form; `/disputes` lets hosts go through the open reports
 * of their server, one question a page:
 *   dispute:<questionId>              the report button (and the report form's id)
 *   disputes:a:<page>:<questionId>    accept: hide the question here, close its reports
 *   disputes:j:<page>:<questionId>    reject: opens the note form `dispute-reject:<questionId>`
 *   disputes:p:<page>                 another page
 */

/** Reports shown per question; the rest are counted. */
const SHOWN_REPORTS = 8;

async function onReport(ctx: ActionContext): Promise<ActionResult> {
  const question = ctx.content.question(ctx.payload);
  if (!question)
    return {
      mode: 'new',
      reply: errorReply('That question is no longer in the library, so it cannot be reported.'),
    };
  if (ctx.inServer === false)
    return { mode: 'new', reply: errorReply('Reports go to the hosts of a server: report it there.') };
  if (await ctx.disputes.atLimit(ctx.channel, ctx.user.id)) return { mode: 'new', reply: limitReply() };
  const form = formSpec(ctx.commands, `dispute:${question.id}`);
  if (!form) throw new Error('the report form is not declared');
  return {
    mode: 'new',
    form,
    reply: errorReply('The report form could not be opened in time. Please press "Report a problem" again.'),
  };
}

function limitReply(): Reply {
  return errorReply(
    'Thank you for looking so closely! You have sent 10 reports in the last day, which is as many as one person can send. Please send more tomorrow.',
  );
}

async function submitReport(ctx: FormContext): Promise<Reply> {
  const question = ctx.content.question(ctx.payload);
  if (!question) return errorReply('That question is no longer in the library, so it cannot be reported.');
  const outcome = await ctx.disputes.file({
    ws: ctx.channel,
    channelId: ctx.channel.channelId,
    user: ctx.user,
    questionId: question.id,
    reason: ctx.values.choice as DisputeReason,
    text: ctx.values.text,
  });
  if (outcome === 'limit') return limitReply();
  if (outcome === 'duplicate')
    return reply({
      text: 'You have already reported this question, and a host has not looked at it yet. You will see what they decide in `/progress`.',
      ephemeral: true,
    });
  return reply({
    title: 'Thank you: your report is filed',
    text: `The hosts of this server will look at it. You will see what they decide the next time you run \`/progress\`.\n\n**${reasonLabel(ctx.values.choice as DisputeReason)}** on: ${truncate(question.question, 200)}`,
    ephemeral: true,
  });
}

function countsByReason(reports: readonly Dispute[]): string {
  return REASONS.map((r) => [r.label, reports.filter((d) => d.reason === r.value).length] as const)
    .filter(([, n]) => n > 0)
    .map(([label, n]) => `${label.toLowerCase()} (${n})`)
    .join(', ');
}

/** One page of `/disputes`: a question with its open reports, or that there are none. */
async function page(
  ctx: Pick<CommandContext, 'disputes' | 'channel' | 'content'>,
  index: number,
  note?: string,
): Promise<Reply> {
  const lead = note ? `${note}\n\n` : '';
  const open: OpenQuestion[] = await ctx.disputes.openByQuestion(ctx.channel);
  if (open.length === 0)
    return reply({
      title: 'Open reports',
      text: `${lead}No open reports in this server. Learners report problems with the "Report a problem" button under quiz, review and assignment answers.`,
      ephemeral: true,
    });
  const at = Math.min(Math.max(0, index), open.length - 1);
  const { questionId, reports } = open[at] as OpenQuestion;
  const question = ctx.content.question(questionId);
  const lines = reports.slice(0, SHOWN_REPORTS).map((d) => {
    const who = d.userName ? inertName(d.userName) : 'a former member';
    return `- *${reasonLabel(d.reason)}*, ${who}: ${inertText(d.text)}`;
  });
  if (reports.length > SHOWN_REPORTS) lines.push(`- and ${reports.length - SHOWN_REPORTS} more`);
  const people = new Set(reports.map((d) => d.userId ?? d.id)).size;
  const body = question
    ? `${question.question}\n\n**Answer:** ${question.correct}`
    : 'This question is no longer in the library (the content changed since).';
  const actions = [
    { id: `disputes:a:${at}:${questionId}`, label: 'Accept', style: 'danger' as const },
    { id: `disputes:j:${at}:${questionId}`, label: 'Reject', style: 'secondary' as const },
    ...(at > 0 ? [{ id: `disputes:p:${at - 1}`, label: 'Previous' }] : []),
    ...(at < open.length - 1 ? [{ id: `disputes:p:${at + 1}`, label: 'Next' }] : []),
  ].filter((a) => a.id.length <= 100);
  return reply({
    title: `Reports on ${questionId} (${at + 1} of ${open.length})`,
    text: [
      `${lead}${body}`,
      '',
      `**Reported by ${people} ${people === 1 ? 'person' : 'people'}:** ${countsByReason(reports)}`,
      ...lines,
      '',
      'Accept hides the question in this server (quizzes, reviews, assignments and every deck here). Reject closes the reports with a note to the reporters.',
    ].join('\n'),
    sources: question ? replySources(question.sources) : [],
    actions,
    ephemeral: true,
  });
}

async function onHostPress(ctx: ActionContext): Promise<ActionResult> {
  if (!ctx.isHost) return { mode: 'new', reply: errorReply('Only hosts can act on reports.') };
  const [kind, pageText = '', ...rest] = ctx.payload.split(':');
  const index = Number(pageText);
  const questionId = rest.join(':');
  if (!Number.isInteger(index) || index < 0)
    return { mode: 'new', reply: errorReply('That button no longer works. Run `/disputes` again.') };
  if (kind === 'p') return { mode: 'replace', reply: await page(ctx, index) };
  if (kind === 'a' && questionId) {
    const closed = await ctx.disputes.accept(ctx.channel, questionId);
    const note = closed.length
      ? `Accepted: **${questionId}** is hidden in this server and ${closed.length} report${closed.length === 1 ? ' is' : 's are'} closed.`
      : `**${questionId}** is hidden in this server (its reports were already closed).`;
    return { mode: 'replace', reply: await page(ctx, index, note) };
  }
  if (kind === 'j' && questionId) {
    const form = formSpec(ctx.commands, `dispute-reject:${questionId}`);
    if (!form) throw new Error('the reject form is not declared');
    return {
      mode: 'new',
      form,
      reply: errorReply('The note form could not be opened in time. Please press Reject again.'),
    };
  }
  return { mode: 'new', reply: errorReply('That button no longer works. Run `/disputes` again.') };
}

async function submitReject(ctx: FormContext): Promise<Reply> {
  if (!ctx.isHost) return errorReply('Only hosts can act on reports.');
  const closed = await ctx.disputes.reject(ctx.channel, ctx.payload, ctx.values.text);
  if (closed.length === 0)
    return reply({ text: `The reports on **${ctx.payload}** were already closed.`, ephemeral: true });
  return page(
    ctx,
    0,
    `Rejected: ${closed.length} report${closed.length === 1 ? '' : 's'} on **${ctx.payload}** closed. The reporters see your note in \`/progress\`.`,
  );
}

/** Lines for `/progress`: what hosts decided on the learner's reports since they last looked (shown once). */
export async function outcomeLines(ctx: CommandContext): Promise<string[]> {
  const outcomes = await ctx.disputes.takeOutcomes(ctx.channel, ctx.user.id);
  return outcomes.map((d) => {
    const q = ctx.content.question(d.questionId);
    const what = q ? `"${truncate(q.question, 120)}"` : d.questionId;
    return d.status === 'accepted'
      ? `- Your report on ${what} was accepted: the question is no longer asked in this server. Thank you!`
      : `- Your report on ${what} was not accepted. The host's note: ${d.note ? inertText(d.note) : '(none)'}`;
  });
}

export const disputes: Command = {
  name: 'disputes',
  serverOnly: 'Reports belong to a server: run `/disputes` there.',
  description: 'Reports of problems with questions in this server: accept (hide) or reject them',
  access: 'host',
  help:
    'Learners report a problem with a question from any quiz answer or review ("Report a problem"). ' +
    'Here hosts see the open reports, one question a page. Accept hides the question in this server; ' +
    'Reject closes its reports with a note the reporters see in `/progress`.',
  async run(ctx) {
    return page(ctx, 0);
  },
  actions: { dispute: onReport, disputes: onHostPress },
  forms: {
    dispute: {
      title: 'Report a problem',
      submitLabel: 'Send report',
      choice: { label: 'What is wrong?', options: REASONS },
      text: {
        label: 'Tell the hosts more (optional)',
        maxLength: REPORT_TEXT_MAX,
        placeholder: 'e.g. the source gives another year',
      },
      submit: submitReport,
    },
    'dispute-reject': {
      title: 'Reject the reports',
      submitLabel: 'Reject',
      text: {
        label: 'A note for the reporters',
        maxLength: REPORT_TEXT_MAX,
        required: true,
        placeholder: 'e.g. the source confirms the answer',
      },
      submit: submitReject,
    },
  },
};
