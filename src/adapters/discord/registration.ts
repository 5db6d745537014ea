import {
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandOption,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  PermissionFlagsBits,
  type RESTPutAPIApplicationCommandsJSONBody,
} from 'discord.js';
import type { Command, OptionSpec } from '../../core/command.ts';
import { truncate } from '../../core/reply.ts';

type CommandBody = RESTPutAPIApplicationCommandsJSONBody[number];

const NAME = /^[-_\p{Ll}\p{N}]{1,32}$/u;
const MAX_DESCRIPTION = 100;
const MAX_CHOICES = 25;

/**
 * The bulk-overwrite payload for Discord from the command list: subcommands as options of type 1,
 * typed options with bounds and choices, autocomplete where an option can suggest, and Manage Server
 * as the default permission only on commands that are admin-only as a whole.
 */
export function commandPayload(commands: readonly Command[]): RESTPutAPIApplicationCommandsJSONBody {
  return commands.map(commandBody);
}

function commandBody(command: Command): CommandBody {
  checkName(command.name, `/${command.name}`);
  const options: APIApplicationCommandOption[] = command.subcommands?.length
    ? command.subcommands.map((sub) => {
        checkName(sub.name, `/${command.name} ${sub.name}`);
        return {
          type: ApplicationCommandOptionType.Subcommand,
          name: sub.name,
          description: description(sub.description),
          options: optionsOf(sub.options ?? [], `/${command.name} ${sub.name}`),
        };
      })
    : optionsOf(command.options ?? [], `/${command.name}`);
  return {
    type: ApplicationCommandType.ChatInput,
    name: command.name,
    description: description(command.description),
    options,
    ...(command.access === 'admin'
      ? { default_member_permissions: String(PermissionFlagsBits.ManageGuild) }
      : {}),
    contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
    integration_types: [ApplicationIntegrationType.GuildInstall],
  };
}

/** Discord wants required options first; the relative order is otherwise kept. */
function optionsOf(specs: readonly OptionSpec[], where: string): APIApplicationCommandBasicOption[] {
  if (specs.length > 25) throw new Error(`${where} has ${specs.length} options; Discord allows 25`);
  const ordered = [...specs.filter((s) => s.required), ...specs.filter((s) => !s.required)];
  return ordered.map((spec) => {
    checkName(spec.name, `${where} ${spec.name}`);
    return optionBody(spec);
  });
}

function optionBody(spec: OptionSpec): APIApplicationCommandBasicOption {
  const base = {
    name: spec.name,
    description: description(spec.description),
    required: spec.required ?? false,
  };
  const autocomplete = spec.suggest ? { autocomplete: true } : {};
  switch (spec.type) {
    case 'string':
      return {
        ...base,
        type: ApplicationCommandOptionType.String,
        ...autocomplete,
        ...(spec.maxLength ? { max_length: Math.min(spec.maxLength, 6000) } : {}),
      };
    case 'integer':
      return {
        ...base,
        type: ApplicationCommandOptionType.Integer,
        ...autocomplete,
        ...(spec.min !== undefined ? { min_value: spec.min } : {}),
        ...(spec.max !== undefined ? { max_value: spec.max } : {}),
      };
    case 'boolean':
      return { ...base, type: ApplicationCommandOptionType.Boolean };
    case 'choice':
      // Discord allows either fixed choices (up to 25) or autocomplete, not both.
      if (spec.suggest || spec.choices.length > MAX_CHOICES)
        return { ...base, type: ApplicationCommandOptionType.String, autocomplete: true };
      return {
        ...base,
        type: ApplicationCommandOptionType.String,
        choices: spec.choices.map((c) => ({ name: c, value: c })),
      };
    case 'user':
      return { ...base, type: ApplicationCommandOptionType.User };
    case 'role':
      return { ...base, type: ApplicationCommandOptionType.Role };
    case 'monthDay':
      return { ...base, type: ApplicationCommandOptionType.String, ...autocomplete, max_length: 5 };
    case 'time':
      return { ...base, type: ApplicationCommandOptionType.String, ...autocomplete, max_length: 16 };
    case 'timezone':
      return { ...base, type: ApplicationCommandOptionType.String, ...autocomplete, max_length: 64 };
  }
}

function description(text: string): string {
  const trimmed = text.trim() || 'No description.';
  return truncate(trimmed, MAX_DESCRIPTION);
}

function checkName(name: string, where: string): void {
  if (!NAME.test(name))
    throw new Error(
      `${where}: "${name}" is not a valid Discord name (1-32 lower-case letters, digits, - or _)`,
    );
}

/** What a bulk overwrite changes, by command name. */
export interface RegistrationDiff {
  added: string[];
  removed: string[];
  changed: string[];
  unchanged: string[];
}

/** Compares the registered commands with the payload, ignoring fields Discord adds (ids, versions). */
export function diffCommands(
  current: readonly Record<string, unknown>[],
  next: RESTPutAPIApplicationCommandsJSONBody,
): RegistrationDiff {
  const before = new Map(current.map((c) => [String(c.name), c]));
  const diff: RegistrationDiff = { added: [], removed: [], changed: [], unchanged: [] };
  for (const command of next) {
    const old = before.get(command.name);
    if (!old) diff.added.push(command.name);
    else if (comparable(old) === comparable(command as unknown as Record<string, unknown>))
      diff.unchanged.push(command.name);
    else diff.changed.push(command.name);
    before.delete(command.name);
  }
  diff.removed.push(...before.keys());
  return diff;
}

function comparable(command: Record<string, unknown>): string {
  const pick = (o: Record<string, unknown>) => ({
    name: o.name,
    description: o.description,
    options: normalizeOptions(o.options),
    default_member_permissions: o.default_member_permissions ?? null,
  });
  return JSON.stringify(pick(command));
}

function normalizeOptions(options: unknown): unknown {
  if (!Array.isArray(options) || options.length === 0) return [];
  return options.map((o: Record<string, unknown>) => ({
    type: o.type,
    name: o.name,
    description: o.description,
    required: o.required ?? false,
    autocomplete: o.autocomplete ?? false,
    choices: o.choices ?? [],
    min_value: o.min_value ?? null,
    max_value: o.max_value ?? null,
    max_length: o.max_length ?? null,
    options: normalizeOptions(o.options),
  }));
}
