/**
 * Text people typed, shown inside a reply's Markdown as typed and harmless: in an inline code span,
 * where no platform applies formatting, links or mentions (Discord shows `<@123>` and `@everyone`
 * literally there; Slack's renderer also rewrites mention markup as plain text).
 */
import { sanitizeInput } from './parse.ts';

const ZWSP = '\u200b';

/** A person's free text as an inline code span: control characters gone, backticks made quotes. */
export function inertText(text: string): string {
  const clean = sanitizeInput(text).replace(/\s+/g, ' ').trim().replace(/`/g, "'");
  return clean ? `\`${clean}\`` : '(no text)';
}

/** A display name as plain text: markup characters dropped, `@` words never a mention. */
export function inertName(name: string): string {
  const clean = sanitizeInput(name)
    .replace(/[*_~`|<>[\]()\\#]/g, '')
    .replace(/@/g, `@${ZWSP}`)
    .replace(/\s+/g, ' ')
    .trim();
  return clean || 'someone';
}
