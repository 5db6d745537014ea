/**
 * The /progress picture: mastery by topic as bars and the last 30 days' answers, drawn with
 * vega-lite (spec -> vega) to SVG and with resvg to PNG; the same data as text bars for the terminal
 * and as a sentence of alt text for screen readers. See docs/chart.md.
 */

import { cleanPicture, isEmpty, type ProgressPicture } from './chart-data.ts';
import { CHART_FONT_FILES, fontTextWidth, type TextWidth } from './chart-font.ts';
import { type ChartShape, chartInputs, chartShape, FONT_FAMILY, progressSpec } from './chart-spec.ts';
import { progressAlt } from './chart-text.ts';

export type { ProgressPicture } from './chart-data.ts';
export { CHART_WIDTH } from './chart-spec.ts';
export { progressAlt, progressTextBars } from './chart-text.ts';

export interface ProgressPng {
  png: Uint8Array;
  width: number;
  height: number;
  /** The picture in one plain sentence, for the image's description and the card. */
  alt: string;
}

/** The drawing libraries weigh tens of megabytes: loaded on the first render, not at start. */
type Vega = typeof import('vega');
type Libraries = {
  vega: Vega;
  renderAsync: typeof import('@resvg/resvg-js').renderAsync;
  width: TextWidth;
  /** The parsed vega spec of each shape, built on first use: a render then only sets data. */
  runtime: (shape: ChartShape) => ReturnType<Vega['parse']>;
};
let libraries: Promise<Libraries> | undefined;
/** vega-scenegraph's text measure, which vega's typings leave out. */
type VegaTextMetrics = {
  width: (item: { fontSize?: number; fontWeight?: string | number }, text: unknown) => number;
};

function load(): Promise<Libraries> {
  libraries ??= Promise.all([
    import('vega-lite'),
    import('vega'),
    import('@resvg/resvg-js'),
    import('fontkit'),
  ]).then(([vl, vega, resvg, fontkit]) => {
    const width = fontTextWidth(fontkit);
    // Vega's hook for a text measure of one's own (vega-scenegraph calls it for layout and
    // truncation); without it, every character counts as 0.8 em.
    (vega as unknown as { textMetrics: VegaTextMetrics }).textMetrics.width = (item, text) =>
      width(
        String(text ?? '').trim(),
        item.fontSize ?? 11,
        /bold|[6-9]00/.test(String(item.fontWeight ?? '')),
      );
    const parsed = new Map<ChartShape, ReturnType<Vega['parse']>>();
    const runtime = (shape: ChartShape) => {
      let spec = parsed.get(shape);
      if (!spec) {
        spec = vega.parse(vl.compile(progressSpec(shape)).spec);
        parsed.set(shape, spec);
      }
      return spec;
    };
    return { vega, renderAsync: resvg.renderAsync, runtime, width };
  });
  // A failed load (a missing native binary) is tried again next time rather than cached.
  libraries.catch(() => {
    libraries = undefined;
  });
  return libraries;
}

/**
 * The picture as SVG, or undefined when there is nothing to draw (no topics and no answers in the
 * period): callers then show the text alone. Text in the SVG is escaped by vega.
 */
export async function renderProgressSvg(p: ProgressPicture): Promise<string | undefined> {
  const clean = cleanPicture(p);
  if (isEmpty(clean)) return undefined;
  const { vega, runtime, width } = await load();
  const view = new vega.View(runtime(chartShape(clean)), { renderer: 'none', logLevel: vega.Error });
  try {
    const { data, signals } = chartInputs(clean, width);
    for (const [name, value] of Object.entries(signals)) view.signal(name, value);
    for (const [name, values] of Object.entries(data)) view.data(name, values);
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * The picture as PNG (CHART_WIDTH pixels wide; the height grows with the number of topics), or
 * undefined for a learner with nothing to show yet. Rasterising runs on libuv's thread pool, so the
 * event loop stays free while it draws.
 */
export async function renderProgressPng(p: ProgressPicture): Promise<ProgressPng | undefined> {
  const svg = await renderProgressSvg(p);
  if (svg === undefined) return undefined;
  const { renderAsync } = await load();
  const image = await renderAsync(svg, {
    fitTo: { mode: 'original' },
    font: {
      fontFiles: [...CHART_FONT_FILES],
      loadSystemFonts: false,
      defaultFontFamily: FONT_FAMILY,
      sansSerifFamily: FONT_FAMILY,
    },
    logLevel: 'off',
  });
  const png = image.asPng();
  return {
    png: new Uint8Array(png.buffer, png.byteOffset, png.byteLength),
    width: image.width,
    height: image.height,
    alt: progressAlt(p),
  };
}
