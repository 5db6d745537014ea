/**
 * The content maintainers' report of disputed questions: every open and accepted report across
 * servers, grouped by question id, as Markdown. Reporters' names are left out; their texts are
 * shown as inline code, so nothing in them formats or links.
 */
import { sourceLabel } from '../content/cards.ts';
import type { ContentIndex } from '../content/index.ts';
import { inertText } from '../core/inert.ts';
import type { Dispute } from '../store/ports.ts';
import { REASONS } from './reasons.ts';

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function disputesMarkdown(
  reports: readonly Dispute[],
  content: ContentIndex,
  generatedAt: Date,
): string {
  const byQuestion = new Map<string, Dispute[]>();
  for (const d of reports) byQuestion.set(d.questionId, [...(byQuestion.get(d.questionId) ?? []), d]);
  const open = reports.filter((d) => d.status === 'open').length;
  const lines = [
    '# Disputed questions',
    '',
    `Generated ${generatedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC: ${count(open, 'open report')} and ${count(reports.length - open, 'accepted report')} on ${count(byQuestion.size, 'question')}.`,
  ];
  if (byQuestion.size === 0) lines.push('', 'No open or accepted reports.');
  const ids = [...byQuestion.keys()].sort((a, b) => a.localeCompare(b));
  for (const id of ids) {
    const group = byQuestion.get(id) ?? [];
    const q = content.question(id);
    lines.push('', `## ${id}`, '');
    if (q) {
      lines.push(`- Question: ${q.question}`, `- Answer: ${q.correct}`);
      lines.push(
        `- Sources: ${q.sources.map((s) => (s.url ? `${sourceLabel(s)} <${s.url}>` : sourceLabel(s))).join('; ')}`,
      );
    } else lines.push('- Not in the content any more.');
    const reasons = REASONS.map((r) => [r.label, group.filter((d) => d.reason === r.value).length] as const)
      .filter(([, n]) => n > 0)
      .map(([label, n]) => `${label} ${n}`);
    const status = (s: Dispute['status']) => group.filter((d) => d.status === s).length;
    lines.push(`- Reports: ${status('open')} open, ${status('accepted')} accepted; ${reasons.join(', ')}`);
    const servers = new Map<string, number>();
    for (const d of group)
      servers.set(`${d.platform}:${d.workspaceId}`, (servers.get(`${d.platform}:${d.workspaceId}`) ?? 0) + 1);
    lines.push(`- Servers: ${[...servers].map(([s, n]) => `${s} (${n})`).join(', ')}`);
    lines.push('', '| Date | Server | Status | Reason | Text |', '| --- | --- | --- | --- | --- |');
    for (const d of group) {
      const reason = REASONS.find((r) => r.value === d.reason)?.label ?? d.reason;
      // A table cell: pipes would end it.
      const text = d.text ? inertText(d.text).replace(/\|/g, '/') : '';
      lines.push(
        `| ${d.createdAt.slice(0, 10)} | ${d.platform}:${d.workspaceId} | ${d.status} | ${reason} | ${text} |`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
