/** Per learner and topic activity over a period (exports), on the document engine. */
import type { ActivityQuery, TopicActivity, WorkspaceRef } from '../ports.ts';
import type { Learner } from '../schema.ts';

interface Tally {
  answered: number;
  correct: number;
  lastAt: string;
}

export function activityOf(
  learners: readonly Learner[],
  ws: WorkspaceRef,
  query: ActivityQuery,
): TopicActivity[] {
  const period = {
    from: query.from.getTime(),
    to: query.to.getTime(),
    fromIso: query.from.toISOString(),
    toIso: query.to.toISOString(),
  };
  const rows: TopicActivity[] = [];
  for (const learner of learners) {
    if (learner.platform !== ws.platform || learner.workspaceId !== ws.workspaceId) continue;
    // Per question first, then per topic: a term has a few answers per question and a few topics each.
    const byQuestion = new Map<string, Tally>();
    for (const entry of learner.log) {
      if (!inPeriod(entry.at, period)) continue;
      const t = byQuestion.get(entry.questionId);
      if (!t)
        byQuestion.set(entry.questionId, { answered: 1, correct: entry.correct ? 1 : 0, lastAt: entry.at });
      else {
        t.answered++;
        if (entry.correct) t.correct++;
        if (later(entry.at, t.lastAt)) t.lastAt = entry.at;
      }
    }
    const byTopic = new Map<string, TopicActivity>();
    for (const [questionId, t] of byQuestion) {
      for (const topic of query.topicsOf.get(questionId) ?? []) {
        const row = byTopic.get(topic);
        if (!row) byTopic.set(topic, { userId: learner.userId, topic, ...t, mastered: 0 });
        else {
          row.answered += t.answered;
          row.correct += t.correct;
          if (later(t.lastAt, row.lastAt)) row.lastAt = t.lastAt;
        }
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

/** UTC ISO text as the repository writes it ("2026-03-01T10:00:00.000Z") compares as text: no parsing of 100,000s of entries. */
function canonical(at: string): boolean {
  return at.length === 24 && at.endsWith('Z');
}

function inPeriod(at: string, p: { from: number; to: number; fromIso: string; toIso: string }): boolean {
  if (canonical(at)) return at >= p.fromIso && at < p.toIso;
  const ms = Date.parse(at);
  return ms >= p.from && ms < p.to;
}

function later(a: string, b: string): boolean {
  return canonical(a) && canonical(b) ? a > b : Date.parse(a) > Date.parse(b);
}

function byCode(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
