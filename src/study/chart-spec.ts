import type { TopLevelSpec } from 'vega-lite';
import { type CleanPicture, MAX_DAYS, shortDate } from './chart-data.ts';
import { fitWidth, type TextWidth } from './chart-font.ts';

/** The shipped font (see chart-font.ts): the SVG names it and resvg loads only it. */
export const FONT_FAMILY = 'DejaVu Sans';

/**
 * A light card: a solid background reads the same in Discord's and Slack's dark and light themes.
 * Blue and orange stay apart for the common colour-vision deficiencies.
 */
const THEME = {
  background: '#ffffff',
  text: '#1f2328',
  muted: '#59636e',
  grid: '#e6e8eb',
  track: '#eceff3',
  mastery: '#2f6fd0',
  answered: '#c2cedb',
  right: '#d9730d',
} as const;

/**
 * Fixed widths (the label column, the plots, the percent column), so the picture is CHART_WIDTH
 * wide whatever the titles: texts are cut to fit their column, measured in the shipped font.
 */
export const CHART_WIDTH = 800;
const PADDING = 16;
const LABELS = 240;
const PERCENT = 48;
const PLOT_WIDTH = CHART_WIDTH - 2 * PADDING - LABELS - PERCENT;
const ROW = 24;
/** The days' count axis, and their plot's width when drawn without topics above. */
const DAY_AXIS = 30;
const DAYS_ALONE = CHART_WIDTH - 2 * PADDING - DAY_AXIS;
const LABEL_SIZE = 12;
const LABEL_PAD = 8;

/** Which parts a picture has; each shape is compiled and parsed once, then only its data changes. */
export type ChartShape = 'both' | 'topics' | 'days';

export function chartShape(c: CleanPicture): ChartShape {
  if (c.topics.length > 0 && c.days.length > 0) return 'both';
  return c.topics.length > 0 ? 'topics' : 'days';
}

/** The values a view of `progressSpec(shape)` needs: data sets and signals by name. */
export function chartInputs(
  c: CleanPicture,
  width: TextWidth,
): {
  data: Record<string, object[]>;
  signals: Record<string, unknown>;
} {
  // Cut to the label column; the axis is keyed by title, so titles cut alike get a number.
  const used = new Set<string>();
  const titles = c.topics.map((t) => {
    let title = fitWidth(width, t.title, LABELS - LABEL_PAD, LABEL_SIZE, false);
    for (let n = 2; used.has(title); n++) {
      title = `${fitWidth(width, t.title, LABELS - LABEL_PAD - 30, LABEL_SIZE, false)} (${n})`;
    }
    used.add(title);
    return title;
  });
  const more = c.moreTopics > 0 ? ` (first ${c.topics.length}; ${c.moreTopics} more in the text)` : '';
  // Every fifth day is labelled, counted back from the last; dates stay strings ("5 Mar"), so the
  // axis does not depend on the server's time zone.
  const last = c.days.length - 1;
  const dayLabels = Object.fromEntries(
    c.days.map((d, i) => [d.date, (last - i) % 5 === 0 ? shortDate(d.date) : '']),
  );
  return {
    // Only the data sets the shape draws: a view has no other.
    data: {
      ...(c.topics.length > 0 && {
        topics: c.topics.map((t, i) => ({
          ...t,
          title: titles[i],
          full: 1,
          label: `${Math.round(t.share * 100)}%`,
        })),
      }),
      ...(c.days.length > 0 && {
        days: c.days.flatMap((d) => [
          { date: d.date, kind: 'answers', n: d.total },
          { date: d.date, kind: 'right answers', n: d.right },
        ]),
      }),
    },
    signals: {
      heading: fitWidth(width, `Progress: ${c.learner}`, CHART_WIDTH - 2 * PADDING, 20, true),
      topicsHeading: `Mastery by topic${more}`,
      daysHeading: `Answers, last ${Math.min(MAX_DAYS, c.days.length)} days`,
      dayLabels,
    },
  };
}

/**
 * The vega-lite spec of a picture of this shape: mastery bars above, the days' answers below.
 * Data and texts are named (chartInputs), never inlined, so the spec does not change with them.
 */
