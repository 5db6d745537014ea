/** Per learner and topic activity over a period (exports), on the document engine. */
import type { ActivityQuery, TopicActivity, WorkspaceRef } from '../ports.ts';
import type { Learner } from '../schema.ts';

export function activityOf(
  learners: readonly Learner[],
  ws: WorkspaceRef,
  query: ActivityQuery,
): TopicActivity[] {
  const from = query.from.getTime();
  const to = query.to.getTime();
  const fromIso = query.from.toISOString();
  const toIso = query.to.toISOString();
  const rows: TopicActivity[] = [];
  for (const learner of learners) {
    if (learner.platform !== ws.platform || learner.workspaceId !== ws.workspaceId) continue;
    const byTopic = new Map<string, TopicActivity>();
    for (const entry of learner.log) {
      if (!inPeriod(entry.at, from, to, fromIso, toIso)) continue;
      for (const topic of query.topicsOf.get(entry.questionId) ?? []) {
        let row = byTopic.get(topic);
        if (!row) {
          row = { userId: learner.userId, topic, answered: 0, correct: 0, lastAt: entry.at, mastered: 0 };
          byTopic.set(topic, row);
        }
        row.answered++;
        if (entry.correct) row.correct++;
        if (Date.parse(entry.at) > Date.parse(row.lastAt)) row.lastAt = entry.at;
      }
    }
    if (byTopic.size === 0) continue;
    for (const card of Object.values(learner.cards)) {
      if (card.stability < query.masteredDays) continue;
      for (const topic of query.topicsOf.get(card.questionId) ?? []) {
        const row = byTopic.get(topic);
        if (row) row.mastered++;
      }
    }
    for (const row of byTopic.values()) rows.push({ ...row, lastAt: new Date(row.lastAt).toISOString() });
  }
  return rows.sort((a, b) => byCode(a.userId, b.userId) || byCode(a.topic, b.topic));
}

/** UTC ISO text (what the repository writes) compares as text, which is much faster than parsing 100,000s of times. */
function inPeriod(at: string, from: number, to: number, fromIso: string, toIso: string): boolean {
  if (at.length === 24 && at.endsWith('Z')) return at >= fromIso && at < toIso;
  const ms = Date.parse(at);
  return ms >= from && ms < to;
}

function byCode(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
