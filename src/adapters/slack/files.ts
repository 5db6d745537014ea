import type { webApi } from '@slack/bolt';
import { prepareFiles, withNotes } from '../../core/files.ts';
import { PostError } from '../../core/platform.ts';
import type { Reply, ReplyFile } from '../../core/reply.ts';
import { slackErrorCode, toPostError } from './errors.ts';
import { renderReply, type SlackMessage } from './render.ts';

/** Why Slack refused an upload, in words a member can act on. */
const UPLOAD_REASONS: Record<string, string> = {
  not_in_channel: 'I am not a member of this channel (invite me with /invite, then try again)',
  channel_not_found: 'I cannot see this channel (invite me with /invite, then try again)',
  missing_scope: 'I lack the files:write permission (a workspace admin reinstalls the app)',
  file_uploads_disabled: 'this workspace has turned off file uploads',
  file_uploads_except_images_disabled: 'this workspace allows only images',
  file_upload_size_restricted: 'this workspace limits the size of uploads',
};

/**
 * Uploads files into a channel with `files.uploadV2` (getUploadURLExternal, the upload, then
 * completeUploadExternal), in the thread of `threadTs` when given; the alt text goes with images.
 * Resolves with the lines to show when it failed (none when every file arrived); never throws.
 */
export async function uploadFiles(
  client: webApi.WebClient,
  target: { channelId: string; threadTs?: string },
  files: readonly ReplyFile[],
): Promise<string[]> {
  if (files.length === 0) return [];
  try {
    await client.files.uploadV2({
      channel_id: target.channelId,
      ...(target.threadTs ? { thread_ts: target.threadTs } : {}),
      file_uploads: files.map((file) => ({
        file: Buffer.from(file.data),
        filename: file.name,
        title: file.name,
        ...(file.alt ? { alt_text: file.alt } : {}),
      })),
    });
    return [];
  } catch (error) {
    return [notAttached(files, error)];
  }
}

/** "Could not attach export.csv: reason." */
export function notAttached(files: readonly ReplyFile[], error: unknown): string {
  const code = error instanceof PostError ? undefined : slackErrorCode(error);
  const reason =
    (code && UPLOAD_REASONS[code]) ?? (code ? `Slack said ${code}` : 'Slack did not answer in time');
  const names = files.map((f) => f.name).join(', ');
  return `Could not attach ${names}: ${reason}.`;
}

/** The DM channel with a user (`conversations.open`, needs im:write); refusals become PostErrors. */
export async function openDm(client: webApi.WebClient, userId: string): Promise<string> {
  let res: webApi.ConversationsOpenResponse;
  try {
    res = await client.conversations.open({ users: userId });
  } catch (error) {
    throw toPostError(error, 'conversations.open');
  }
  const id = res.channel?.id;
  if (!id) throw new PostError('transient', 'conversations.open returned no channel');
  return id;
}

/** How an interactive answer is sent: the reply itself, then any later note, always private. */
export type SendMessage = (message: SlackMessage, kind: 'reply' | 'note') => Promise<unknown>;

/**
 * Answers a command or button with a reply that may carry files. Slack attaches no file to a
 * response_url message, so:
 * - a public reply is sent, then its files are uploaded into the channel; if that fails, the
 *   person who asked gets a private note saying which file could not be attached and why;
 * - an ephemeral reply cannot carry a file at all, so its files go to the person's direct
 *   messages with the bot, and the ephemeral reply says so (or why they could not be sent).
 * Files over Slack's limit are refused with a line in the reply.
 */
export async function answerWithFiles(
  original: Reply,
  context: { client: webApi.WebClient; channelId: string; userId: string; send: SendMessage },
): Promise<void> {
  const { reply, files } = prepareFiles(original, 'slack');
  const { client, channelId, userId, send } = context;
  if (files.length === 0) {
    await send(renderReply(reply), 'reply');
    return;
  }
  if (reply.ephemeral) {
    let lines: string[];
    try {
      const dm = await openDm(client, userId);
      lines = await uploadFiles(client, { channelId: dm }, files);
    } catch (error) {
      lines = [
        `Could not send ${files.map((f) => f.name).join(', ')} to your direct messages (${String((error as Error).message)}).`,
      ];
    }
    const names = files.map((f) => f.name).join(', ');
    const note = lines.length
      ? lines
      : [
          `${files.length === 1 ? 'Your file' : 'Your files'} (${names}) ${files.length === 1 ? 'is' : 'are'} in your direct messages with me.`,
        ];
    await send(renderReply(withNotes(reply, note)), 'reply');
    return;
  }
  await send(renderReply(reply), 'reply');
  const lines = await uploadFiles(client, { channelId }, files);
  if (lines.length) await send(renderReply(withNotes({ fallbackText: '', ephemeral: true }, lines)), 'note');
}
