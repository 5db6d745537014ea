import type {
  APIActionRowComponent,
  APIButtonComponentWithCustomId,
  APIEmbed,
  APIEmbedField,
} from 'discord.js';
import { fitLabel, type Reply, type ReplyAction, type ReplySource, truncate } from '../../core/reply.ts';

/** Discord's limits for one message (https://discord.com/developers/docs/resources/message#embed-object-embed-limits). */
export const DISCORD_LIMITS = {
  title: 256,
  description: 4096,
  fieldName: 256,
  fieldValue: 1024,
  fields: 25,
  footer: 2048,
  embedsPerMessage: 10,
  charsPerMessage: 6000,
  buttonsPerRow: 5,
  rows: 5,
  buttonLabel: 80,
  customId: 100,
} as const;

/** How many messages one reply may become before the rest is cut (long replies are split, not lost). */
export const MAX_MESSAGES = 3;

export const EPHEMERAL_FLAG = 1 << 6;
const EMBED_COLOR = 0x8e2c2c;
const ZERO_WIDTH = '\u200b';
const SHORTENED = 'Shortened to fit Discord.';

/** Mentions in echoed text never ping anyone. */
export interface AllowedMentionsNone {
  parse: [];
}

export function noMentions(): AllowedMentionsNone {
  return { parse: [] };
}

export type ButtonRow = APIActionRowComponent<APIButtonComponentWithCustomId>;

/** One message body, in API (snake_case) form, accepted by REST and by discord.js's reply methods. */
export interface RenderedMessage {
  embeds: APIEmbed[];
  components: ButtonRow[];
  flags?: number;
  allowed_mentions: AllowedMentionsNone;
}

/**
 * Renders a reply as one or more messages within Discord's limits: long text is split at paragraph,
 * line or word boundaries (never inside a link) into further embeds and messages; buttons go on the
 * last message. Beyond `maxMessages` the rest is cut and marked.
 */
export function renderReply(reply: Reply, maxMessages = MAX_MESSAGES): RenderedMessage[] {
  const description = descriptionOf(reply);
  const fields = [
    ...(reply.fields ?? []).flatMap((f) => splitField(f.label, f.value, f.inline)),
    ...sourcesFields(reply.sources),
  ];

  const messages: APIEmbed[][] = [[]];
  let chars = 0;
  let embed: APIEmbed = { color: EMBED_COLOR };
  let truncated = false;
  messages[0]?.push(embed);

  const message = () => messages[messages.length - 1] as APIEmbed[];
  /** Starts a new embed, moving to a new message when this one is full; false when out of messages. */
  const nextEmbed = (size: number): boolean => {
    const full =
      message().length >= DISCORD_LIMITS.embedsPerMessage || chars + size > DISCORD_LIMITS.charsPerMessage;
    if (full) {
      if (messages.length >= maxMessages) return false;
      messages.push([]);
      chars = 0;
    }
    embed = { color: EMBED_COLOR };
    message().push(embed);
    return true;
  };

  if (reply.title) {
    embed.title = truncate(reply.title, DISCORD_LIMITS.title);
    chars += embed.title.length;
  }
  const chunks = description ? splitText(description, DISCORD_LIMITS.description) : [];
  for (const [i, chunk] of chunks.entries()) {
    if (i > 0 || chars + chunk.length > DISCORD_LIMITS.charsPerMessage) {
      if (!nextEmbed(chunk.length)) {
        truncated = true;
        break;
      }
    }
    embed.description = chunk;
    chars += chunk.length;
  }
  if (!truncated) {
    for (const field of fields) {
      const size = field.name.length + field.value.length;
      const count = embed.fields?.length ?? 0;
      if (count >= DISCORD_LIMITS.fields || chars + size > DISCORD_LIMITS.charsPerMessage) {
        if (!nextEmbed(size)) {
          truncated = true;
          break;
        }
      }
      embed.fields ??= [];
      embed.fields.push(field);
      chars += size;
    }
  }
  if (truncated && chars + SHORTENED.length <= DISCORD_LIMITS.charsPerMessage)
    embed.footer = { text: SHORTENED };

  const rows = buttonRows(reply.actions ?? []);
  return messages.map((embeds, i) => ({
    embeds: embeds.filter((e) => e.title || e.description || e.fields?.length || e.footer),
    components: i === messages.length - 1 ? rows : [],
    ...(reply.ephemeral ? { flags: EPHEMERAL_FLAG } : {}),
    allowed_mentions: noMentions(),
  }));
}

/** Renders into exactly one message, cutting what does not fit (used for channel posts that are edited later). */
export function renderSingle(reply: Reply): RenderedMessage {
  return renderReply(reply, 1)[0] as RenderedMessage;
}

