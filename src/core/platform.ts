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
}

/**
 * Why a post failed, as far as the caller needs to know: `gone` (channel deleted), `forbidden`
 * (permission lost), `auth` (token revoked) pause a subscription; `rate` and `transient` are retried.
 */
export type PostFailure = 'gone' | 'forbidden' | 'auth' | 'rate' | 'transient';

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
