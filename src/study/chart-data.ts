import { sanitizeInput } from '../core/parse.ts';
import { fitLabel } from '../core/reply.ts';

/** What the progress picture shows; the same data feeds the PNG, its alt text and the text bars. */
export interface ProgressPicture {
  /** Mastery per topic, drawn in this order; at most MAX_TOPICS are drawn. */
  mastery: { topic: string; title: string; share: number /* 0..1 */ }[];
  /** Answers per day. Pass every day of the period (zeros included) so the axis spans it all. */
  days: { date: string /* YYYY-MM-DD */; right: number; total: number }[];
  /** Display name for the title: plain text, never markup. */
  learner: string;
}

export const MAX_TOPICS = 20;
export const MAX_DAYS = 30;
/** Longest topic title drawn or printed; longer ones are cut at a word with an ellipsis. */
export const TITLE_CHARS = 32;
const LEARNER_CHARS = 48;

export interface TopicRow {
  title: string;
  share: number;
}
export interface DayRow {
  date: string;
  right: number;
  total: number;
}
/** The picture's data, cleaned: safe titles, shares in 0..1, whole counts, a gap-free run of days. */
export interface CleanPicture {
  learner: string;
  topics: TopicRow[];
  /** Topics left out beyond MAX_TOPICS. */
  moreTopics: number;
  days: DayRow[];
}

/**
 * Cleans caller data once for every view. Titles lose control and direction characters and
 * backticks (so text bars can sit in a code block) and are cut to TITLE_CHARS; equal titles get a
 * number, since the chart's axis is keyed by title. Bad numbers become 0; bad dates are dropped.
 */
export function cleanPicture(p: ProgressPicture): CleanPicture {
  const used = new Set<string>();
  const topics = p.mastery.slice(0, MAX_TOPICS).map((m) => {
    const base = cleanText(m.title, TITLE_CHARS) || cleanText(m.topic, TITLE_CHARS) || 'Topic';
    let title = base;
    for (let n = 2; used.has(title); n++) title = `${fitLabel(base, TITLE_CHARS - 5)} (${n})`;
    used.add(title);
    return { title, share: clamp01(m.share) };
  });
  return {
    learner: cleanText(p.learner, LEARNER_CHARS) || 'you',
    topics,
    moreTopics: Math.max(0, p.mastery.length - MAX_TOPICS),
    days: cleanDays(p.days),
  };
}

/** True when there is nothing to draw: no topics and no answers in the period. */
export function isEmpty(c: CleanPicture): boolean {
  return c.topics.length === 0 && !c.days.some((d) => d.total > 0);
}

function cleanText(text: unknown, max: number): string {
  if (typeof text !== 'string') return '';
  const plain = sanitizeInput(text.normalize('NFC')).replace(/`/g, "'").replace(/\s+/g, ' ').trim();
  return plain ? fitLabel(plain, max) : '';
}

function clamp01(n: unknown): number {
  return typeof n === 'number' && Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : 0;
}

function count(n: unknown): number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
}

const DAY_MS = 86_400_000;

/** Sums duplicates, fills missing days with zeros between the first and last date, keeps the last MAX_DAYS. */
function cleanDays(days: ProgressPicture['days']): DayRow[] {
  const byDate = new Map<number, DayRow>();
  for (const d of days) {
    const at = parseDay(d.date);
    if (at === undefined) continue;
    const total = count(d.total);
    const right = Math.min(count(d.right), total);
    const row = byDate.get(at) ?? { date: d.date, right: 0, total: 0 };
    row.right += right;
    row.total += total;
    byDate.set(at, row);
  }
  if (byDate.size === 0) return [];
  const last = Math.max(...byDate.keys());
  const first = Math.max(Math.min(...byDate.keys()), last - (MAX_DAYS - 1) * DAY_MS);
  const out: DayRow[] = [];
  for (let at = first; at <= last; at += DAY_MS) {
    out.push(byDate.get(at) ?? { date: new Date(at).toISOString().slice(0, 10), right: 0, total: 0 });
  }
  return out;
}

/** Midnight UTC of a real YYYY-MM-DD date, else undefined ("2026-02-30" is refused). */
function parseDay(date: unknown): number | undefined {
  if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  const at = Date.parse(`${date}T00:00:00Z`);
  return Number.isFinite(at) && new Date(at).toISOString().startsWith(date) ? at : undefined;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2026-03-05" -> "5 Mar", without time zones. */
export function shortDate(date: string): string {
  const [, m, d] = date.split('-');
  return `${Number(d)} ${MONTHS[Number(m) - 1] ?? ''}`;
}

export function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}
