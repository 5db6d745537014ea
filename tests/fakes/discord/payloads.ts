/**
 * Builders for the gateway and REST payloads a fake Discord sends, with the fields discord.js 14.28
 * reads (a missing `entitlements` or `channel` object throws inside its gateway handler).
 */

let counter = 0n;
/** Unique, increasing 19-digit snowflakes (their timestamps start in 2019, which nobody reads here). */
export function snowflake(): string {
  counter += 1n;
  return String(600_000_000_000_000_000n + counter);
}

let spread = 0n;
/**
 * Unique snowflakes whose timestamp part grows by one each: consecutive ones fall on consecutive
 * shards (`(id >> 22) % count`), for guilds spread over shards.
 */
export function spreadSnowflake(): string {
  spread += 1n;
  return String((150_000_000_000n + spread) << 22n);
}

export interface FakeUser {
  id: string;
  username: string;
  globalName?: string;
  bot?: boolean;
}

export interface FakeRole {
  id: string;
  name: string;
  /** Permission bits as a decimal string. */
  permissions?: string;
}

export interface FakeMember {
  user: FakeUser;
  nick?: string;
  roles?: string[];
}

/** A channel permission overwrite: type 0 a role (or @everyone, id = guild id), 1 a member. */
export interface FakeOverwrite {
  id: string;
  type: 0 | 1;
  allow?: bigint;
  deny?: bigint;
}

export interface FakeChannel {
  id: string;
  name: string;
  /** 0 text (default), 2 voice, 4 category. */
  type?: number;
  overwrites?: FakeOverwrite[];
}

export interface FakeGuild {
  id: string;
  name: string;
  ownerId: string;
  channels: FakeChannel[];
  members: FakeMember[];
  roles: FakeRole[];
  /** Roles the bot's own member has (e.g. its managed role). */
  botRoles?: string[];
}

export const PERMISSIONS = {
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  EmbedLinks: 1n << 14n,
  ReadMessageHistory: 1n << 16n,
  ManageGuild: 1n << 5n,
  Administrator: 1n << 3n,
} as const;

export const EVERYONE_PERMISSIONS =
  PERMISSIONS.ViewChannel | PERMISSIONS.SendMessages | PERMISSIONS.ReadMessageHistory;

/** What the invite URL grants the bot's managed role. */
export const BOT_PERMISSIONS =
  PERMISSIONS.ViewChannel |
  PERMISSIONS.SendMessages |
  PERMISSIONS.EmbedLinks |
  PERMISSIONS.ReadMessageHistory;

export function apiUser(user: FakeUser): Record<string, unknown> {
  return {
    id: user.id,
    username: user.username,
    global_name: user.globalName ?? null,
    discriminator: '0',
    avatar: null,
    bot: user.bot ?? false,
    public_flags: 0,
  };
}

export function apiMember(member: FakeMember, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    user: apiUser(member.user),
    nick: member.nick ?? null,
    avatar: null,
    roles: member.roles ?? [],
    joined_at: '2024-01-01T00:00:00.000Z',
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    communication_disabled_until: null,
    ...extra,
  };
}

export function apiChannel(channel: FakeChannel, guildId: string, position = 0): Record<string, unknown> {
  return {
    id: channel.id,
    type: channel.type ?? 0,
    guild_id: guildId,
    name: channel.name,
    position,
    permission_overwrites: (channel.overwrites ?? []).map((o) => ({
      id: o.id,
      type: o.type,
      allow: String(o.allow ?? 0n),
      deny: String(o.deny ?? 0n),
    })),
    nsfw: false,
    topic: null,
    last_message_id: null,
    rate_limit_per_user: 0,
    parent_id: null,
    flags: 0,
  };
}

export function apiRole(role: FakeRole, position = 0): Record<string, unknown> {
  return {
    id: role.id,
    name: role.name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position,
    permissions: role.permissions ?? '0',
    managed: false,
    mentionable: false,
    flags: 0,
  };
}

/** A full GUILD_CREATE payload: channels, members (and the bot itself), roles with @everyone. */
export function guildCreate(guild: FakeGuild, bot: FakeUser): Record<string, unknown> {
  const everyone: FakeRole = { id: guild.id, name: '@everyone', permissions: String(EVERYONE_PERMISSIONS) };
  const roles = [everyone, ...guild.roles.filter((r) => r.id !== guild.id)];
  const members = [...guild.members, { user: bot, roles: guild.botRoles ?? [] }];
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    owner_id: guild.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    roles: roles.map((r, i) => apiRole(r, i)),
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: 0,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: 0,
    premium_subscription_count: 0,
    preferred_locale: 'en-US',
    public_updates_channel_id: null,
    nsfw_level: 0,
    premium_progress_bar_enabled: false,
    safety_alerts_channel_id: null,
    joined_at: '2024-01-01T00:00:00.000Z',
    large: members.length > 50,
    unavailable: false,
    member_count: members.length,
    voice_states: [],
    members: members.map((m) => apiMember(m)),
    channels: guild.channels.map((c, i) => apiChannel(c, guild.id, i)),
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
    max_members: 500000,
    max_video_channel_users: 25,
    incidents_data: null,
  };
}

