import type { webApi } from '@slack/bolt';
import { prepareFiles, withNotes } from '../../core/files.ts';
import type { Logger } from '../../core/log.ts';
import { silentLogger } from '../../core/log.ts';
import type { ChannelRef, DmTarget, MessageRef, Poster, PostOptions } from '../../core/platform.ts';
import type { Reply } from '../../core/reply.ts';
import { UpdateBudget } from './budget.ts';
import { toPostError } from './errors.ts';
import { openDm, uploadFiles } from './files.ts';
import { type CanPost, checkCanPost } from './membership.ts';
import { renderReply } from './render.ts';

interface PendingEdit {
  ref: MessageRef;
  reply: Reply;
  timer: ReturnType<typeof setTimeout>;
  waiters: { resolve: () => void; reject: (error: unknown) => void }[];
}

/** The message metadata event type that marks the bot's own posts (daily posts, for recovery). */
export const POST_EVENT_TYPE = 'thawbot_post';

/** How many recent messages `findPost` looks through. */
export const HISTORY_LIMIT = 50;

export interface SlackPosterOptions {
  botName?: string;
  /** The bot's own bot id (auth.test `bot_id`): findPost only trusts markers on its messages. */
  botId?: string;
  log?: Logger;
  /** chat.update budget; by default about 45 edits a minute per workspace. */
  budget?: UpdateBudget;
}

/**
 * Posts with `chat.postMessage` and edits with `chat.update`, for scheduled posts and quiz rounds.
 * Edits go through a per-workspace budget (Slack allows about 50 a minute): when it is spent, an
 * edit waits, and later edits of the same message replace the waiting one, so only the newest
 * content is sent and every caller's promise settles with that send.
 */
export class SlackPoster implements Poster {
  private readonly botName: string;
  private readonly botId: string | undefined;
  private readonly log: Logger;
  private readonly budget: UpdateBudget;
  private readonly pending = new Map<string, PendingEdit>();
  /** DM channel ids by workspace and user: conversations.open returns the same one each time. */
  private readonly dmChannels = new Map<string, string>();

  constructor(
    private readonly client: webApi.WebClient,
    options: SlackPosterOptions = {},
  ) {
    this.botName = options.botName ?? 'thawbot';
    this.botId = options.botId;
    this.log = options.log ?? silentLogger;
    this.budget = options.budget ?? new UpdateBudget({ perMinute: 45, minIntervalMs: 0 });
  }

  /**
   * Posts into a channel. A `marker` goes into the message metadata so `findPost` can tell after a
   * restart whether the post went out. Failures are PostErrors (gone, forbidden, auth, rate, transient).
   * Files are uploaded after the message, into its thread; if that fails the message stays and is
   * edited to say which file could not be attached.
   */
  async post(to: ChannelRef, reply: Reply, options: PostOptions = {}): Promise<MessageRef> {
    return this.send(to, reply, options, true);
  }

  /**
   * A private message: opens the DM channel (`conversations.open`) and posts there, files after the
   * message (not in a thread: a DM is a conversation of two). `cannot_dm_bot`, `user_not_found`,
   * `user_disabled` and the like are PostError `closed`.
   */
  async dm(user: DmTarget, reply: Reply): Promise<MessageRef> {
    if (user.platform !== 'slack') throw new Error(`the Slack poster cannot message ${user.platform}`);
    const key = `${user.workspaceId}:${user.id}`;
    let channelId = this.dmChannels.get(key);
    if (!channelId) {
      channelId = await openDm(this.client, user.id);
      this.dmChannels.set(key, channelId);
    }
    return this.send({ platform: 'slack', workspaceId: user.workspaceId, channelId }, reply, {}, false);
  }

  private async send(
    to: ChannelRef,
    original: Reply,
    options: PostOptions,
    threadFiles: boolean,
  ): Promise<MessageRef> {
    assertSlack(to);
    const { reply, files } = prepareFiles(original, 'slack');
    const { text, blocks } = renderReply(reply);
    let res: webApi.ChatPostMessageResponse;
    try {
      res = await this.client.chat.postMessage({
        channel: to.channelId,
        text,
        blocks,
        unfurl_links: false,
        unfurl_media: false,
        ...(options.marker
          ? { metadata: { event_type: POST_EVENT_TYPE, event_payload: { marker: options.marker } } }
          : {}),
      });
    } catch (error) {
      throw toPostError(error, 'chat.postMessage');
    }
    if (!res.ts) throw toPostError(new Error('chat.postMessage returned no ts'), 'chat.postMessage');
    const ref: MessageRef = { channel: to, messageId: res.ts };
    const lines = await uploadFiles(
      this.client,
      { channelId: res.channel ?? to.channelId, ...(threadFiles ? { threadTs: res.ts } : {}) },
      files,
    );
    if (lines.length) {
      this.log.warn({ channel: to.channelId, problem: lines.join(' ') }, 'files could not be attached');
      await this.update(ref, withNotes(reply, lines)).catch((error: unknown) => {
        this.log.warn({ err: error, channel: to.channelId }, 'could not note the missing files');
      });
    }
    return ref;
  }