function descriptionOf(reply: Reply): string {
  const parts: string[] = [];
  if (reply.text?.trim()) parts.push(reply.text.trim());
  if (reply.countdown) parts.push(countdownText(reply.countdown.label, reply.countdown.endsAt));
  if (parts.length === 0 && !reply.title && !reply.fields?.length && !reply.sources?.length)
    parts.push(reply.fallbackText || ZERO_WIDTH);
  return parts.join('\n\n');
}

/** `<t:unix:R>` shows a live relative time ("in 20 seconds") in every reader's client. */
export function countdownText(label: string, endsAt: number): string {
  return `${label} <t:${Math.floor(endsAt / 1000)}:R>`.trim();
}

function splitField(label: string, value: string, inline?: boolean): APIEmbedField[] {
  const name = truncate(label.trim() || ZERO_WIDTH, DISCORD_LIMITS.fieldName);
  const chunks = splitText(value.trim() || ZERO_WIDTH, DISCORD_LIMITS.fieldValue);
  return chunks.map((chunk, i) => ({
    name: i === 0 ? name : truncate(`${label.trim()} (continued)`, DISCORD_LIMITS.fieldName),
    value: chunk,
    ...(inline ? { inline: true } : {}),
  }));
}

/** Sources as a field of Markdown links: embed footers do not render links. */
function sourcesFields(sources: readonly ReplySource[] | undefined): APIEmbedField[] {
  if (!sources?.length) return [];
  const lines = sources.map(sourceLine);
  const values: string[] = [];
  for (const line of lines) {
    const last = values[values.length - 1];
    if (last !== undefined && last.length + 1 + line.length <= DISCORD_LIMITS.fieldValue)
      values[values.length - 1] = `${last}\n${line}`;
    else values.push(line);
  }
  return values.map((value, i) => ({ name: i === 0 ? 'Sources' : 'Sources (continued)', value }));
}

function sourceLine(source: ReplySource): string {
  const label = truncate(
    source.label.replace(/[[\]]/g, (c) => (c === '[' ? '(' : ')')),
    300,
  );
  if (source.url && /^https?:\/\/\S+$/i.test(source.url) && source.url.length <= 512) {
    const url = source.url.replace(/\(/g, '%28').replace(/\)/g, '%29');
    return `- [${label}](${url})`;
  }
  return `- ${label}`;
}

const BUTTON_STYLES: Record<NonNullable<ReplyAction['style']>, 1 | 2 | 4> = {
  primary: 1,
  secondary: 2,
  danger: 4,
};

/** Up to 25 buttons in rows of 5; ids that Discord would refuse (too long, duplicated) are left out. */
export function buttonRows(actions: readonly ReplyAction[]): ButtonRow[] {
  const seen = new Set<string>();
  const buttons: APIButtonComponentWithCustomId[] = [];
  for (const action of actions) {
    if (!action.id || action.id.length > DISCORD_LIMITS.customId || seen.has(action.id)) continue;
    seen.add(action.id);
    buttons.push({
      type: 2,
      style: BUTTON_STYLES[action.style ?? 'secondary'],
      label: fitLabel(action.label, DISCORD_LIMITS.buttonLabel),
      custom_id: action.id,
    });
  }
  const rows: ButtonRow[] = [];
  const max = DISCORD_LIMITS.buttonsPerRow * DISCORD_LIMITS.rows;
  for (let i = 0; i < Math.min(buttons.length, max); i += DISCORD_LIMITS.buttonsPerRow) {
    rows.push({ type: 1, components: buttons.slice(i, Math.min(i + DISCORD_LIMITS.buttonsPerRow, max)) });
  }
  return rows;
}

/**
 * Splits text into pieces of at most `max` characters, preferring paragraph breaks, then line breaks,
 * then spaces, and never cutting through a Markdown link when a better place exists.
 */
export function splitText(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const cut = cutPoint(rest, max);
    const piece = rest.slice(0, cut).trimEnd();
    if (piece) pieces.push(piece);
    rest = rest.slice(cut).replace(/^\s+/, '');
  }
  if (rest.trim()) pieces.push(rest);
  return pieces;
}

function cutPoint(text: string, max: number): number {
  const window = text.slice(0, max + 1);
  const links = [...window.matchAll(/\[[^\]\n]*\]\([^)\s]*\)?/g)].map(
    (m) => [m.index, m.index + m[0].length] as const,
  );
  const insideLink = (at: number) => links.some(([start, end]) => at > start && at < end);
  const minimum = Math.floor(max * 0.5);
  for (const separator of ['\n\n', '\n', ' ']) {
    let at = window.lastIndexOf(separator, max);
    while (at > 0 && insideLink(at)) at = window.lastIndexOf(separator, at - 1);
    if (at >= minimum || (separator === ' ' && at > 0)) return at;
  }
  // One long word: cut before a link that straddles the limit, else hard.
  const straddling = links.find(([start, end]) => start > 0 && start < max && end > max);
  return straddling ? straddling[0] : max;
}
