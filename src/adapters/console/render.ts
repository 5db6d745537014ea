import type { Reply } from '../../core/reply.ts';

/** ANSI styles, or none when the output is not a terminal. */
export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  title(s: string): string;
}

export const plainStyle: Style = { bold: (s) => s, dim: (s) => s, title: (s) => s };
export const ansiStyle: Style = {
  bold: (s) => `\x1b[1m${s}\x1b[22m`,
  dim: (s) => `\x1b[2m${s}\x1b[22m`,
  title: (s) => `\x1b[1;36m${s}\x1b[0m`,
};

/** The Markdown subset as terminal text: bold and italic styled, links as "text <url>". */
export function renderMarkdown(text: string, style: Style): string {
  // Code spans are shown as typed: set aside first, so no Markdown inside them applies.
  const spans: string[] = [];
  return text
    .replace(/`([^`]+)`/g, (_, code: string) => `\uE000${spans.push(code) - 1}\uE000`)
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_, label: string, url: string) => `${label} <${url}>`)
    .replace(/\*\*([^*]+)\*\*/g, (_, s: string) => style.bold(s))
    .replace(/(^|[^*\w])\*([^*\n]+)\*/g, (_, pre: string, s: string) => `${pre}${style.dim(s)}`)
    .replace(/^- /gm, '  • ')
    .replace(/\uE000(\d+)\uE000/g, (_, i: string) => spans[Number(i)] ?? '');
}

/** A reply as readable text; buttons are listed with the numbers the user types to press them. */
export function renderReply(
  reply: Reply,
  buttonNumbers: readonly number[],
  style: Style,
  now: number,
): string {
  const out: string[] = [];
  if (reply.ephemeral) out.push(style.dim('(only you can see this)'));
  if (reply.mention) out.push(style.bold(`@${reply.mention.label}`));
  if (reply.title) out.push(style.title(reply.title));
  if (reply.text) out.push(renderMarkdown(reply.text, style));
  for (const field of reply.fields ?? [])
    out.push(`${style.bold(`${field.label}:`)} ${renderMarkdown(field.value, style)}`);
  if (reply.countdown) {
    const seconds = Math.max(0, Math.round((reply.countdown.endsAt - now) / 1000));
    out.push(style.dim(`${reply.countdown.label} in ${seconds}s`));
  }
  if (reply.sources?.length) {
    out.push(style.bold('Sources:'));
    for (const s of reply.sources) out.push(`  - ${s.label}${s.url ? ` <${s.url}>` : ''}`);
  }
  if (!reply.title && !reply.text && !reply.fields?.length) out.push(reply.fallbackText);
  const actions = reply.actions ?? [];
  if (actions.length) out.push(actions.map((a, i) => `[${buttonNumbers[i]}] ${a.label}`).join('   '));
  return out.join('\n');
}
