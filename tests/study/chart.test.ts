import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decode } from 'fast-png';
import pixelmatch from 'pixelmatch';
import { describe, expect, it } from 'vitest';
import {
  CHART_WIDTH,
  type ProgressPicture,
  progressAlt,
  progressTextBars,
  renderProgressPng,
} from '../../src/study/chart.ts';

/**
 * The golden render. After an intended change to the picture, regenerate it with
 * `UPDATE_GOLDEN=1 npx vitest run --project unit tests/study/chart.test.ts` and look at the PNG.
 */
const GOLDEN = fileURLToPath(new URL('../fixtures/chart/progress.png', import.meta.url));
const MASTERY_BLUE = [0x2f, 0x6f, 0xd0];

function sampleDays(): ProgressPicture['days'] {
  return Array.from({ length: 30 }, (_, i) => {
    const total = i % 6 === 0 ? 0 : (i % 5) + 2;
    return {
      date: new Date(Date.UTC(2026, 1, 5 + i)).toISOString().slice(0, 10),
      total,
      right: Math.floor((total * ((i % 3) + 1)) / 3),
    };
  });
}

const sample: ProgressPicture = {
  learner: 'Zoë Ковалёва',
  mastery: [
    { topic: 'thaw', title: 'The Thaw', share: 1 },
    { topic: 'secret-speech', title: 'The Secret Speech', share: 0.5 },
    { topic: 'hungary-1956', title: 'Hungarian Revolution of 1956', share: 0.25 },
    { topic: 'ottepel', title: 'Оттепель', share: 0 },
  ],
  days: sampleDays(),
};

/** RGBA pixels, whatever channel count the encoder chose. */
function rgba(png: Uint8Array): { width: number; height: number; data: Uint8Array } {
  const img = decode(png);
  const data = new Uint8Array(img.width * img.height * 4);
  for (let p = 0; p < img.width * img.height; p++) {
    for (let c = 0; c < 4; c++) {
      data[p * 4 + c] = c < img.channels ? Number(img.data[p * img.channels + c]) : 255;
    }
  }
  return { width: img.width, height: img.height, data };
}

function isBlue(data: Uint8Array, p: number): boolean {
  return MASTERY_BLUE.every((v, c) => Math.abs((data[p * 4 + c] as number) - v) <= 8);
}

/** Runs of rows holding the mastery colour, with the widest blue stretch in each: one per bar drawn. */
function blueBars(img: { width: number; height: number; data: Uint8Array }): number[] {
  const bars: number[] = [];
  let inBar = false;
  for (let y = 0; y < img.height; y++) {
    let count = 0;
    for (let x = 0; x < img.width; x++) if (isBlue(img.data, y * img.width + x)) count++;
    if (count > 3) {
      if (!inBar) bars.push(0);
      bars[bars.length - 1] = Math.max(bars[bars.length - 1] as number, count);
    }
    inBar = count > 3;
  }
  return bars;
}

