import { type Command, UserError } from '../src/core/command.ts';
import { usage } from '../src/core/options.ts';
import { reply } from '../src/core/reply.ts';
import { closestMatches } from '../src/core/suggest.ts';

const ACCESS_NOTE = { everyone: '', host: ' (hosts)', admin: ' (admins)' } as const;

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
    if (!name) {
      const lines = ctx.commands.map(
        (c) => `- \`/${c.name}\`${ACCESS_NOTE[c.access ?? 'everyone']}: ${c.description}`,
      );
      return reply({
        title: 'thawbot: the Soviet Thaw, 1953-1964',
        text: `${lines.join('\n')}\n\nType \`/help command:NAME\` for the options of one command.`,
        ephemeral: true,
      });
    }
    const command = ctx.commands.find((c) => c.name === name);
    if (!command) {
      const near = closestMatches(name, ctx.commands, (c) => [c.name], 3);
      throw new UserError(
        `There is no \`/${name.slice(0, 40)}\` command.${near.length ? ` Did you mean ${near.map((c) => `\`/${c.name}\``).join(', ')}?` : ''}`,
      );
    }
    const subs = command.subcommands ?? [];
    const usages = subs.length
      ? subs.map(
          (s) =>
            `- \`${usage(command, s)}\`${ACCESS_NOTE[s.access ?? command.access ?? 'everyone']}: ${s.description}`,
        )
      : [`\`${usage(command)}\``];
    const options = (command.options ?? []).map((o) => `- \`${o.name}\`: ${o.description}`);
    return reply({
      title: `/${command.name}`,
      text: [command.description, usages.join('\n'), options.join('\n'), command.help ?? '']
        .filter(Boolean)
        .join('\n\n'),
      ephemeral: true,
    });
  },
};
