import type { Access, Command } from '../src/core/command.ts';
import { usage } from '../src/core/options.ts';
import { type Reply, reply } from '../src/core/reply.ts';
import { closestMatches } from '../src/core/suggest.ts';

const WHO: Record<Exclude<Access, 'everyone'>, string> = { host: 'hosts only', admin: 'admins only' };

/** A description with who may use it, unless the description already says so ("(admins only)"). */
function described(description: string, access: Access): string {
  if (access === 'everyone' || /\((?:[^()]*\b)?(?:admins?|hosts?)\b[^()]*\)\s*$/i.test(description))
    return description;
  return `${description} (${WHO[access]})`;
}

/** The list of commands: what `/help` shows, and what an unknown name gets pointed to. */
function overview(commands: readonly Command[], intro?: string): Reply {
  const lines = commands.map((c) => `- \`/${c.name}\`: ${described(c.description, c.access ?? 'everyone')}`);
  const example = commands.find((c) => c.name === 'learn')?.name ?? commands[0]?.name ?? 'help';
  return reply({
    title: 'thawbot: the Soviet Thaw, 1953-1964',
    text: [intro, lines.join('\n'), `Type \`/help ${example}\` to see how to use one command.`]
      .filter(Boolean)
      .join('\n\n'),
    ephemeral: true,
  });
}

/** `/help` and `/help <command>`, generated from the command list so it never drifts. */
export const help: Command = {
  name: 'help',
  description: 'What thawbot can do, or how to use one command',
  options: [
    {
      name: 'command',
      description: 'a command name, e.g. learn',
      type: 'string',
      suggest: (prefix, ctx) =>
        ctx.commands
          .filter((c) => c.name.startsWith(prefix.replace(/^\//, '').toLowerCase()))
          .map((c) => ({ value: c.name, label: `/${c.name}` })),
    },
  ],
  run(ctx) {
    const name = ctx.options.string('command')?.replace(/^\//, '').toLowerCase();
    if (!name) return overview(ctx.commands);
    const command = ctx.commands.find((c) => c.name === name);
    if (!command) {
      const near = closestMatches(name, ctx.commands, (c) => [c.name], 3);
      const guess = near.length ? ` Did you mean ${near.map((c) => `\`/${c.name}\``).join(' or ')}?` : '';
      return overview(
        ctx.commands,
        `There is no \`/${name.slice(0, 40)}\` command.${guess} Here is what thawbot can do:`,
      );
    }
    const access = command.access ?? 'everyone';
    const subs = command.subcommands ?? [];
    const usages = subs.length
      ? subs.map(
          (s) =>
            `- \`${usage(command, s)}\`: ${described(s.description, s.access && s.access !== access ? s.access : 'everyone')}`,
        )
      : [`\`${usage(command)}\``];
    const options = (command.options ?? []).map((o) => `- \`${o.name}\`: ${o.description}`);
    return reply({
      title: `/${command.name}`,
      text: [
        described(command.description, access),
        usages.join('\n'),
        options.join('\n'),
        command.help ?? '',
      ]
        .filter(Boolean)
        .join('\n\n'),
      ephemeral: true,
    });
  },
};
