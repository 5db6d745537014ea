import { createRequire } from 'node:module';

/**
 * The only fonts the chart renderer loads: DejaVu Sans (regular and bold) from the
 * `dejavu-fonts-ttf` package, a production dependency, so a render is the same on a laptop and in
 * Docker and never depends on system fonts. DejaVu covers Latin with accents, Cyrillic and Greek.
 * Licence: node_modules/dejavu-fonts-ttf/LICENSE (Bitstream Vera licence; DejaVu changes public domain).
 */
const require = createRequire(import.meta.url);
const REGULAR = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');

export const CHART_FONT_FILES: readonly string[] = [REGULAR, BOLD];

/** Width in pixels of one line of text in the shipped font. */
export type TextWidth = (text: string, fontSize: number, bold: boolean) => number;

/**
 * Measures text with the fonts' own advance widths (fontkit), so vega lays out and truncates with
 * the widths resvg will draw; without a canvas vega would guess 0.8 em for every character.
 */
export function fontTextWidth(fontkit: typeof import('fontkit')): TextWidth {
  const fonts = [REGULAR, BOLD].map((file) => {
    const font = fontkit.openSync(file);
    if (!('glyphForCodePoint' in font)) throw new Error(`${file} is a font collection`);
    return { font, advances: new Map<number, number>() };
  });
  return (text, fontSize, bold) => {
    const { font, advances } = fonts[bold ? 1 : 0]!;
    let units = 0;
    for (const char of text) {
      const code = char.codePointAt(0)!;
      let advance = advances.get(code);
      if (advance === undefined) {
        advance = font.glyphForCodePoint(code).advanceWidth;
        advances.set(code, advance);
      }
      units += advance;
    }
    return (units / font.unitsPerEm) * fontSize;
  };
}

/** Cuts text with an ellipsis, at a word where one is near, to fit within `max` pixels. */
export function fitWidth(
  width: TextWidth,
  text: string,
  max: number,
  fontSize: number,
  bold: boolean,
): string {
  if (width(text, fontSize, bold) <= max) return text;
  const chars = Array.from(text);
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (width(`${chars.slice(0, mid).join('')}…`, fontSize, bold) <= max) lo = mid;
    else hi = mid - 1;
  }
  const cut = chars.slice(0, lo).join('');
  const space = cut.lastIndexOf(' ');
  return `${(space > cut.length * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
