/** "Assignments finished" for the teacher export: per learner and topic, finished within the period. */
import type { AssignmentsRepo } from '../store/assignments-port.ts';
import type { ExportPeriod } from './period.ts';
import type { AssignmentsFinished } from './progress.ts';

export function assignmentsFinished(
  repo: Pick<AssignmentsRepo, 'inWorkspace' | 'progressOf'>,
): AssignmentsFinished {
  return {
    async finished(ws, period: ExportPeriod) {
      const counts = new Map<string, { userId: string; topic: string; finished: number }>();
      for (const assignment of await repo.inWorkspace(ws)) {
        for (const p of await repo.progressOf(ws, assignment.id)) {
          const at = p.finishedAt ? Date.parse(p.finishedAt) : Number.NaN;
          if (!(at >= period.from.getTime() && at < period.to.getTime())) continue;
          const key = `${p.userId}\n${assignment.topic}`;
          const row = counts.get(key) ?? { userId: p.userId, topic: assignment.topic, finished: 0 };
          row.finished++;
          counts.set(key, row);
        }
      }
      return [...counts.values()];
    },
  };
}
