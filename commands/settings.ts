import { type Command, type CommandContext, UserError } from '../src/core/command.ts';
import { workspaceKey } from '../src/core/platform.ts';
import { type Reply, reply } from '../src/core/reply.ts';
import type { WorkspaceSettings } from '../src/store/types.ts';

const HOST_RIGHTS = 'Hosts can start, stop and schedule quizzes and manage daily posts.';

/** `/settings`: the server's default time zone and who its hosts are. Admins only. */
export const settings: Command = {
  name: 'settings',
  description: "This server's time zone and hosts (admins only)",
  access: 'admin',
  help: `Admins are always hosts. ${HOST_RIGHTS} On Discord a host role makes everyone holding it a host; on any platform you can also name hosts one by one.`,
  subcommands: [
    {
      name: 'show',
      description: 'Show the time zone and hosts',
      run: (ctx) => {
        requireServer(ctx);
        const current = settingsOf(ctx);
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
          name: 'zone',
          description: 'an IANA time zone, e.g. Europe/Berlin',
          type: 'timezone',
          required: true,
        },
      ],
      run: async (ctx) => {
        const zone = ctx.options.string('zone') as string;
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
        const stored = settingsOf(ctx)?.hostNames?.[user.id];
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
          ctx.channel.platform === 'discord' && settingsOf(ctx)?.hostRoleId
            ? ' If they hold the host role, they stay a host through it.'
            : '';
        return ephemeral('Host removed', `**${name}** is no longer on the host list.${roleNote}`);
      },
    },
  ],
};

function settingsOf(ctx: CommandContext): Readonly<WorkspaceSettings> | undefined {
  return ctx.store.read().settings[workspaceKey(ctx.channel)];
}

/** Changes this workspace's settings durably; settings live per server, never per channel. */
async function change<T>(ctx: CommandContext, fn: (settings: WorkspaceSettings) => T): Promise<T> {
  requireServer(ctx);
  const key = workspaceKey(ctx.channel);
  return ctx.store.update((data) => {
    data.settings[key] ??= { hostUserIds: [] };
    return fn(data.settings[key]);
  });
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
