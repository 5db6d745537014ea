import { pathToFileURL } from 'node:url';
import { REST, type RESTPutAPIApplicationCommandsJSONBody, Routes } from 'discord.js';
import { loadDotEnv } from '../../config.ts';
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

/** Discord ids are snowflakes: numbers of 17 to 20 digits. */
const SNOWFLAKE = /^\d{17,20}$/;

const WHERE = {
  DISCORD_APPLICATION_ID: 'General Information > Application ID in the Developer Portal',
  DISCORD_GUILD_ID: 'with Developer Mode on, right-click the server icon > Copy Server ID',
  DISCORD_TOKEN: 'Bot > Reset Token in the Developer Portal',
} as const;

/** Why a Discord id variable cannot be used: missing (when required) or not a snowflake. */
export function discordIdProblem(
  name: 'DISCORD_APPLICATION_ID' | 'DISCORD_GUILD_ID',
  value: string | undefined,
  required: boolean,
): string | undefined {
  const id = value?.trim();
  if (!id) return required ? `Set ${name} (${WHERE[name]}) in .env or the environment.` : undefined;
  if (!SNOWFLAKE.test(id))
    return `${name} is "${id.slice(0, 40)}", which is not a Discord id: ids are numbers of 17 to 20 digits (${WHERE[name]}).`;
  return undefined;
}

export interface ScriptEnv {
  token?: string;
  applicationId: string;
  guildId?: string;
  apiUrl?: string;
}

/** The variables the registration and invite scripts need, or one line per problem. */
export function readScriptEnv(
  env: NodeJS.ProcessEnv,
  needsToken: boolean,
): { ok: true; value: ScriptEnv } | { ok: false; problems: string[] } {
  const token = env.DISCORD_TOKEN?.trim() || undefined;
  const problems = [
    needsToken && !token
      ? `Set DISCORD_TOKEN (${WHERE.DISCORD_TOKEN}) in .env or the environment.`
      : undefined,
    discordIdProblem('DISCORD_APPLICATION_ID', env.DISCORD_APPLICATION_ID, true),
    needsToken ? discordIdProblem('DISCORD_GUILD_ID', env.DISCORD_GUILD_ID, false) : undefined,
  ].filter((p): p is string => p !== undefined);
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    value: {
      token,
      applicationId: (env.DISCORD_APPLICATION_ID ?? '').trim(),
      guildId: env.DISCORD_GUILD_ID?.trim() || undefined,
      apiUrl: env.DISCORD_API_URL?.trim() || undefined,
    },
  };
}

async function main(): Promise<void> {
  loadDotEnv();
  const read = readScriptEnv(process.env, true);
  if (!read.ok) {
    console.error(`${read.problems.join('\n')}\nSee docs/discord.md.`);
    process.exit(2);
  }
  const { token = '', applicationId, guildId, apiUrl } = read.value;
  // Loaded at run time so that the registration helpers do not depend on the command list; built
  // to dist/ this module is .js and so is the list.
  const extension = import.meta.url.endsWith('.js') ? 'js' : 'ts';
  const commandsModule = new URL(`../../../commands/index.${extension}`, import.meta.url).href;
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
