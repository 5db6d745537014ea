import { DateTime } from 'luxon';
import { describeDue, parseDue } from '../src/assign/due.ts';
import { availableQuestions, drawQuestions, MAX_QUESTIONS, plainName, tally } from '../src/assign/pick.ts';
import { CSV_HEADER, csvRows, standing, standingText } from '../src/assign/status.ts';
import { type Command, type CommandContext, type Subcommand, UserError } from '../src/core/command.ts';
import { type Reply, reply } from '../src/core/reply.ts';
import { hiddenIds } from '../src/disputes/hidden.ts';
import { toCsv } from '../src/export/csv.ts';
import type { Assignment } from '../src/store/ports.ts';
import { onAssignPress } from './assign-flow.ts';
import { requireTopic } from './learn.ts';
import { refuseEveryone } from './quiz.ts';
import { topicOption } from './shared-options.ts';

/** Closed assignments stay in `/assign list` this long. */
const RECENT_DAYS = 30;

const idOption = (description: string, required: boolean) =>
  ({ name: 'id', description, type: 'string', required, maxLength: 12 }) as const;

function isOpen(a: Assignment, now: Date): boolean {
  return !a.closedAt && Date.parse(a.dueAt) > now.getTime();
}

async function requireAssignment(ctx: CommandContext, id: string): Promise<Assignment> {
  const found = await ctx.storage.assignments.get(ctx.channel, id.toLowerCase());
  if (found) return found;
  throw new UserError(
    `There is no assignment \`${id.slice(0, 12)}\` in this server. \`/assign list\` shows them.`,
  );
}

function stateText(a: Assignment, now: Date): string {
  if (a.closedAt) return `closed ${DateTime.fromISO(a.closedAt, { zone: a.timezone }).toFormat('d LLLL')}`;
  return Date.parse(a.dueAt) > now.getTime() ? 'open' : 'past its due time';
}

/** The public card: what, how many, when it is due (in the server's zone and UTC), and Start. */
function card(ctx: CommandContext, a: Assignment): Reply {
  const topic = ctx.content.topic(a.topic)?.title ?? a.topic;
  const due = new Date(a.dueAt);
  const utc = a.timezone === 'UTC' ? '' : `, that is ${describeDue({ at: due }, 'UTC')}`;
  return reply({
    title: `Assignment ${a.id}: ${topic}`,
    text: [
      `${a.questionIds.length} question${a.questionIds.length === 1 ? '' : 's'} on *${topic}*, set by ${plainName(a.createdBy.displayName)}.`,
      `**Due ${describeDue({ at: due }, a.timezone)}**${utc}. After you press Start you also see it in your own time zone.`,
      'Press **Start** to do it privately, one question at a time. You can stop and press Start again to carry on; your answers go into your review deck.',
    ].join('\n'),
    actions: [{ id: `assign:s:${a.id}`, label: 'Start', style: 'primary' }],
  });
}

const create: Subcommand = {
  name: 'create',
  description: 'Set an assignment on a topic in this channel, due at a date and time (hosts)',
  access: 'host',
  options: [
    topicOption('the topic, e.g. secret-speech', true),
    {
      name: 'questions',
      description: `how many questions (1 to what the topic has, at most ${MAX_QUESTIONS}; default 10)`,
      type: 'integer',
      min: 1,
      max: MAX_QUESTIONS,
    },
    {
      name: 'due',
      description: 'due date: 2026-12-10, 12-10, friday or tomorrow',
      type: 'string',
      required: true,
      maxLength: 40,
    },
    { name: 'time', description: 'due time of day (default 23:59)', type: 'time' },
    { name: 'timezone', description: "IANA zone (default: the server's, else UTC)", type: 'timezone' },
    {
      name: 'ping',
      description: 'a role (Discord) or user group (Slack) to remind the day before',
      type: 'role',
    },
  ],
  async run(ctx) {
    const ping = ctx.options.mention('ping');
    refuseEveryone(ping, ctx.channel.workspaceId);
    const topic = requireTopic(ctx.content, ctx.options.string('topic') ?? '');
    const settings = await ctx.storage.settings.get(ctx.channel);
    const available = availableQuestions(ctx.content, topic.id, hiddenIds(settings));
    if (available.length === 0) throw new UserError(`*${topic.title}* has no questions to assign here.`);
    const most = Math.min(available.length, MAX_QUESTIONS);
    const count = ctx.options.integer('questions') ?? Math.min(10, most);
    if (count > most)
      throw new UserError(
        `*${topic.title}* has ${available.length} question${available.length === 1 ? '' : 's'} here: choose \`questions\` from 1 to ${most}.`,
      );
    const zone = ctx.options.string('timezone') ?? settings?.timezone ?? 'UTC';
    const due = parseDue(ctx.options.string('due') ?? '', ctx.options.time('time'), zone, ctx.now());
    if (!due.ok) throw new UserError(due.error);
    const me = { id: ctx.user.id, displayName: ctx.user.displayName };
    for (let attempt = 0; attempt < 5; attempt++) {
      const assignment: Assignment = {
        id: Math.floor(ctx.random() * 36 ** 4)
          .toString(36)
          .padStart(4, '0'),
        channel: ctx.channel,
        topic: topic.id,
        questionIds: drawQuestions(available, count, ctx.random),
        dueAt: due.value.at.toISOString(),
        dueDate: due.value.date,
        dueTime: due.value.time,
        timezone: zone,
        createdAt: ctx.now().toISOString(),
        createdBy: me,
        ...(ping ? { ping: { id: ping.id, label: ping.label } } : {}),
        hosts: { [me.id]: me.displayName },
      };
      if (await ctx.storage.assignments.create(assignment)) return card(ctx, assignment);
    }
    throw new Error('no free assignment id after 5 tries');
  },
};

