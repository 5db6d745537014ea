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

/** Each adapter posts replies into channels for scheduled posts and quiz rounds. */
export interface Poster {
  post(to: ChannelRef, reply: import('./reply.ts').Reply): Promise<MessageRef>;
  edit(ref: MessageRef, reply: import('./reply.ts').Reply): Promise<void>;
}

/** A stable string key for a workspace: platform + workspace id. */
export function workspaceKey(ref: { platform: Platform; workspaceId: string }): string {
  return `${ref.platform}:${ref.workspaceId}`;
}

/** A stable string key for a channel: platform + workspace + channel. */
export function channelKey(ref: ChannelRef): string {
  return `${ref.platform}:${ref.workspaceId}:${ref.channelId}`;
}