describe('renderProgressPng', () => {
  it('draws an 800 px wide PNG under 200 KB with its size and alt text', async () => {
    const out = await renderProgressPng(sample);
    expect(out).toBeDefined();
    const img = rgba(out!.png);
    expect([img.width, img.height]).toEqual([out!.width, out!.height]);
    expect(Math.abs(out!.width - CHART_WIDTH)).toBeLessThanOrEqual(10);
    expect(out!.height).toBeGreaterThan(300);
    expect(out!.png.byteLength).toBeLessThan(200 * 1024);
    expect(out!.alt).toBe(progressAlt(sample));
  });

  it('is not blank: many colours, and one blue bar per topic with mastery, as long as its share', async () => {
    const img = rgba((await renderProgressPng(sample))!.png);
    const colours = new Set<number>();
    for (let p = 0; p < img.width * img.height; p++) {
      colours.add(
        ((img.data[p * 4] as number) << 16) | ((img.data[p * 4 + 1] as number) << 8) | img.data[p * 4 + 2]!,
      );
    }
    expect(colours.size).toBeGreaterThan(20);
    // Thaw 100%, Secret Speech 50%, Hungary 25%; Оттепель at 0% draws no blue.
    const bars = blueBars(img);
    expect(bars).toHaveLength(3);
    const [full, half, quarter] = bars as [number, number, number];
    expect(full).toBeGreaterThan(400);
    expect(half / full).toBeCloseTo(0.5, 1);
    expect(quarter / full).toBeCloseTo(0.25, 1);
  });

  it('matches the golden render within a tolerance', async () => {
    const out = (await renderProgressPng(sample))!;
    if (process.env.UPDATE_GOLDEN || !existsSync(GOLDEN)) writeFileSync(GOLDEN, out.png);
    const golden = rgba(new Uint8Array(readFileSync(GOLDEN)));
    const actual = rgba(out.png);
    expect([actual.width, actual.height]).toEqual([golden.width, golden.height]);
    const diff = pixelmatch(actual.data, golden.data, undefined, golden.width, golden.height, {
      threshold: 0.1,
    });
    expect(diff / (golden.width * golden.height)).toBeLessThan(0.002);
  });

  it('draws Cyrillic letters as real glyphs from the shipped font', async () => {
    const title = async (learner: string) => {
      const img = rgba((await renderProgressPng({ ...sample, learner }))!.png);
      return img.data.slice(0, img.width * 4 * 40);
    };
    // Missing glyphs would all draw the same box, so two different names would look alike.
    const a = await title('ЖЖЖЖЖЖ');
    const b = await title('ПППППП');
    expect(pixelmatch(a, b, undefined, a.length / 160, 40, { threshold: 0.1 })).toBeGreaterThan(50);
  });

  it('returns undefined for a learner with nothing to show yet', async () => {
    expect(await renderProgressPng({ learner: 'New', mastery: [], days: [] })).toBeUndefined();
    const quiet = sampleDays().map((d) => ({ ...d, right: 0, total: 0 }));
    expect(await renderProgressPng({ learner: 'New', mastery: [], days: quiet })).toBeUndefined();
  });

  it('draws topics alone or days alone', async () => {
    const topics = await renderProgressPng({ ...sample, days: [] });
    const days = await renderProgressPng({ ...sample, mastery: [] });
    expect(blueBars(rgba(topics!.png))).toHaveLength(3);
    expect(blueBars(rgba(days!.png))).toHaveLength(0);
    expect(days!.height).toBeLessThan(topics!.height + 250);
  });

  it('keeps the size whatever the titles: long, markup, mentions, control characters', async () => {
    const hostile: ProgressPicture = {
      learner: `<@123> @everyone ${'W'.repeat(200)}`,
      mastery: [
        { topic: 'a', title: 'W'.repeat(300), share: 0.5 },
        { topic: 'b', title: 'W'.repeat(300), share: 0.7 },
        { topic: 'c', title: '<script>alert(1)</script> & "x"', share: 2 },
        { topic: 'd', title: '@everyone <@&42> **bold** ```code```', share: Number.NaN },
        { topic: 'e', title: 'left\u202eright\u0000\nline', share: -1 },
        { topic: 'f', title: '', share: 0.1 },
      ],
      days: [
        { date: '2026-02-30', right: 5, total: 5 },
        { date: 'yesterday', right: 5, total: 5 },
        { date: '2026-03-01', right: 9, total: 3 },
      ],
    };
    const out = (await renderProgressPng(hostile))!;
    // The label column and the title are cut to fit, so the picture does not grow with them.
    expect(Math.abs(out.width - CHART_WIDTH)).toBeLessThanOrEqual(10);
    expect(rgba(out.png).width).toBe(out.width);
    const text = progressTextBars(hostile);
    for (const bad of ['`', '\u0000', '\u202e']) expect(text).not.toContain(bad);
    expect(text).toMatch(/\n<script>alert\(1\)<\/script> & "x" +█{20} 100%\n/);
    expect(text).toContain('Last 1 day: 3 right of 3 answers');
    for (const bad of ['`', '\u0000', '\u202e']) expect(out.alt).not.toContain(bad);
  });
});

describe('the lazy load', () => {
  it('loads the drawing libraries on the first render, not on import', () => {
    const script = `
      import { createRequire } from 'node:module';
      const cache = createRequire(import.meta.url).cache;
      const loaded = () => Object.keys(cache).some((k) => k.includes('@resvg'));
      const chart = await import('./src/study/chart.ts');
      const before = loaded();
      await chart.renderProgressPng({ learner: 'A', mastery: [{ topic: 't', title: 'T', share: 1 }], days: [] });
      console.log(JSON.stringify({ before, after: loaded() }));`;
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ before: false, after: true });
  });
});

describe('progressTextBars', () => {
  it('shows one bar per topic and a sparkline of the days', () => {
    expect(progressTextBars(sample)).toBe(
      [
        'Mastery by topic',
        'The Thaw                      ████████████████████ 100%',
        'The Secret Speech             ██████████░░░░░░░░░░  50%',
        'Hungarian Revolution of 1956  █████░░░░░░░░░░░░░░░  25%',
        'Оттепель                      ░░░░░░░░░░░░░░░░░░░░   0%',
        '',
        'Last 30 days: 69 right of 100 answers',
        '5 Feb ·▃▆▂▆▃·▃▇▃▂▄·▄█·▃▆·▆▃▂▃▇·▂▄▂▄█ 6 Mar',
      ].join('\n'),
    );
  });

  it('says so when there is nothing yet, and bounds the bar width', () => {
    expect(progressTextBars({ learner: 'New', mastery: [], days: [] })).toMatch(/^Nothing to chart yet/);
    const narrow = progressTextBars({ ...sample, days: [] }, 1).split('\n')[1]!;
    expect(narrow).toBe('The Thaw                      ██████████ 100%');
  });

  it('describes the picture in a sentence for screen readers', () => {
    expect(progressAlt(sample)).toBe(
      'Progress chart for Zoë Ковалёва. Mastery by topic: The Thaw 100%, The Secret Speech 50%, ' +
        'Hungarian Revolution of 1956 25%, Оттепель 0%. Last 30 days: 69 right of 100 answers on 25 days; ' +
        'best day 19 Feb with 6 right.',
    );
  });
});
