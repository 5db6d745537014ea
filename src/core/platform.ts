/** Where a message lives and who sent it, in terms every platform can fill. */
export type Platform = 'discord' | 'slack' | 'console';

export interface ChannelRef {
  platform: Platform;
  /** Discord guild id, Slack team id, or "local" in the terminal. */
  workspaceId: string;
  channelId: string;
}

export interface UserRef {
  platform: Platform;
  id: string;
  displayName: string;
}

export interface MessageRef {
  channel: ChannelRef;
  /** Discord message id, Slack `ts`. */
  messageId: string;
}

export interface PostOptions {
  /**
   * A marker that makes the post findable again after a restart (Discord: a nonce of at most
   * 25 characters with enforce_nonce; Slack: message metadata).
   */
  marker?: string;
}

/** Whom a private message goes to: a user in a workspace (Discord user id, Slack user id). */
export interface DmTarget {
  platform: Platform;
  workspaceId: string;
  id: string;
}

/** Each adapter posts replies into channels for scheduled posts and quiz rounds. */
export interface Poster {
  post(to: ChannelRef, reply: import('./reply.ts').Reply, options?: PostOptions): Promise<MessageRef>;
  edit(ref: MessageRef, reply: import('./reply.ts').Reply): Promise<void>;
  /**
   * Why the bot cannot post in `channel` (missing permission, not a member), with how to fix it;
   * undefined when it can. Checked before setting up anything that posts on its own.
   */
  checkChannel?(channel: ChannelRef): Promise<string | undefined>;
  /** A recent message in `channel` posted with `marker`, if there is one. */
  findPost?(channel: ChannelRef, marker: string): Promise<MessageRef | undefined>;
  /**
   * Sends `reply` as a private message to `user` (files included); resolves with the message in
   * the private channel, which `edit` accepts. A person who does not take private messages from
   * the bot (DMs closed, bot blocked, account gone) fails with PostError kind `closed`.
   */
  dm?(user: DmTarget, reply: import('./reply.ts').Reply): Promise<MessageRef>;
  /** The server's or workspace's name as people see it (plain text), for private messages. */
  workspaceName?(ws: { platform: Platform; workspaceId: string }): Promise<string | undefined>;
}

/**
 * Why a post failed, as far as the caller needs to know: `gone` (channel deleted), `forbidden`
 * (permission lost), `auth` (token revoked) pause a subscription; `rate` and `transient` are retried.
 * `closed` is for private messages: the person does not take DMs from the bot (DMs closed, bot
 * blocked, account deactivated or unknown); a reminder pauses and says why, retrying will not help.
 */
export type PostFailure = 'gone' | 'forbidden' | 'auth' | 'closed' | 'rate' | 'transient';

export class PostError extends Error {
  constructor(
    readonly kind: PostFailure,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'PostError';
  }
}

/** A stable string key for a workspace: platform + workspace id. */
export function workspaceKey(ref: { platform: Platform; workspaceId: string }): string {
  return `${ref.platform}:${ref.workspaceId}`;
}

/** A stable string key for a channel: platform + workspace + channel. */
export function channelKey(ref: ChannelRef): string {
  return `${ref.platform}:${ref.workspaceId}:${ref.channelId}`;
}
