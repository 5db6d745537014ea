import {
  type Client,
  DiscordAPIError,
  HTTPError,
  PermissionFlagsBits,
  type RawFile,
  Routes,
} from 'discord.js';
import {
  type ChannelRef,
  type DmTarget,
  type MessageRef,
  PostError,
  type Poster,
  type PostOptions,
} from '../../core/platform.ts';
import type { Reply } from '../../core/reply.ts';
import { renderWithFiles, restFiles } from './files.ts';
import type { RenderedMessage } from './render.ts';
import { DM_WORKSPACE } from './translate.ts';

/** Discord keeps a nonce of at most 25 characters. */
export const MAX_NONCE = 25;
/** How far back `findPost` looks (one page of history). */
export const HISTORY_LIMIT = 50;

/** What posting on its own needs in a channel, with the names shown in Discord's settings. */
export const POST_PERMISSIONS = [
  { bit: PermissionFlagsBits.ViewChannel, name: 'View Channel' },
  { bit: PermissionFlagsBits.SendMessages, name: 'Send Messages' },
  { bit: PermissionFlagsBits.EmbedLinks, name: 'Embed Links' },
  { bit: PermissionFlagsBits.ReadMessageHistory, name: 'Read Message History' },
] as const;

interface HistoryMessage {
  id: string;
  nonce?: string | number | null;
  author?: { id: string };
}

/**
 * One message body for REST: the reply cut to one message (ephemeral has no meaning outside an
 * interaction), its files as `files[n]` parts described in `attachments` (alt text as description).
 */
function singleBody(reply: Reply): { body: Record<string, unknown>; files?: RawFile[] } {
  const { messages, files } = renderWithFiles(reply, 1);
  const { flags: _ephemeral, ...rendered } = messages[0] as RenderedMessage;
  if (files.length === 0) return { body: rendered };
  const upload = restFiles(files);
  return { body: { ...rendered, attachments: upload.attachments }, files: upload.files };
}

/**
 * Posts and edits channel messages over REST (no message cache needed). A post is one message, cut
 * to fit, so that the same message can be edited later (quiz rounds, live counts). Ephemeral has no
 * meaning in a channel post and is ignored. Failures become PostErrors, so a scheduler can tell a
 * lost channel from a passing outage.
 */
export function discordPoster(client: Client): Poster {
  const rest = client.rest;
  /** DM channel ids by user id: opening one again returns the same channel, so it is asked once. */
  const dmChannels = new Map<string, string>();

  async function send(to: ChannelRef, reply: Reply, options?: PostOptions): Promise<MessageRef> {
    const { body: rendered, files } = singleBody(reply);
    const body = { ...rendered, ...roleMention(reply) };
    const marker = options?.marker;
    if (marker !== undefined && (marker.length === 0 || marker.length > MAX_NONCE))
      throw new PostError('transient', `a Discord nonce must be 1-${MAX_NONCE} characters`);
    // With enforce_nonce, Discord answers a repeat of the same nonce within a few minutes with the
    // message already created, so a retry after a lost response cannot post twice.
    const payload = marker ? { ...body, nonce: marker, enforce_nonce: true } : body;
    try {
      const message = (await rest.post(Routes.channelMessages(to.channelId), {
        body: payload,
        ...(files ? { files } : {}),
      })) as { id: string };
      return { channel: to, messageId: message.id };
    } catch (error) {
      throw postError(error);
    }
  }

  return {
    post: send,

    /** Edits a message; files in the reply replace its attachments, without files they stay. */
    async edit(ref: MessageRef, reply: Reply): Promise<void> {
      const { body, files } = singleBody(reply);
      try {
        await rest.patch(Routes.channelMessage(ref.channel.channelId, ref.messageId), {
          body,
          ...(files ? { files } : {}),
        });
      } catch (error) {
        throw postError(error);
      }
    },

    /**
     * Opens (or reuses) the DM channel with the user and posts there. Discord answers 50007 when
     * the user has DMs from server members closed or blocked the bot: that is PostError `closed`.
     */
    async dm(user: DmTarget, reply: Reply): Promise<MessageRef> {
      if (user.platform !== 'discord') throw new Error(`the Discord poster cannot message ${user.platform}`);
      let channelId = dmChannels.get(user.id);
      if (!channelId) {
        try {
          const channel = (await rest.post(Routes.userChannels(), { body: { recipient_id: user.id } })) as {
            id: string;
          };
          channelId = channel.id;
        } catch (error) {
          throw dmError(error);
        }
        dmChannels.set(user.id, channelId);
      }
      const to: ChannelRef = { platform: 'discord', workspaceId: DM_WORKSPACE, channelId };
      try {
        return await send(to, reply);
      } catch (error) {
        throw dmError(error);
      }
    },

    /**
     * Looks for the bot's message with `marker` as its nonce among the channel's recent messages.
     * Discord echoes a nonce in the create response and may leave it out of fetched history; a
     * resend with the same nonce and enforce_nonce is then what keeps a post single.
     */
    async findPost(channel: ChannelRef, marker: string): Promise<MessageRef | undefined> {
      let messages: HistoryMessage[];
      try {
        messages = (await rest.get(Routes.channelMessages(channel.channelId), {
          query: new URLSearchParams({ limit: String(HISTORY_LIMIT) }),
        })) as HistoryMessage[];
      } catch (error) {
        throw postError(error);
      }
      const me = client.user?.id;
      const found = messages.find(
        (m) => m.nonce != null && String(m.nonce) === marker && (!me || m.author?.id === me),
      );
      return found ? { channel, messageId: found.id } : undefined;
    },

    async checkChannel(channel: ChannelRef): Promise<string | undefined> {
      return missingPermissions(client, channel);
    },

    /** The guild's name from the gateway cache (no request); undefined for a guild not loaded. */
    async workspaceName(ws): Promise<string | undefined> {
      return ws.platform === 'discord' ? client.guilds.cache.get(ws.workspaceId)?.name : undefined;
    },
  };
}