  /** The bot's message marked with `marker` among the channel's recent messages, if any. */
  async findPost(channel: ChannelRef, marker: string): Promise<MessageRef | undefined> {
    assertSlack(channel);
    let res: webApi.ConversationsHistoryResponse;
    try {
      res = await this.client.conversations.history({
        channel: channel.channelId,
        include_all_metadata: true,
        limit: HISTORY_LIMIT,
      });
    } catch (error) {
      throw toPostError(error, 'conversations.history');
    }
    const found = res.messages?.find(
      (m) =>
        m.metadata?.event_type === POST_EVENT_TYPE &&
        (m.metadata.event_payload as { marker?: unknown } | undefined)?.marker === marker &&
        (this.botId === undefined || m.bot_id === this.botId),
    );
    return found?.ts ? { channel, messageId: found.ts } : undefined;
  }

  edit(ref: MessageRef, reply: Reply): Promise<void> {
    if (ref.channel.platform !== 'slack') return Promise.reject(notSlack(ref.channel));
    const workspace = ref.channel.workspaceId;
    const key = `${workspace}:${ref.channel.channelId}:${ref.messageId}`;
    const waiting = this.pending.get(key);
    if (waiting) {
      waiting.reply = reply;
      return new Promise((resolve, reject) => waiting.waiters.push({ resolve, reject }));
    }
    if (this.budget.tryTake(workspace, key)) return this.update(ref, reply);
    return new Promise((resolve, reject) => {
      const flush = () => {
        const entry = this.pending.get(key);
        if (!entry) return;
        if (!this.budget.tryTake(workspace, key)) {
          entry.timer = setTimeout(flush, Math.max(50, this.budget.waitMs(workspace, key)));
          return;
        }
        this.pending.delete(key);
        this.update(entry.ref, entry.reply).then(
          () => {
            for (const w of entry.waiters) w.resolve();
          },
          (error: unknown) => {
            for (const w of entry.waiters) w.reject(error);
          },
        );
      };
      const timer = setTimeout(flush, Math.max(50, this.budget.waitMs(workspace, key)));
      this.pending.set(key, { ref, reply, timer, waiters: [{ resolve, reject }] });
      this.log.debug({ workspace }, 'chat.update budget spent; edit deferred');
    });
  }

  /** Why the bot cannot post in `channel`, with how to fix it; undefined when it can. */
  async checkChannel(channel: ChannelRef): Promise<string | undefined> {
    try {
      const result = await this.canPost(channel);
      return result.ok ? undefined : result.message;
    } catch (error) {
      // Without the scope to look (an older install) the post itself will tell.
      this.log.warn({ err: error, channel: channel.channelId }, 'could not check channel membership');
      return undefined;
    }
  }

  /** Checks that posting into `to` will work; the failure message says how to invite the bot. */
  canPost(to: ChannelRef): Promise<CanPost> {
    assertSlack(to);
    return checkCanPost(this.client, to.channelId, this.botName);
  }

  /** Drops deferred edits (on shutdown); their callers' promises reject. */
  close(): void {
    for (const entry of this.pending.values()) {
      clearTimeout(entry.timer);
      for (const w of entry.waiters)
        w.reject(new Error('the Slack adapter stopped before this edit was sent'));
    }
    this.pending.clear();
  }

  private async update(ref: MessageRef, reply: Reply): Promise<void> {
    const { text, blocks } = renderReply(reply);
    try {
      await this.client.chat.update({ channel: ref.channel.channelId, ts: ref.messageId, text, blocks });
    } catch (error) {
      throw toPostError(error, 'chat.update');
    }
  }
}

function assertSlack(ref: ChannelRef): void {
  if (ref.platform !== 'slack') throw notSlack(ref);
}

function notSlack(ref: ChannelRef): Error {
  return new Error(`the Slack poster cannot post to ${ref.platform}`);
}
