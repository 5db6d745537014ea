import type { PruneReport } from '../ports.ts';
import {
  DEFAULT_RETENTION,
  dateBefore,
  daysBefore,
  monthsBefore,
  olderThan,
  type RetentionPolicy,
} from '../retention.ts';
import type { StudyEntry, StudyLogEntry } from '../schema.ts';
import type { Doc } from './doc.ts';
import { keysOf, withRecord } from './in-use.ts';
import { listOf, rewriteList } from './lists.ts';
import { withGames } from './result-files.ts';
import type { FeatureDocs } from './shapes.ts';
import type { DocSet } from './workspaces.ts';

/**
 * Removes what is past its retention. What to remove is found on the current state first, and a
 * feature file is written only when something in it goes (an hourly run usually writes nothing).
 */
export async function pruneDocs(
  docs: DocSet,
  now: Date,
  policy: RetentionPolicy = DEFAULT_RETENTION,
): Promise<PruneReport> {
  const oldestDate = dateBefore(now, policy.deliveryDays);
  const deliveries = await pruneIn(docs.daily, (data) => {
    let n = 0;
    for (const [channel, byDate] of Object.entries(data.deliveries)) {
      for (const date of Object.keys(byDate)) {
        if (date >= oldestDate) continue;
        delete byDate[date];
        n++;
      }
      if (Object.keys(byDate).length === 0) delete data.deliveries[channel];
    }
    return { deliveries: n };
  });

  const resultCutoff = daysBefore(now, policy.resultDays);
  const studyCutoff = daysBefore(now, policy.studyDays);
  const oldestMonth = monthsBefore(now, policy.monthlyScoreMonths);
  // On files, only the finished games past retention are read back from disk (by their summaries).
  const results = await withGames(
    docs.results,
    () => pruneIn(docs.results, pruneResults),
    (_, game) => olderThan(game.endedAt, resultCutoff),
  );
  function pruneResults(data: FeatureDocs['results']) {
    const report = { quizResults: 0, scoreBoards: 0 };
    for (const [key, result] of Object.entries(data.results)) {
      if (!olderThan(result.endedAt, resultCutoff)) continue;
      delete data.results[key];
      report.quizResults++;
    }
    for (const [key, board] of Object.entries(data.scores)) {
      if (!/^\d{4}-\d{2}$/.test(board.period) || board.period >= oldestMonth) continue;
      delete data.scores[key];
      report.scoreBoards++;
    }
    return report;
  }

  const sessionCutoff = daysBefore(now, policy.sessionIdleDays);
  const games = await pruneIn(docs.games, (data) => {
    let n = 0;
    for (const [key, session] of Object.entries(data.sessions)) {
      if (!olderThan(session.updatedAt, sessionCutoff)) continue;
      delete data.sessions[key];
      n++;
    }
    return { quizSessions: n };
  });

  const oldestRun = dateBefore(now, policy.nightRunDays);
  const nights = await pruneIn(docs.nights, (data) => {
    let n = 0;
    for (const night of Object.values(data.nights)) {
      for (const date of Object.keys(night.runs)) {
        if (date >= oldestRun) continue;
        delete night.runs[date];
        n++;
      }
    }
    return { nightRuns: n };
  });
  const keepHistory = (history: StudyEntry[]): StudyEntry[] => {
    const recent = history.filter((entry) => !olderThan(entry.at, studyCutoff));
    return policy.studyMaxEntries > 0 ? recent.slice(-policy.studyMaxEntries) : [];
  };
  let studyEntries = 0;
  for (const [key, record] of Object.entries(docs.results.read().study)) {
    const history = await listOf(docs.results, key, record.history);
    const removed = history.length - keepHistory(history).length;
    if (removed === 0) continue;
    studyEntries += removed;
    await rewriteList<FeatureDocs['results'], StudyEntry>(docs.results, key, keepHistory, (data) => {
      const r = data.study[key];
      return r && { list: r.history, set: (list) => (r.history = list) };
    });
  }
  const logCutoff = daysBefore(now, policy.reviewLogDays);
  const keepLog = (log: StudyLogEntry[]): StudyLogEntry[] =>
    log.filter((entry) => !olderThan(entry.at, logCutoff));
  let reviewLogs = 0;
  let reminderClaims = 0;
  // A learner at a time, so those held on disk only are read back one by one.
  for (const key of keysOf(docs.study, (data) => data.learners)) {
    await withRecord(docs.study, key, async () => {
      const learner = docs.study.read().learners[key];
      if (!learner) return;
      const old = Object.keys(learner.reminded).filter((date) => date < oldestDate);
      if (old.length > 0) {
        reminderClaims += old.length;
        await docs.study.updateKey(key, (data) => {
          const l = data.learners[key];
          if (l) for (const date of old) delete l.reminded[date];
        });
      }
      const log = await listOf(docs.study, key, docs.study.read().learners[key]?.log);
      const removed = log.length - keepLog(log).length;
      if (removed === 0) return;
      reviewLogs += removed;
      await rewriteList<FeatureDocs['study'], StudyLogEntry>(docs.study, key, keepLog, (data) => {
        const l = data.learners[key];
        return l && { list: l.log, set: (list) => (l.log = list) };
      });
    });
  }
  const disputeCutoff = daysBefore(now, policy.disputeDays);
  const disputes = await pruneIn(docs.disputes, (data) => {
    let n = 0;
    for (const [key, d] of Object.entries(data.disputes)) {
      if (d.status === 'open' || !d.closedAt || !olderThan(d.closedAt, disputeCutoff)) continue;
      delete data.disputes[key];
      n++;
    }
    return { disputes: n };
  });
  const assignmentCutoff = daysBefore(now, policy.assignmentDays);
  const assignments = await pruneIn(docs.assignments, (data) => {
    let n = 0;
    for (const [key, a] of Object.entries(data.assignments)) {
      if (!olderThan(a.closedAt ?? a.dueAt, assignmentCutoff)) continue;
      delete data.assignments[key];
      for (const pk of Object.keys(data.progress)) if (pk.startsWith(`${key}:`)) delete data.progress[pk];
      n++;
    }
    return { assignments: n };
  });
  return {
    ...deliveries,
    ...results,
    studyEntries,
    ...games,
    ...nights,
    reviewLogs,
    reminderClaims,
    ...assignments,
    ...disputes,
  };
}

/**
 * Runs `prune` on a copy to count, and on the document only when it would remove something. The
 * copy costs memory for a moment but never a write of an unchanged file.
 */
async function pruneIn<T, R extends Record<string, number>>(doc: Doc<T>, prune: (data: T) => R): Promise<R> {
  const counted = prune(structuredClone(doc.read()));
  if (!Object.values(counted).some((n) => n > 0)) return counted;
  return doc.update(prune);
}
