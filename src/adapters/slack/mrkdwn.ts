import slackifyMarkdown from 'slackify-markdown';

/**
 * Text helpers for Slack. Slack has no allowed-mentions setting, so anything that could notify
 * people is rewritten as plain text before it is sent.
 */

const ZWSP = '\u200b';

/**
 * Rewrites mention markup as readable plain text: `<@U1|maria>` -> `@maria`, `<!subteam^S1|@team>`
 * -> `@team`, `<!channel>` / `<!here>` / `<!everyone>` and bare `@channel`-style words get a
 * zero-width space after the `@`, so Slack shows them but notifies no one.
 */
export function neutraliseMentions(text: string): string {
  return text
    .replace(/<@([UW][A-Z0-9]+)(?:\|([^>]*))?>/g, (_, id: string, name?: string) => `@${name || id}`)
    .replace(/<!subteam\^([A-Z0-9]+)(?:\|@?([^>]*))?>/g, (_, id: string, name?: string) => `@${name || id}`)
    .replace(/<!(channel|here|everyone|group)(?:\|[^>]*)?>/gi, (_, word: string) => `@${word}`)
    .replace(/<#([CG][A-Z0-9]+)(?:\|([^>]*))?>/g, (_, id: string, name?: string) => `#${name || id}`)
    .replace(/@(channel|here|everyone|group)\b/gi, `@${ZWSP}$1`);
}

/** Escapes the three characters Slack treats as control characters in mrkdwn and `text`. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Plain text for `plain_text` objects (header, buttons): mentions neutralised, no markup. */
export function plainText(text: string): string {
  return neutraliseMentions(text);
}

/** Plain text safe for mrkdwn contexts and the message `text` fallback. */
export function safeText(text: string): string {
  return escapeMrkdwn(neutraliseMentions(text));
}

/**
 * The core's Markdown subset (bold, italic, links, bullet lists, paragraphs) as Slack mrkdwn.
 * `<` and `>` are turned into entities first, so no Slack markup can pass through from the text;
 * slackify-markdown escapes `&` and writes links as `<url|text>`.
 */
export function markdownToMrkdwn(markdown: string): string {
  const text = neutraliseMentions(markdown);
  // Text with no Markdown in it only needs escaping; the parser costs about 1 ms per call.
  if (isPlain(text)) return escapeMrkdwn(text.trim());
  const hit = converted.get(text);
  if (hit !== undefined) {
    converted.delete(text);
    converted.set(text, hit);
    return hit;
  }
  const result = sealMarkup(
    slackifyMarkdown(text.replace(/</g, '&lt;').replace(/>/g, '&gt;')).replace(/\n+$/, ''),
  );
  // Replies repeat (the same topic summaries and facts), so recent conversions are kept.
  if (text.length <= 20_000) {
    converted.set(text, result);
    if (converted.size > CACHE_SIZE) converted.delete(converted.keys().next().value as string);
  }
  return result;
}

/**
 * Keeps only the `<url|text>` links the converter wrote. It turns `&lt;@U1&gt;` back into `<@U1>`
 * on purpose (to allow mentions in Markdown), which would notify people; every other `<` and `>`
 * is escaped again.
 */
function sealMarkup(mrkdwn: string): string {
  return mrkdwn.replace(/<([^<>]*)>|[<>]/g, (match, inner?: string) =>
    inner !== undefined && /^(https?|mailto):[^\s|<>]*\|/i.test(inner)
      ? match
      : match.replace(/</g, '&lt;').replace(/>/g, '&gt;'),
  );
}

const CACHE_SIZE = 500;
const converted = new Map<string, string>();

/**
 * True when the Markdown parser would only escape the text: no emphasis, code, links, headings,
 * lists, quotes, tables, entities, escapes, URLs and e-mail addresses (GFM links them) or blank-line runs.
 */
export function isPlain(text: string): boolean {
  return !/[\\*_[\]`~#|!&<>:=@]|^\s*([-+]|\d+[.)](\s|$))|^\s|\s$|\n\s*\n|www\.|\s{2}/m.test(text);
}

/** A link for mrkdwn, or the escaped label when the URL is not plain http(s). */
export function mrkdwnLink(url: string | undefined, label: string): string {
  const text = safeText(label).replace(/\|/g, '¦');
  if (!url || !/^https?:\/\/[^\s]+$/i.test(url)) return text;
  const href = url.replace(/[<>|]/g, (c) => encodeURIComponent(c));
  return `<${href}|${text}>`;
}

/**
 * Splits mrkdwn into pieces of at most `max` characters, preferring paragraph, then line, then
 * word boundaries, and never cutting inside `<...>` markup or an `&...;` entity.
 */
export function splitMrkdwn(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    const window = rest.slice(0, max);
    let cut = window.lastIndexOf('\n\n');
    if (cut < max * 0.5) cut = Math.max(cut, window.lastIndexOf('\n'));
    if (cut < max * 0.5) cut = Math.max(cut, window.lastIndexOf(' '));
    if (cut <= 0) cut = max;
    cut = safeCut(rest, cut);
    pieces.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) pieces.push(rest);
  return pieces;
}

/** Moves a cut position back so it does not fall inside `<...>` or `&...;`. */
function safeCut(text: string, cut: number): number {
  const head = text.slice(0, cut);
  const open = head.lastIndexOf('<');
  if (open > head.lastIndexOf('>') && open > 0) return open;
  const amp = head.lastIndexOf('&');
  if (amp > head.lastIndexOf(';') && cut - amp <= 8 && amp > 0) return amp;
  return cut;
}

/** Cuts mrkdwn to `max` characters with an ellipsis, without breaking markup. */
export function truncateMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  const [first] = splitMrkdwn(text, max - 1);
  return `${first ?? ''}…`;
}
