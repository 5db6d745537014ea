import { type REST, Routes } from 'discord.js';
import type { ChannelRef, MessageRef, Poster } from '../../core/platform.ts';
import type { Reply } from '../../core/reply.ts';
import { renderSingle } from './render.ts';

/**
 * Posts and edits channel messages over REST (no channel cache needed). A post is one message, cut to
 * fit, so that the same message can be edited later (quiz rounds, live counts). Ephemeral has no
 * meaning in a channel post and is ignored.
 */
export function discordPoster(rest: REST): Poster {
  return {
    async post(to: ChannelRef, reply: Reply): Promise<MessageRef> {
      const { flags: _ephemeral, ...body } = renderSingle(reply);
      const message = (await rest.post(Routes.channelMessages(to.channelId), { body })) as { id: string };
      return { channel: to, messageId: message.id };
    },
    async edit(ref: MessageRef, reply: Reply): Promise<void> {
      const { flags: _ephemeral, ...body } = renderSingle(reply);
      await rest.patch(Routes.channelMessage(ref.channel.channelId, ref.messageId), { body });
    },
  };
}
