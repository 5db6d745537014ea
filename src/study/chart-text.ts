import {
  type CleanPicture,
  cleanPicture,
  isEmpty,
  type ProgressPicture,
  percent,
  shortDate,
} from './chart-data.ts';

const EMPTY =
  'Nothing to chart yet: answer a few quiz questions or open a topic with /learn, then look again.';
const SPARKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/**
 * The picture as plain text: one bar per topic (`width` characters of █ and ░, 10 to 60) and the
 * days as a sparkline of right answers (· for a day without any). No markup and no backticks, so
 * callers can show it in a code block; monospace keeps the columns aligned.
 */
export function progressTextBars(p: ProgressPicture, width = 20): string {
  const c = cleanPicture(p);
  if (isEmpty(c)) return EMPTY;
  const barWidth = Math.min(60, Math.max(10, Math.floor(Number.isFinite(width) ? width : 20)));
  const lines: string[] = [];
  if (c.topics.length > 0) {
    const pad = Math.max(...c.topics.map((t) => chars(t.title)));
    lines.push('Mastery by topic');
    for (const t of c.topics) {
      const full = Math.round(t.share * barWidth);
      const bar = '█'.repeat(full) + '░'.repeat(barWidth - full);
      lines.push(`${padEnd(t.title, pad)}  ${bar} ${percent(t.share).padStart(4)}`);
    }
    if (c.moreTopics > 0) lines.push(`(${c.moreTopics} more ${c.moreTopics === 1 ? 'topic' : 'topics'})`);
  }
  if (c.days.length > 0) {
    if (lines.length > 0) lines.push('');
    lines.push(daysHeading(c));
    const most = Math.max(1, ...c.days.map((d) => d.right));
    const spark = c.days
      .map((d) => (d.right === 0 ? '·' : SPARKS[Math.ceil((d.right / most) * SPARKS.length) - 1]))
      .join('');
    const first = c.days[0]!.date;
    const last = c.days[c.days.length - 1]!.date;
    lines.push(`${shortDate(first)} ${spark} ${shortDate(last)}`);
  }
  return lines.join('\n');
}

/** The picture in plain sentences, for the image's description and screen readers. */
export function progressAlt(p: ProgressPicture): string {
  const c = cleanPicture(p);
  if (isEmpty(c)) return EMPTY;
  const parts = [`Progress chart for ${c.learner}.`];
  if (c.topics.length > 0) {
    const list = c.topics.map((t) => `${t.title} ${percent(t.share)}`).join(', ');
    const more = c.moreTopics > 0 ? ` and ${c.moreTopics} more` : '';
    parts.push(`Mastery by topic: ${list}${more}.`);
  }
  if (c.days.length > 0) {
    const active = c.days.filter((d) => d.total > 0);
    const best = active.reduce<(typeof active)[number] | undefined>(
      (a, d) => (a === undefined || d.right > a.right ? d : a),
      undefined,
    );
    const bestText =
      best && best.right > 0 ? `; best day ${shortDate(best.date)} with ${best.right} right` : '';
    parts.push(`${daysHeading(c)} on ${active.length} ${active.length === 1 ? 'day' : 'days'}${bestText}.`);
  }
  return parts.join(' ');
}

function daysHeading(c: CleanPicture): string {
  const right = c.days.reduce((n, d) => n + d.right, 0);
  const total = c.days.reduce((n, d) => n + d.total, 0);
  return `Last ${c.days.length} ${c.days.length === 1 ? 'day' : 'days'}: ${right} right of ${total} ${total === 1 ? 'answer' : 'answers'}`;
}

/** Length in characters (code points), so Cyrillic and accented titles pad like Latin ones. */
function chars(text: string): number {
  return Array.from(text).length;
}

function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - chars(text)));
}
