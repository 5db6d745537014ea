import { type ActionContext, type Command, type CommandContext, UserError } from '../src/core/command.ts';
import { workspaceKey } from '../src/core/platform.ts';
import { type Reply, reply } from '../src/core/reply.ts';
import type { Footprint, WorkspaceSettings } from '../src/store/ports.ts';

const HOST_RIGHTS = 'Hosts can start, stop and schedule quizzes and manage daily posts.';

/** `/settings`: the server's default time zone and who its hosts are. Admins only. */
export const settings: Command = {
  name: 'settings',
  description: "This server's time zone and hosts (admins only)",
  access: 'admin',
  help: `Admins are always hosts. ${HOST_RIGHTS} On Discord a host role makes everyone holding it a host; on any platform you can also name hosts one by one. \`/settings forget-server\` deletes everything stored for this server, after a confirmation.`,
  subcommands: [
    {
      name: 'show',
      description: 'Show the time zone and hosts',
      run: async (ctx) => {
        requireServer(ctx);
        const current = await settingsOf(ctx);
        const names = (current?.hostUserIds ?? []).map((id) => plainLabel(current?.hostNames?.[id] ?? id));
        const fields = [
          {
            label: 'Default time zone',
            value: current?.timezone
              ? `${current.timezone} (now ${localTime(current.timezone, ctx.now())} there)`
              : 'Not set: daily posts then ask for a zone. Set one with `/settings timezone`.',
          },
        ];
        if (ctx.channel.platform === 'discord') {
          fields.push({
            label: 'Host role',
            value: current?.hostRoleId
              ? plainLabel(current.hostRoleName ?? current.hostRoleId)
              : 'None. Set one with `/settings host-role`.',
          });
        }
        fields.push({
          label: 'Hosts by name',
          value: names.length > 0 ? names.join(', ') : 'None. Add one with `/settings host-add`.',
        });
        return ephemeral('Server settings', `Admins are always hosts. ${HOST_RIGHTS}`, fields);
      },
    },
    {
      name: 'timezone',
      description: "Set the server's default time zone",
      options: [
        {
          // Named like the option of /daily and /quiz schedule; the old name zone: still works.
          name: 'timezone',
          description: 'an IANA time zone, e.g. Europe/Berlin',
          type: 'timezone',
          required: true,
        },
      ],
      run: async (ctx) => {
        const zone = ctx.options.string('timezone') as string;
        await change(ctx, (s) => {
          s.timezone = zone;
        });
        return ephemeral(
          'Time zone saved',
          `The default time zone is now **${zone}** (it is ${localTime(zone, ctx.now())} there). Daily posts without a zone of their own use it.`,
        );
      },
    },
    {
      name: 'host-role',
      description: 'Discord: make everyone with this role a host',
      options: [
        { name: 'role', description: 'the role whose members host quizzes', type: 'role', required: true },
      ],
      run: async (ctx) => {
        if (ctx.channel.platform !== 'discord') {
          return ephemeral(
            'Host roles are a Discord feature',
            `Here, name hosts one by one instead: \`/settings host-add user:@name\`. ${HOST_RIGHTS}`,
          );
        }
        const role = ctx.options.mention('role');
        if (!role) throw new UserError('Name a role, for example `/settings host-role role:@Teachers`.');
        const name = plainLabel(role.label);
        await change(ctx, (s) => {
          s.hostRoleId = role.id;
          s.hostRoleName = name;
        });
        return ephemeral(
          'Host role saved',
          `Everyone with the role **${name}** is now a host. ${HOST_RIGHTS}`,
        );
      },
    },
    {
      name: 'host-add',
      description: 'Make someone a host',
      options: [{ name: 'user', description: 'the person to make a host', type: 'user', required: true }],
      run: async (ctx) => {
        const user = ctx.options.mention('user');
        if (!user) throw new UserError('Name a person, for example `/settings host-add user:@maria`.');
        const name = plainLabel(user.label);
        const added = await change(ctx, (s) => {
          if (s.hostUserIds.includes(user.id)) return false;
          s.hostUserIds.push(user.id);
          s.hostNames = { ...s.hostNames, [user.id]: name };
          return true;
        });
        if (!added) return ephemeral('Already a host', `**${name}** is already on the host list.`);
        return ephemeral('Host added', `**${name}** is now a host. ${HOST_RIGHTS}`);
      },
    },
    {
      name: 'host-remove',
      description: 'Take someone off the host list',
      options: [{ name: 'user', description: 'the person to remove', type: 'user', required: true }],
      run: async (ctx) => {
        const user = ctx.options.mention('user');
        if (!user) throw new UserError('Name a person, for example `/settings host-remove user:@maria`.');
        const stored = (await settingsOf(ctx))?.hostNames?.[user.id];
        const name = plainLabel(stored ?? user.label);
        const removed = await change(ctx, (s) => {
          if (!s.hostUserIds.includes(user.id)) return false;
          s.hostUserIds = s.hostUserIds.filter((id) => id !== user.id);
          if (s.hostNames) delete s.hostNames[user.id];
          return true;
        });
        if (!removed) {
          return ephemeral(
            'Not on the host list',
            `**${name}** is not on the host list, so nothing changed. \`/settings show\` lists the hosts.`,
          );
        }
        const roleNote =
          ctx.channel.platform === 'discord' && (await settingsOf(ctx))?.hostRoleId
            ? ' If they hold the host role, they stay a host through it.'
            : '';
        return ephemeral('Host removed', `**${name}** is no longer on the host list.${roleNote}`);
      },
    },
    {
      name: 'forget-server',
      description: 'Delete everything stored for this server (asks to confirm)',
      run: async (ctx) => {
        requireServer(ctx);
        const stored = inWords(await ctx.storage.workspaces.footprint(ctx.channel));
        const issued = ctx.now().getTime().toString(36);
        return reply({
          title: "Delete this server's data?",
          text:
            `This deletes everything thawbot stores for this server: ${stored}. ` +
            'Daily posts and quiz nights stop, running quizzes end without results, and leaderboards and study records are gone for good. ' +
            `The button works for ${CONFIRM_MINUTES} minutes; to keep everything, just ignore this message.`,
          actions: [
            {
              id: `forget:${ctx.channel.workspaceId}:${issued}`,
              label: 'Delete everything',
              style: 'danger',
            },
          ],
          ephemeral: true,
        });
      },
    },
  ],
  actions: {
    // forget:<workspaceId>:<issued, epoch ms in base 36>
    forget: async (ctx) => {
      checkForget(ctx);
      const deleted = await ctx.storage.workspaces.forget(ctx.channel);
      ctx.log.info(
        { workspace: workspaceKey(ctx.channel), by: ctx.user.id, deleted },
        'server data deleted on request',
      );
      return {
        mode: 'replace',
        reply: ephemeral(
          'Server data deleted',
          `Deleted ${inWords(deleted)}. thawbot keeps working here and starts afresh: settings, daily posts and scores begin empty.`,
        ),
      };
    },
  },
};