/**
 * The one ping a post may carry: a configured role (quiz-night reminders), named by id in the
 * content and allowed alone; users, other roles and @everyone stay silent.
 */
function roleMention(
  reply: Reply,
): { content: string; allowed_mentions: { parse: []; roles: string[] } } | undefined {
  const id = reply.mention?.id;
  if (!id || !/^\d{15,21}$/.test(id)) return undefined;
  return { content: `<@&${id}>`, allowed_mentions: { parse: [], roles: [id] } };
}

/**
 * Why the bot cannot post in `channel`, from the cached guild, roles, overwrites and the bot's own
 * member; undefined when it can or when the cache cannot tell (a thread, a guild not loaded yet).
 */
export function missingPermissions(client: Client, channel: ChannelRef): string | undefined {
  if (channel.platform !== 'discord') return undefined;
  const guild = client.guilds.cache.get(channel.workspaceId);
  if (!guild?.available) return undefined;
  const cached = guild.channels.cache.get(channel.channelId);
  const me = guild.members.me;
  if (!cached || !me || cached.isThread()) return undefined;
  const permissions = cached.permissionsFor(me);
  if (!permissions) return undefined;
  const missing = POST_PERMISSIONS.filter((p) => !permissions.has(p.bit, true)).map((p) => p.name);
  if (missing.length === 0) return undefined;
  const list =
    missing.length === 1
      ? `**${missing[0]}**`
      : `${missing
          .slice(0, -1)
          .map((m) => `**${m}**`)
          .join(', ')} and **${missing.at(-1)}**`;
  return [
    `I cannot post in <#${cached.id}>: I am missing ${list} there.`,
    `To fix it, a server admin opens the channel's settings > Permissions, adds my role (${me.roles.botRole?.name ?? me.displayName}) and allows ${list}; then try again.`,
  ].join('\n');
}

/** Discord's "Cannot send messages to this user": DMs closed, or the bot blocked. */
export const CANNOT_DM = 50007;
/** "Unknown User". */
const UNKNOWN_USER = 10013;

/** A failed DM: an unknown user or a missing DM channel means the person cannot be reached. */
function dmError(error: unknown): PostError {
  const mapped = postError(error);
  if (error instanceof DiscordAPIError && (Number(error.code) === UNKNOWN_USER || mapped.kind === 'gone'))
    return new PostError('closed', mapped.message);
  return mapped;
}

/** Maps a REST failure to what a caller needs to know. */
export function postError(error: unknown): PostError {
  if (error instanceof PostError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof DiscordAPIError) {
    const code = Number(error.code);
    if (code === CANNOT_DM) return new PostError('closed', message);
    if (code === 10003 || error.status === 404) return new PostError('gone', message);
    if (code === 50001 || code === 50013 || error.status === 403) return new PostError('forbidden', message);
    if (error.status === 401) return new PostError('auth', message);
    if (error.status === 429) return new PostError('rate', message);
    if (error.status >= 500) return new PostError('transient', message);
    return new PostError('transient', message);
  }
  if (error instanceof HTTPError) return new PostError('transient', message);
  // After a 401, discord.js drops the token and refuses every later request with this message.
  if (/token/i.test(message) && /none was present|invalid/i.test(message))
    return new PostError('auth', message);
  return new PostError('transient', message);
}
