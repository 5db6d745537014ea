import {
  type APIInteractionDataResolvedGuildMember,
  type APIInteractionGuildMember,
  ApplicationCommandOptionType,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type CommandInteractionOption,
  GuildMember,
  type ModalSubmitInteraction,
  PermissionFlagsBits,
  type User,
} from 'discord.js';
import type { ActionEvent, Actor, Invocation, RawOptionValue } from '../../core/command.ts';
import type { ChannelRef } from '../../core/platform.ts';

/** The workspace id used for direct messages, where there is no guild. */
export const DM_WORKSPACE = '@me';

type AnyInteraction =
  | ChatInputCommandInteraction
  | AutocompleteInteraction
  | ButtonInteraction
  | ModalSubmitInteraction;

/** Who acted and where: admin from Manage Server, and the member's roles (the app decides who hosts). */
export function actorOf(interaction: AnyInteraction): Actor {
  const inServer = interaction.inGuild();
  const channel: ChannelRef = {
    platform: 'discord',
    workspaceId: interaction.guildId ?? DM_WORKSPACE,
    channelId: interaction.channelId ?? 'unknown',
  };
  const member = interaction.member;
  const isAdmin = inServer && (interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false);
  const roleIds = roleIdsOf(member);
  return {
    user: {
      platform: 'discord',
      id: interaction.user.id,
      displayName: displayNameOf(member, interaction.user),
    },
    channel,
    isAdmin,
    isHost: isAdmin,
    roleIds,
    inServer,
  };
}

function roleIdsOf(member: GuildMember | APIInteractionGuildMember | null): string[] {
  if (!member) return [];
  if (member instanceof GuildMember) return [...member.roles.cache.keys()];
  return [...member.roles];
}

/** A plain display name: server nickname, then global name, then username. */
export function displayNameOf(
  member: GuildMember | APIInteractionGuildMember | APIInteractionDataResolvedGuildMember | null | undefined,
  user: Pick<User, 'username' | 'globalName'> | undefined,
): string {
  if (member instanceof GuildMember) return member.displayName;
  return member?.nick || user?.globalName || user?.username || 'someone';
}

export function invocationOf(interaction: ChatInputCommandInteraction): Invocation {
  const { subcommand, options } = flattenOptions(interaction.options.data);
  const values: Record<string, RawOptionValue> = {};
  for (const option of options) {
    const value = optionValue(option);
    if (value !== undefined) values[option.name] = value;
  }
  return {
    ...actorOf(interaction),
    command: interaction.commandName,
    ...(subcommand ? { subcommand } : {}),
    input: { kind: 'values', values },
  };
}

export function actionEventOf(interaction: ButtonInteraction): ActionEvent {
  const actor = actorOf(interaction);
  return {
    ...actor,
    actionId: interaction.customId,
    message: { channel: actor.channel, messageId: interaction.message.id },
  };
}

/** The focused option of an autocomplete interaction and the subcommand it belongs to. */
export function focusedOf(interaction: AutocompleteInteraction): {
  subcommand?: string;
  option: string;
  prefix: string;
} {
  const { subcommand } = flattenOptions(interaction.options.data);
  const focused = interaction.options.getFocused(true);
  return { subcommand, option: focused.name, prefix: String(focused.value ?? '') };
}

function flattenOptions(data: readonly CommandInteractionOption[]): {
  subcommand?: string;
  options: readonly CommandInteractionOption[];
} {
  const first = data[0];
  if (first?.type === ApplicationCommandOptionType.Subcommand)
    return { subcommand: first.name, options: first.options ?? [] };
  return { options: data };
}

/** Users and roles become {id, label} with a plain name, so echoing them can never ping. */
function optionValue(option: CommandInteractionOption): RawOptionValue | undefined {
  switch (option.type) {
    case ApplicationCommandOptionType.User: {
      const id = String(option.value ?? option.user?.id ?? '');
      return id ? { id, label: displayNameOf(option.member ?? null, option.user) } : undefined;
    }
    case ApplicationCommandOptionType.Role: {
      const id = String(option.value ?? option.role?.id ?? '');
      return id ? { id, label: option.role?.name ?? id } : undefined;
    }
    case ApplicationCommandOptionType.String:
    case ApplicationCommandOptionType.Integer:
    case ApplicationCommandOptionType.Number:
    case ApplicationCommandOptionType.Boolean:
      // A null on the wire is an option left out, not a value.
      return option.value ?? undefined;
    default:
      return option.value === undefined || option.value === null ? undefined : String(option.value);
  }
}
