import {
  type ChannelRef,
  type MessageRef,
  PostError,
  type Poster,
  type PostFailure,
  type PostOptions,
} from '../../src/core/platform.ts';
import type { Reply } from '../../src/core/reply.ts';

/** A Poster that records what it is asked to post and edit. */
export class RecordingPoster implements Poster {
  readonly posts: { channel: ChannelRef; reply: Reply; messageId: string; marker?: string }[] = [];
  /** Failures to throw on the next posts, in order, for any channel or for one channel id. */
  readonly failures: PostFailure[] = [];
  readonly failuresFor: Record<string, PostFailure[]> = {};
  /** Post, then throw: the message went out but the caller never hears of it (a crash). */
  crashAfterPost = false;
  readonly edits: { ref: MessageRef; reply: Reply }[] = [];
  private next = 1;
  problem: string | undefined;

  async post(channel: ChannelRef, reply: Reply, options?: PostOptions): Promise<MessageRef> {
    const failure = this.failuresFor[channel.channelId]?.shift() ?? this.failures.shift();
    if (failure) throw new PostError(failure, `simulated ${failure} failure`);
    const messageId = `m${this.next++}`;
    this.posts.push({ channel, reply, messageId, marker: options?.marker });
    if (this.crashAfterPost) throw new Error('process died after posting');
    return { channel, messageId };
  }

  async findPost(channel: ChannelRef, marker: string): Promise<MessageRef | undefined> {
    const found = this.posts.find((p) => p.marker === marker && p.channel.channelId === channel.channelId);
    return found ? { channel, messageId: found.messageId } : undefined;
  }

  async edit(ref: MessageRef, reply: Reply): Promise<void> {
    this.edits.push({ ref, reply });
  }

  async checkChannel(): Promise<string | undefined> {
    return this.problem;
  }

  titles(): string[] {
    return this.posts.map((p) => p.reply.title ?? p.reply.text ?? '');
  }

  last(): Reply {
    const last = this.posts.at(-1);
    if (!last) throw new Error('nothing posted');
    return last.reply;
  }
}