const status: Subcommand = {
  name: 'status',
  description: 'Who finished an assignment, with scores, and who has not (hosts)',
  access: 'host',
  options: [
    idOption('the id on the card (default: the latest open one in this channel)', false),
    { name: 'export', description: 'attach a CSV file for a spreadsheet', type: 'boolean' },
  ],
  async run(ctx) {
    const id = ctx.options.string('id');
    const a = id ? await requireAssignment(ctx, id) : await latestHere(ctx);
    await ctx.storage.assignments.noteHost(ctx.channel, a.id, {
      id: ctx.user.id,
      displayName: ctx.user.displayName,
    });
    const settings = await ctx.storage.settings.get(ctx.channel);
    const [progress, people] = await Promise.all([
      ctx.storage.assignments.progressOf(ctx.channel, a.id),
      ctx.storage.workspaces.people(ctx.channel),
    ]);
    const s = standing(a, progress, people, new Set(settings?.hostUserIds ?? []), hiddenIds(settings));
    const topic = ctx.content.topic(a.topic)?.title ?? a.topic;
    const head = `*${topic}*, ${a.questionIds.length} questions, due ${describeDue({ at: new Date(a.dueAt) }, a.timezone)}: ${stateText(a, ctx.now())}.`;
    const note =
      'Not started lists only people seen here (anyone who played a quiz or studied in this server), never hosts I know of; I do not read the member list.';
    const file = ctx.options.boolean('export')
      ? [
          {
            name: `assignment-${a.id}.csv`,
            data: toCsv(CSV_HEADER, csvRows(s)),
            contentType: 'text/csv; charset=utf-8',
          },
        ]
      : undefined;
    return reply({
      title: `Assignment ${a.id}: status`,
      text: `${head}\n\n${standingText(s)}\n\n*${note}*`,
      ephemeral: true,
      ...(file ? { files: file } : {}),
    });
  },
};

/** The latest open assignment in this channel, else the latest one here. */
async function latestHere(ctx: CommandContext): Promise<Assignment> {
  const here = (await ctx.storage.assignments.inWorkspace(ctx.channel)).filter(
    (a) => a.channel.channelId === ctx.channel.channelId,
  );
  const found = here.find((a) => isOpen(a, ctx.now())) ?? here[0];
  if (found) return found;
  throw new UserError('There is no assignment in this channel. Name one with `id:`, or see `/assign list`.');
}

const list: Subcommand = {
  name: 'list',
  description: "This server's open assignments, and those closed in the last 30 days",
  async run(ctx) {
    const now = ctx.now();
    const recent = now.getTime() - RECENT_DAYS * 86_400_000;
    const shown = (await ctx.storage.assignments.inWorkspace(ctx.channel)).filter(
      (a) => isOpen(a, now) || Date.parse(a.closedAt ?? a.dueAt) >= recent,
    );
    if (shown.length === 0)
      return reply({
        title: 'Assignments',
        text: 'No open or recent assignments here. A host can set one with `/assign create`.',
        ephemeral: true,
      });
    const hidden = await ctx.disputes.hidden(ctx.channel);
    const lines = await Promise.all(
      shown.slice(0, 25).map(async (a) => {
        const mine = await ctx.storage.assignments.progress(ctx.channel, a.id, ctx.user.id);
        const you = mine ? (tally(mine, hidden).finished ? ' · you finished' : ' · you started') : '';
        const topic = ctx.content.topic(a.topic)?.title ?? a.topic;
        return `- **${a.id}**: *${topic}*, ${a.questionIds.length} questions, due ${describeDue({ at: new Date(a.dueAt) }, a.timezone)}: ${stateText(a, now)}${you}`;
      }),
    );
    if (shown.length > 25) lines.push(`- …and ${shown.length - 25} more`);
    return reply({ title: 'Assignments', text: lines.join('\n'), ephemeral: true });
  },
};

const close: Subcommand = {
  name: 'close',
  description: 'Close an assignment now: Start then says it is closed (hosts)',
  access: 'host',
  options: [idOption('the id on the card', true)],
  async run(ctx) {
    const a = await requireAssignment(ctx, ctx.options.string('id') ?? '');
    const me = { id: ctx.user.id, displayName: ctx.user.displayName };
    await ctx.storage.assignments.noteHost(ctx.channel, a.id, me);
    if (!(await ctx.storage.assignments.close(ctx.channel, a.id, me, ctx.now())))
      throw new UserError(`Assignment ${a.id} was closed already.`);
    return reply({
      text: `Assignment ${a.id} is closed: it takes no more answers. \`/assign status id:${a.id}\` shows the results.`,
    });
  },
};

export const assign: Command = {
  name: 'assign',
  serverOnly: 'Assignments live in a server channel, not in direct messages.',
  description: 'Set work on a topic with a due date, and see who did it',
  subcommands: [create, status, list, close],
  help:
    'Hosts set an assignment with `/assign create topic:secret-speech questions:10 due:friday` (due: 2026-12-10, 12-10, a weekday, today or tomorrow; ' +
    "time defaults to 23:59, the zone to the server's `/settings timezone`, else UTC). Everyone gets the same questions, in their own order, and does them privately with Start; " +
    'answers feed their review deck. A reminder is posted the day before, pinging nobody unless `ping:` names a role or user group. ' +
    '`/assign status` lists who finished (with scores), who started and who of the people seen here has not; `export:true` attaches a CSV. See docs/assignments.md.',
  actions: { assign: onAssignPress },
};
