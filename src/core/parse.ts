import type { Parsed } from './values.ts';

/** One word of a command line: `value`, `"quoted value"`, or `key:value` / `key:"quoted value"`. */
export interface Token {
  /** The token as typed, without surrounding quotes when the whole token was quoted. */
  raw: string;
  key?: string;
  value: string;
}

export const MAX_INPUT = 2000;

const QUOTES: Record<string, string> = { '"': '"', "'": "'", '“': '”', '„': '“', '«': '»' };

/** Removes control characters (keeping words apart) so hostile input cannot corrupt logs or output. */
export function sanitizeInput(text: string): string {
  return text.replace(UNSAFE_CHARS, ' ');
}

/** C0/C1 controls, zero-width and line/paragraph separators, and bidi overrides. */
const UNSAFE_RANGES: [number, number][] = [
  [0x00, 0x1f],
  [0x7f, 0x9f],
  [0x200b, 0x200f],
  [0x2028, 0x2029],
  [0x202a, 0x202e],
  [0x2066, 0x2069],
];
export const UNSAFE_CHARS = new RegExp(
  `[${UNSAFE_RANGES.map(([a, b]) => `\\u{${a.toString(16)}}-\\u{${b.toString(16)}}`).join('')}]`,
  'gu',
);

/** Splits "/quiz start questions:5" into the command name and the rest. */
export function splitCommandLine(line: string): { command: string; rest: string } | undefined {
  const m = /^\s*\/([^\s/]+)\s*([\s\S]*)$/.exec(line);
  if (!m) return undefined;
  return { command: (m[1] as string).toLowerCase(), rest: (m[2] as string).trim() };
}

/** Tokenises option text, honouring quotes (straight and typographic) after `key:` or around a value. */
export function tokenize(input: string): Parsed<Token[]> {
  const text = sanitizeInput(input);
  if (text.length > MAX_INPUT) return { ok: false, error: `that is too long (over ${MAX_INPUT} characters)` };
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i] as string)) i++;
    if (i >= text.length) break;
    let key: string | undefined;
    const keyMatch = /^([A-Za-z][\w-]{0,31}):(?=\S)/.exec(text.slice(i));
    if (keyMatch) {
      key = (keyMatch[1] as string).toLowerCase();
      i += keyMatch[0].length;
    }
    const open = text[i] as string;
    const close = QUOTES[open];
    let value: string;
    let raw: string;
    if (close) {
      const end = text.indexOf(close, i + 1);
      if (end < 0) return { ok: false, error: `a quote (${open}) is not closed` };
      value = text.slice(i + 1, end);
      raw = key ? `${key}:${value}` : value;
      i = end + 1;
    } else {
      const start = i;
      while (i < text.length && !/\s/.test(text[i] as string)) i++;
      value = text.slice(start, i);
      raw = key ? `${keyMatch?.[0]}${value}` : value;
    }
    tokens.push(key ? { raw, key, value } : { raw, value });
  }
  return { ok: true, value: tokens };
}
