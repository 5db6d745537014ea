import {
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  DiscordAPIError,
  DiscordjsErrorCodes,
  type InteractionReplyOptions,
  type InteractionUpdateOptions,
  type JSONEncodable,
  MessageFlags,
  type ModalSubmitInteraction,
} from 'discord.js';
import type { ActionResult } from '../../core/command.ts';
import type { Reply, ReplyFile } from '../../core/reply.ts';
import { attachmentsOf, renderWithFiles } from './files.ts';
import { modalOf } from './forms.ts';
import { noMentions, type RenderedMessage } from './render.ts';

/** Discord's window is 3 s; past this the answer is deferred and edited in when ready. */
export const DEFAULT_DEFER_AFTER_MS = 2000;

type Settled<T> = { done: true; value: T } | { done: false };

/** Waits for `work` up to `ms`: its value if it settles in time, else `{ done: false }`. */
export async function within<T>(work: Promise<T>, ms: number): Promise<Settled<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Settled<T>>((resolve) => {
    timer = setTimeout(() => resolve({ done: false }), ms);
  });
  try {
    return await Promise.race([work.then((value) => ({ done: true as const, value })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Rendered parts are already in API form: wrapping them as JSON-encodable makes discord.js send them
 * as they are, instead of walking them again to convert key case.
 */
function asIs<T>(value: T): JSONEncodable<T> {
  return { toJSON: () => value };
}

/** A message to send and the files that go with it (only the first message of a reply has any). */
interface Outgoing {
  message: RenderedMessage;
  files: readonly ReplyFile[];
}

function replyOptions({ message, files }: Outgoing): InteractionReplyOptions {
  return {
    embeds: message.embeds.map(asIs),
    components: message.components.map(asIs),
    allowedMentions: noMentions(),
    ...(message.flags ? { flags: MessageFlags.Ephemeral } : {}),
    ...(files.length ? { files: attachmentsOf(files) } : {}),
  };
}

/**
 * Edits cannot change the ephemeral flag; they carry embeds, buttons, allowed mentions and the
 * reply's files (which then replace the message's earlier attachments).
 */
function editOptions({ message, files }: Outgoing): InteractionUpdateOptions {
  return {
    embeds: message.embeds.map(asIs),
    components: message.components.map(asIs),
    allowedMentions: noMentions(),
    ...(files.length ? { files: attachmentsOf(files) } : {}),
  };
}

/** A reply as the messages to send, files on the first. */
function outgoing(reply: Reply): Outgoing[] {
  const { messages, files } = renderWithFiles(reply);
  return messages.map((message, i) => ({ message, files: i === 0 ? files : [] }));
}

export type Answered = 'direct' | 'deferred';

/** Answers a slash command: directly when the reply is ready in time, else defer first and edit. */
export async function answerCommand(
  interaction: ChatInputCommandInteraction | ModalSubmitInteraction,
  work: Promise<Reply>,
  deferAfterMs: number,
): Promise<Answered> {
  const early = await within(work, deferAfterMs);
  if (early.done) {
    const [first, ...rest] = outgoing(early.value);
    await interaction.reply(replyOptions(first as Outgoing));
    await followUps(interaction, rest);
    return 'direct';
  }
  await deferNew(interaction, work, false);
  return 'deferred';
}

/**
 * Answers a button. `replace` updates the message the button sits on; `new` (and any private reply,
 * which must never overwrite a public message) answers with a new message.
 */
export async function answerAction(
  interaction: ButtonInteraction,
  work: Promise<ActionResult>,
  deferAfterMs: number,
): Promise<Answered> {
  const early = await within(work, deferAfterMs);
  if (early.done && early.value.form) {
    // A modal must be the first answer: it opens only when the action answered in time.
    await interaction.showModal(modalOf(early.value.form));
    return 'direct';
  }
  if (early.done) {
    const { reply } = early.value;
    const [first, ...rest] = outgoing(reply);
    if (replaces(early.value)) await interaction.update(editOptions(first as Outgoing));
    else await interaction.reply(replyOptions(first as Outgoing));
    await followUps(interaction, rest);
    return 'direct';
  }
  // Without knowing the mode yet, acknowledge as an update: nothing shows, and a new message can follow.
  await interaction.deferUpdate();
  const result = await work;
  const [first, ...rest] = outgoing(result.reply);
  if (replaces(result) && !result.form) {
    await interaction.editReply(editOptions(first as Outgoing));
    await followUps(interaction, rest);
  } else await followUps(interaction, [first as Outgoing, ...rest]);
  return 'deferred';
}

function replaces(result: ActionResult): boolean {
  return result.mode === 'replace' && !result.reply.ephemeral;
}

async function deferNew(
  interaction: ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction,
  work: Promise<Reply>,
  ephemeral: boolean,
): Promise<void> {
  await interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
  const reply = await work;
  const messages = outgoing(reply);
  if (Boolean(reply.ephemeral) === ephemeral) {
    await interaction.editReply(editOptions(messages[0] as Outgoing));
    await followUps(interaction, messages.slice(1));
    return;
  }
  // The deferred message's visibility cannot change: replace it with follow-ups of the right kind.
  await interaction.deleteReply().catch(() => {});
  await followUps(interaction, messages);
}

async function followUps(
  interaction: ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction,
  messages: readonly Outgoing[],
): Promise<void> {
  for (const message of messages) await interaction.followUp(replyOptions(message));
}

/** Unknown interaction (expired token) or already acknowledged: expected under load, not a bug. */
export function isStaleInteraction(error: unknown): boolean {
  if (error instanceof DiscordAPIError) return error.code === 10062 || error.code === 40060;
  const code = (error as { code?: unknown } | null)?.code;
  return (
    code === DiscordjsErrorCodes.InteractionAlreadyReplied ||
    code === DiscordjsErrorCodes.InteractionNotReplied
  );
}