/** Builds a guild with `channels` text channels, `members` members and the given roles. */
export function makeGuild(
  spec: {
    id?: string;
    name?: string;
    channels?: number;
    members?: number | FakeMember[];
    roles?: FakeRole[];
    /** The bot's roles; by default one role with the invite's permissions (see BOT_PERMISSIONS). */
    botRoles?: string[];
  } = {},
): FakeGuild {
  const id = spec.id ?? snowflake();
  const botRole: FakeRole = { id: snowflake(), name: 'thawbot', permissions: String(BOT_PERMISSIONS) };
  const channels = Array.from({ length: spec.channels ?? 3 }, (_, i) => ({
    id: snowflake(),
    name: `channel-${i + 1}`,
  }));
  const members =
    typeof spec.members === 'number' || spec.members === undefined
      ? Array.from({ length: spec.members ?? 2 }, (_, i) => ({
          user: { id: snowflake(), username: `member${i + 1}`, globalName: `Member ${i + 1}` },
        }))
      : spec.members;
  return {
    id,
    name: spec.name ?? `Guild ${id.slice(-4)}`,
    ownerId: members[0]?.user.id ?? snowflake(),
    channels,
    members,
    roles: spec.botRoles ? (spec.roles ?? []) : [...(spec.roles ?? []), botRole],
    botRoles: spec.botRoles ?? [botRole.id],
  };
}

/** A message as the API returns it. */
export function apiMessage(fields: {
  id: string;
  channelId: string;
  author: FakeUser;
  body?: Record<string, unknown>;
  interaction?: { id: string; user: FakeUser; guildId?: string };
  applicationId?: string;
  attachments?: Record<string, unknown>[];
}): Record<string, unknown> {
  const body = fields.body ?? {};
  return {
    id: fields.id,
    type: fields.interaction ? 20 : 0,
    channel_id: fields.channelId,
    author: apiUser(fields.author),
    content: body.content ?? '',
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: fields.attachments ?? [],
    embeds: body.embeds ?? [],
    components: body.components ?? [],
    pinned: false,
    flags: body.flags ?? 0,
    ...(fields.applicationId
      ? { application_id: fields.applicationId, webhook_id: fields.applicationId }
      : {}),
    ...(fields.interaction
      ? {
          interaction_metadata: {
            id: fields.interaction.id,
            type: 2,
            user: apiUser(fields.interaction.user),
            authorizing_integration_owners: fields.interaction.guildId
              ? { '0': fields.interaction.guildId }
              : { '1': fields.interaction.user.id },
          },
        }
      : {}),
  };
}

const ALL_PERMISSIONS = (1n << 53n) - 1n;

/**
 * A member's permissions in a channel, computed as Discord does: @everyone and role permissions,
 * Administrator, then the channel's @everyone, role and member overwrites in that order.
 */
export function channelPermissions(
  guild: FakeGuild,
  channelId: string,
  userId: string,
  roleIds: readonly string[],
): bigint {
  if (guild.ownerId === userId) return ALL_PERMISSIONS;
  let bits = EVERYONE_PERMISSIONS;
  for (const role of guild.roles) if (roleIds.includes(role.id)) bits |= BigInt(role.permissions ?? '0');
  if (bits & PERMISSIONS.Administrator) return ALL_PERMISSIONS;
  const overwrites = guild.channels.find((c) => c.id === channelId)?.overwrites ?? [];
  const everyone = overwrites.find((o) => o.type === 0 && o.id === guild.id);
  if (everyone) bits = (bits & ~(everyone.deny ?? 0n)) | (everyone.allow ?? 0n);
  let allow = 0n;
  let deny = 0n;
  for (const o of overwrites) {
    if (o.type === 0 && o.id !== guild.id && roleIds.includes(o.id)) {
      allow |= o.allow ?? 0n;
      deny |= o.deny ?? 0n;
    }
  }
  bits = (bits & ~deny) | allow;
  const member = overwrites.find((o) => o.type === 1 && o.id === userId);
  if (member) bits = (bits & ~(member.deny ?? 0n)) | (member.allow ?? 0n);
  return bits;
}
