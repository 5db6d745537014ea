import { pathToFileURL } from 'node:url';
import { REST, type RESTPutAPIApplicationCommandsJSONBody, Routes } from 'discord.js';
import type { Command } from '../../core/command.ts';
import { commandPayload, diffCommands, type RegistrationDiff } from './registration.ts';

export interface RegisterOptions {
  token: string;
  applicationId: string;
  /** One guild (instant, for development); without it the commands are registered globally. */
  guildId?: string;
  apiUrl?: string;
}

/** Overwrites the registered commands with the payload built from `commands` and says what changed. */
export async function registerCommands(
  commands: readonly Command[],
  options: RegisterOptions,
): Promise<RegistrationDiff> {
  const rest = new REST(options.apiUrl ? { api: options.apiUrl } : {}).setToken(options.token);
  const route = options.guildId
    ? Routes.applicationGuildCommands(options.applicationId, options.guildId)
    : Routes.applicationCommands(options.applicationId);
  const payload: RESTPutAPIApplicationCommandsJSONBody = commandPayload(commands);
  const current = (await rest.get(route)) as Record<string, unknown>[];
  const diff = diffCommands(current, payload);
  await rest.put(route, { body: payload });
  return diff;
}

export function describeDiff(diff: RegistrationDiff, where: string): string {
  const line = (label: string, names: string[]) =>
    names.length ? `  ${label}: ${names.map((n) => `/${n}`).join(', ')}` : '';
  return [
    `Registered ${diff.added.length + diff.changed.length + diff.unchanged.length} commands ${where}.`,
    line('added', diff.added),
    line('changed', diff.changed),
    line('removed', diff.removed),
    line('unchanged', diff.unchanged),
  ]
    .filter(Boolean)
    .join('\n');
}

async function main(): Promise<void> {
  const token = process.env.DISCORD_TOKEN;
  const applicationId = process.env.DISCORD_APPLICATION_ID;
  if (!token || !applicationId) {
    console.error(
      'Set DISCORD_TOKEN and DISCORD_APPLICATION_ID (and DISCORD_GUILD_ID for one server). See docs/discord.md.',
    );
    process.exit(2);
  }
  const guildId = process.env.DISCORD_GUILD_ID || undefined;
  const apiUrl = process.env.DISCORD_API_URL || undefined;
  // Loaded at run time so that the registration helpers do not depend on the command list.
  const commandsModule = new URL('../../../commands/index.ts', import.meta.url).href;
  const { commands } = (await import(commandsModule)) as { commands: Command[] };
  const diff = await registerCommands(commands, { token, applicationId, guildId, apiUrl });
  console.log(
    describeDiff(
      diff,
      guildId ? `in guild ${guildId} (available now)` : 'globally (may take up to an hour to appear)',
    ),
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(`Registration failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
