/**
 * Progress picture benchmark: the first (cold) render, which loads vega, vega-lite, resvg and the
 * fonts, then p50/p99 of full PNG renders for a learner with 15 topics and 30 days, against the SVG
 * step alone measured in the same run. Targets: p99 under 300 ms, PNG under 200 KB.
 *
 * `npm run bench -- chart [--runs N]`
 */
import { type ProgressPicture, renderProgressPng, renderProgressSvg } from '../src/study/chart.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : Number.NaN;
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
}

function picture(seed: number): ProgressPicture {
  return {
    learner: `Learner ${seed} Ковалёва`,
    mastery: Array.from({ length: 15 }, (_, i) => ({
      topic: `t${i}`,
      title: `Topic ${i}: Оттепель and the Secret Speech`,
      share: ((i * 7 + seed) % 11) / 10,
    })),
    days: Array.from({ length: 30 }, (_, i) => {
      const total = (i + seed) % 4 === 0 ? 0 : ((i * 3 + seed) % 9) + 1;
      return {
        date: new Date(Date.UTC(2026, 1, 5 + i)).toISOString().slice(0, 10),
        total,
        right: Math.floor(total * (((i + seed) % 5) / 5)),
      };
    }),
  };
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

async function timed(runs: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn(i);
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b);
}

async function main(): Promise<void> {
  const runs = arg('runs', 200);
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  const first = await renderProgressPng(picture(0));
  const cold = performance.now() - t0;
  const rssAfter = process.memoryUsage().rss;
  await timed(20, (i) => renderProgressPng(picture(i))); // warm-up
  const svg = await timed(runs, (i) => renderProgressSvg(picture(i)));
  const png = await timed(runs, (i) => renderProgressPng(picture(i)));
  const f = (n: number) => `${n.toFixed(1)} ms`;
  console.log(`chart: ${runs} renders, 15 topics, 30 days, ${first!.width}x${first!.height} px`);
  console.log(
    `first render (cold, loads the libraries): ${f(cold)}; RSS +${((rssAfter - rss0) / 2 ** 20).toFixed(0)} MiB`,
  );
  console.log(`SVG step alone (baseline): p50 ${f(pct(svg, 50))}, p99 ${f(pct(svg, 99))}`);
  console.log(
    `PNG render:                p50 ${f(pct(png, 50))}, p99 ${f(pct(png, 99))} (target p99 < 300 ms)`,
  );
  console.log(
    `ratio PNG/SVG: p50 ${(pct(png, 50) / pct(svg, 50)).toFixed(2)}x, p99 ${(pct(png, 99) / pct(svg, 99)).toFixed(2)}x`,
  );
  console.log(`PNG size: ${(first!.png.byteLength / 1024).toFixed(1)} KB (target < 200 KB)`);
}

await main();
