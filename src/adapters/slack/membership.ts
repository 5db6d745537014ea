import type { webApi } from '@slack/bolt';

export type CanPost = { ok: true } | { ok: false; message: string };

/**
 * Whether the bot can post into a channel: it is a member, or the channel is public and the app has
 * `chat:write.public`. Otherwise the answer says how to invite the bot.
 */
export async function checkCanPost(
  client: webApi.WebClient,
  channelId: string,
  botName = 'thawbot',
): Promise<CanPost> {
  const invite = `type \`/invite @${botName}\` in that channel (or mention @${botName} there and choose *Invite*), then try again.`;
  let res: webApi.ConversationsInfoResponse;
  try {
    res = await client.conversations.info({ channel: channelId });
  } catch (error) {
    const code = (error as { data?: { error?: string } }).data?.error;
    if (code === 'channel_not_found') {
      return { ok: false, message: `I can't see that channel. If it is private, invite me first: ${invite}` };
    }
    throw error;
  }
  const channel = res.channel;
  if (channel?.is_archived) {
    return {
      ok: false,
      message: 'That channel is archived, so nobody can post there. Pick another channel.',
    };
  }
  if (channel?.is_member) return { ok: true };
  const scopes = res.response_metadata?.scopes ?? [];
  if (!channel?.is_private && !channel?.is_im && !channel?.is_mpim && scopes.includes('chat:write.public'))
    return { ok: true };
  const name = channel?.name ? `#${channel.name}` : 'that channel';
  return {
    ok: false,
    message: `I'm not a member of ${name} yet, so I can't post there. To add me, ${invite}`,
  };
}