export function progressSpec(shape: ChartShape): TopLevelSpec {
  const parts: object[] = [];
  if (shape !== 'days') parts.push(masteryBars());
  if (shape !== 'topics') parts.push(dayBars(shape === 'both' ? PLOT_WIDTH + PERCENT - 8 : DAYS_ALONE));
  return {
    background: THEME.background,
    padding: PADDING,
    autosize: { type: 'pad' },
    params: [
      { name: 'heading', value: '' },
      { name: 'topicsHeading', value: '' },
      { name: 'daysHeading', value: '' },
      { name: 'dayLabels', value: {} },
    ],
    title: {
      text: { expr: 'heading' },
      anchor: 'start',
      fontSize: 20,
      fontWeight: 'bold',
      color: THEME.text,
      offset: 14,
    },
    config: {
      font: FONT_FAMILY,
      view: { stroke: null },
      axis: {
        labelColor: THEME.muted,
        labelFontSize: 12,
        domainColor: THEME.grid,
        tickColor: THEME.grid,
        gridColor: THEME.grid,
      },
      legend: { labelColor: THEME.text, labelFontSize: 12, symbolSize: 120 },
      title: { color: THEME.text, fontSize: 14, fontWeight: 'bold', anchor: 'start', offset: 10 },
    },
    spacing: 28,
    resolve: { scale: { color: 'independent' }, legend: { color: 'independent' } },
    vconcat: parts,
  } as TopLevelSpec;
}

function masteryBars(): object {
  return {
    title: { text: { expr: 'topicsHeading' } },
    width: PLOT_WIDTH,
    height: { step: ROW },
    data: { name: 'topics' },
    encoding: {
      y: {
        field: 'title',
        type: 'nominal',
        sort: null,
        axis: {
          title: null,
          ticks: false,
          domain: false,
          labelFontSize: LABEL_SIZE,
          labelColor: THEME.text,
          labelPadding: LABEL_PAD,
          labelLimit: 0,
          minExtent: LABELS,
          maxExtent: LABELS,
        },
      },
    },
    layer: [
      {
        mark: { type: 'bar', color: THEME.track, cornerRadius: 3, height: { band: 0.7 } },
        encoding: { x: { field: 'full', type: 'quantitative', scale: { domain: [0, 1] }, axis: null } },
      },
      {
        mark: { type: 'bar', color: THEME.mastery, cornerRadius: 3, height: { band: 0.7 } },
        encoding: { x: { field: 'share', type: 'quantitative', scale: { domain: [0, 1] }, axis: null } },
      },
      {
        mark: { type: 'text', align: 'left', dx: 8, fontSize: 12, color: THEME.text },
        encoding: { x: { field: 'full', type: 'quantitative' }, text: { field: 'label' } },
      },
    ],
  };
}

function dayBars(plotWidth: number): object {
  return {
    title: { text: { expr: 'daysHeading' } },
    width: plotWidth,
    height: 150,
    data: { name: 'days' },
    encoding: {
      x: {
        field: 'date',
        type: 'ordinal',
        sort: null,
        axis: {
          title: null,
          labelAngle: 0,
          labelExpr: 'dayLabels[datum.value] || ""',
          ticks: false,
          domainColor: THEME.grid,
        },
      },
      y: {
        field: 'n',
        type: 'quantitative',
        scale: { zero: true, nice: true, domainMin: 0 },
        axis: { title: null, tickMinStep: 1, format: 'd', minExtent: DAY_AXIS, maxExtent: DAY_AXIS },
      },
      color: {
        field: 'kind',
        type: 'nominal',
        scale: { domain: ['answers', 'right answers'], range: [THEME.answered, THEME.right] },
        legend: {
          title: null,
          orient: 'top',
          direction: 'horizontal',
          labelExpr: "datum.label + ' answers'",
        },
      },
    },
    layer: [
      {
        transform: [{ filter: "datum.kind === 'answers'" }],
        mark: { type: 'bar', width: { band: 0.7 }, cornerRadiusTopLeft: 2, cornerRadiusTopRight: 2 },
      },
      {
        transform: [{ filter: "datum.kind === 'right answers'" }],
        mark: { type: 'line', strokeWidth: 2.5, point: { filled: true, size: 30 } },
      },
    ],
  };
}
