import { userKey } from '../store/keys.ts';
import type { Data, StoredUser, StudyRecord } from '../store/types.ts';

/** A user's study record in a workspace, created on first use, with the display name kept current. */
export function studyRecord(
  data: Data,
  ws: { platform: StudyRecord['platform']; workspaceId: string },
  user: StoredUser,
  at: string,
): StudyRecord {
  const key = userKey(ws, user.id);
  const record = data.study[key] ?? {
    platform: ws.platform,
    workspaceId: ws.workspaceId,
    userId: user.id,
    displayName: user.displayName,
    games: 0,
    practiceGames: 0,
    topics: {},
    history: [],
    updatedAt: at,
  };
  record.displayName = user.displayName;
  record.updatedAt = at;
  data.study[key] = record;
  return record;
}

/** Notes one answered question in a study record: its history and accuracy by topic. */
export function noteAnswer(
  record: StudyRecord,
  answer: { questionId: string; topics: readonly string[]; correct: boolean; at: string; source: string },
): void {
  for (const topic of answer.topics) {
    const t = record.topics[topic] ?? { answered: 0, correct: 0, lastAt: answer.at };
    record.topics[topic] = {
      answered: t.answered + 1,
      correct: t.correct + (answer.correct ? 1 : 0),
      lastAt: answer.at,
    };
  }
  record.history.push({
    questionId: answer.questionId,
    correct: answer.correct,
    at: answer.at,
    source: answer.source,
  });
}
