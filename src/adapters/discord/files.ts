import { AttachmentBuilder, type RawFile } from 'discord.js';
import { isImage, prepareFiles } from '../../core/files.ts';
import type { Reply, ReplyFile } from '../../core/reply.ts';
import { type RenderedMessage, renderReply } from './render.ts';

/** A reply rendered as messages, with the files that go on the first one. */
export interface RenderedWithFiles {
  messages: RenderedMessage[];
  files: ReplyFile[];
}

/**
 * Renders a reply and its files: files over Discord's limit are refused with a line in the text,
 * the rest go on the first message, and the first image is shown inside its embed
 * (`attachment://name`).
 */
export function renderWithFiles(reply: Reply, maxMessages?: number): RenderedWithFiles {
  const prepared = prepareFiles(reply, 'discord');
  const messages = renderReply(prepared.reply, maxMessages);
  const image = prepared.files.find(isImage);
  const first = messages[0];
  if (image && first) {
    const [embed, ...others] = first.embeds;
    messages[0] = {
      ...first,
      embeds: [{ ...(embed ?? {}), image: { url: `attachment://${image.name}` } }, ...others],
    };
  }
  return { messages, files: prepared.files };
}

/** Files as discord.js sends them with interaction replies: the alt text becomes the description. */
export function attachmentsOf(files: readonly ReplyFile[]): AttachmentBuilder[] {
  return files.map(
    (file) =>
      new AttachmentBuilder(Buffer.from(file.data), {
        name: file.name,
        ...(file.alt ? { description: file.alt } : {}),
      }),
  );
}

/** Files for a REST call (`files[n]` parts) and the `attachments` field that describes them. */
export function restFiles(files: readonly ReplyFile[]): {
  files: RawFile[];
  attachments: { id: number; filename: string; description?: string }[];
} {
  return {
    files: files.map((file) => ({
      name: file.name,
      data: Buffer.from(file.data),
      contentType: file.contentType,
    })),
    attachments: files.map((file, id) => ({
      id,
      filename: file.name,
      ...(file.alt ? { description: file.alt } : {}),
    })),
  };
}
