/**
 * The portable reply card. Each adapter renders it within its platform's limits:
 * embeds + buttons on Discord, Block Kit on Slack, numbered text in the terminal.
 */
export interface ReplyField {
  label: string;
  value: string;
  inline?: boolean;
}

/**
 * A button. `id` is `namespace:payload`, at most 100 characters. Keep `label` short (about 40
 * characters); renderers fit longer ones to their platform with `fitLabel`.
 */
export interface ReplyAction {
  id: string;
  label: string;
  style?: 'primary' | 'secondary' | 'danger';
}

export interface ReplySource {
  label: string;
  url?: string;
}

/** A countdown: Discord renders `<t:unix:R>`, Slack `<!date^unix^...|fallback>`. */
export interface ReplyCountdown {
  /** Epoch milliseconds when the countdown ends. */
  endsAt: number;
  /** Text before the relative time, e.g. "Time is up". */
  label: string;
}

/**
 * A file that goes with a reply: a chart, an export. Discord attaches it to the message, Slack
 * uploads it after the message, the terminal writes it to a directory and prints the path. Each
 * platform has a size limit (`FILE_LIMITS` in files.ts); a file over it is refused with a line in
 * the reply, never dropped silently.
 */
export interface ReplyFile {
  /** File name with extension, e.g. "progress.png"; unsafe characters are replaced (`safeFileName`). */
  name: string;
  data: Uint8Array;
  /** MIME type, e.g. "image/png", "text/csv; charset=utf-8". */
  contentType: string;
  /** Text alternative for screen readers (an image's description); also printed in the terminal. */
  alt?: string;
}

export interface Reply {
  title?: string;
  /** Markdown subset: **bold**, *italic*, [links](url), "- " bullet lists, paragraphs. */
  text?: string;
  fields?: ReplyField[];
  actions?: ReplyAction[];
  sources?: ReplySource[];
  countdown?: ReplyCountdown;
  /**
   * The one ping the bot ever sends: a role (Discord) or user group (Slack) a host configured for
   * quiz-night reminders. Adapters mention exactly this and nothing else; text never pings.
   */
  mention?: { id: string; label: string };
  /** Files that go with the reply (see ReplyFile); at most `FILE_LIMITS[platform].maxFiles`. */
  files?: ReplyFile[];
  ephemeral?: boolean;
  /** Plain text for notifications, screen readers and platforms that show no cards. */
  fallbackText: string;
}

export const LIMITS = {
  actionId: 100,
  actionLabel: 40,
} as const;

/** Builds a reply, deriving the plain-text fallback from title and text when not given. */
export function reply(parts: Omit<Reply, 'fallbackText'> & { fallbackText?: string }): Reply {
  const fallbackText = parts.fallbackText ?? deriveFallback(parts);
  return { ...parts, fallbackText };
}

/** A private, polite error answer; `usage` is appended when given. */
export function errorReply(message: string, usage?: string): Reply {
  const text = usage ? `${message}\n\nUsage: \`${usage}\`` : message;
  return reply({ text, ephemeral: true });
}

function deriveFallback(parts: { title?: string; text?: string }): string {
  const text = parts.text ? stripMarkdown(parts.text) : '';
  const joined = [parts.title, text].filter(Boolean).join(': ');
  return truncate(joined || 'thawbot', 300);
}

/** Removes the Markdown subset's markers, keeping link text and URL. */
export function stripMarkdown(text: string): string {
  return text
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, '$1 ($2)')
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/(^|[^*\w])\*([^*\n]+)\*/g, '$1$2')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * A button label within `max` characters: cut after a whole word and marked with an ellipsis, never
 * leaving an unclosed bracket ("The death and funeral of Stalin (March 1" becomes "The death and
 * funeral of Stalin…"). One rule for every platform; each renderer passes its own limit.
 */
export function fitLabel(label: string, max: number): string {
  const text = label.replace(/\s+/g, ' ').trim() || '…';
  if (text.length <= max) return text;
  if (max <= 1) return '…'.slice(0, max);
  let cut = text.slice(0, max - 1);
  // A word cut in the middle is only kept when it is the only word.
  const space = text[max - 1] === ' ' ? max - 1 : cut.lastIndexOf(' ');
  if (space > 0) cut = cut.slice(0, space);
  const open = cut.lastIndexOf('(');
  if (open > 0 && !cut.includes(')', open)) cut = cut.slice(0, open);
  cut = cut.replace(/[\s,;:(\u2013\u2014-]+$/, '');
  return `${cut || text.slice(0, max - 1)}…`;
}

/** Cuts text to `max` characters at a word boundary where possible, marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return text.slice(0, max);
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}…`;
}