const CONFIRM_MINUTES = 15;

/** Only an admin of the same server, with a fresh button, may confirm the deletion. */
function checkForget(ctx: ActionContext): void {
  const [workspaceId, issued] = ctx.payload.split(':');
  if (!ctx.isAdmin) throw new UserError(ACCESS_DENIED_ADMIN);
  if (ctx.inServer === false || workspaceId !== ctx.channel.workspaceId)
    throw new UserError('This button belongs to another server, so nothing was deleted.');
  const at = Number.parseInt(issued ?? '', 36);
  const age = ctx.now().getTime() - at;
  if (!Number.isFinite(at) || age < 0 || age > CONFIRM_MINUTES * 60_000)
    throw new UserError(
      'This confirmation has expired, so nothing was deleted. Run `/settings forget-server` again for a fresh one.',
    );
}

const ACCESS_DENIED_ADMIN =
  'Only server admins can delete server data (Manage Server on Discord, workspace admins on Slack). Nothing was deleted.';

const COLLECTION_LABELS: Record<string, [string, string]> = {
  subscriptions: ['daily-post subscription', 'daily-post subscriptions'],
  deliveries: ['channel delivery log', 'channel delivery logs'],
  quizSessions: ['running quiz', 'running quizzes'],
  quizResults: ['finished quiz', 'finished quizzes'],
  scores: ['leaderboard', 'leaderboards'],
  study: ['study record', 'study records'],
  claims: ['delivery marker', 'delivery markers'],
  quizNights: ['weekly quiz night', 'weekly quiz nights'],
  learners: ['learner profile', 'learner profiles'],
  studyCards: ['review card', 'review cards'],
  disputes: ['report of a problem with a question', 'reports of problems with questions'],
  assignments: ['assignment', 'assignments'],
  assignmentProgress: ['learner progress in an assignment', 'learner progress records in assignments'],
};

/** "3 study records, 1 leaderboard": what a workspace has stored, in words. */
function inWords(report: Footprint): string {
  const parts = Object.entries(report)
    .filter(([, n]) => n > 0)
    .map(([name, n]) => {
      if (name === 'settings') return 'the server settings';
      const [one, many] = COLLECTION_LABELS[name] ?? [name, name];
      return `${n} ${n === 1 ? one : many}`;
    });
  return parts.length > 0 ? parts.join(', ') : 'nothing stored yet';
}

function settingsOf(ctx: CommandContext): Promise<WorkspaceSettings | undefined> {
  return ctx.storage.settings.get(ctx.channel);
}

/** Changes this workspace's settings durably; settings live per server, never per channel. */
async function change<T>(ctx: CommandContext, fn: (settings: WorkspaceSettings) => T): Promise<T> {
  requireServer(ctx);
  return ctx.storage.settings.change(ctx.channel, fn);
}

function requireServer(ctx: CommandContext): void {
  if (ctx.inServer === false)
    throw new UserError('Settings belong to a server: run `/settings` in one of its channels.');
}

function ephemeral(title: string, text: string, fields?: { label: string; value: string }[]): Reply {
  return reply({ title, text, fields, ephemeral: true });
}

/**
 * A name as plain text: no mention markup, no Markdown markers, no line breaks, so a display name
 * can neither ping anyone nor change how the reply looks.
 */
export function plainLabel(name: string): string {
  const cleaned = name
    .replace(/[<>*_~`|\\[\]]/g, '')
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/^[@!#&]+/, '')
    .trim();
  return (cleaned || 'someone').slice(0, 80);
}

function localTime(zone: string, now: Date): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit' }).format(now);
}
