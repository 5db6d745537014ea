import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from '../../src/core/log.ts';
import type { ChannelRef, Platform } from '../../src/core/platform.ts';
import { gameFileSchema, keyOfGameFile } from '../../src/store/doc/game-files.ts';
import { type JournalRef, journalPath } from '../../src/store/doc/journal.ts';
import { PARTS, RESULT_PARTS } from '../../src/store/doc/result-files.ts';
import type { Feature, FeatureDocs } from '../../src/store/doc/shapes.ts';
import { studyFileSchema } from '../../src/store/doc/study-files.ts';
import type { StoreError } from '../../src/store/errors.ts';
import { featureFileFor, gamesDirFor, openFileStorage, studyDirFor } from '../../src/store/open.ts';
import { resultsDirFor } from '../../src/store/open-results.ts';
import type {
  Learner,
  QuizAnswer,
  QuizNight,
  QuizResult,
  QuizSession,
  Subscription,
} from '../../src/store/schema.ts';

export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  msg: string;
  fields: Record<string, unknown>;
}

/** A logger that keeps what it is told, so tests can check exactly what was reported. */
export function recordingLogger(): Logger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const make = (bindings: Record<string, unknown>): Logger => {
    const at =
      (level: LogEntry['level']) =>
      (a: string | object, b?: string): void => {
        if (typeof a === 'string') entries.push({ level, msg: a, fields: { ...bindings } });
        else
          entries.push({ level, msg: b ?? '', fields: { ...bindings, ...(a as Record<string, unknown>) } });
      };
    return {
      debug: at('debug'),
      info: at('info'),
      warn: at('warn'),
      error: at('error'),
      child: (more) => make({ ...bindings, ...more }),
    };
  };
  return Object.assign(make({}), { entries });
}

/** A fresh directory under the OS temp dir; `cleanup` removes it. */
export function tempDir(prefix = 'thawbot-store-'): { dir: string; file: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return {
    dir,
    file: path.join(dir, 'thawbot.json'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

// ---- records shaped as the schema wants them -------------------------------------------------

export const ISO = '2026-11-01T10:00:00.000Z';
export const USER = { id: 'u1', displayName: 'Maria' };

export function channelOf(workspaceId = 'g1', channelId = 'c1', platform: Platform = 'discord'): ChannelRef {
  return { platform, workspaceId, channelId };
}

export function subscriptionFor(channel: ChannelRef, extra: Partial<Subscription> = {}): Subscription {
  return {
    channel,
    time: '08:00',
    timezone: 'Europe/Berlin',
    days: 'every',
    createdAt: ISO,
    createdBy: USER,
    ...extra,
  };
}

/** A running game with `rounds` rounds asked so far and no answers yet. */
export function sessionFor(channel: ChannelRef, id = 'game1', rounds = 1, at = ISO): QuizSession {
  return {
    id,
    channel,
    startedBy: USER,
    startedAt: at,
    updatedAt: at,
    mode: 'race',
    seconds: 20,
    questionIds: Array.from({ length: Math.max(rounds, 1) }, (_, i) => `q${i + 1}`),
    current: Math.max(rounds - 1, 0),
    rounds: Array.from({ length: rounds }, (_, i) => ({
      questionId: `q${i + 1}`,
      order: [2, 0, 3, 1],
      shownAt: at,
      answers: {},
    })),
    streaks: {},
  };
}

export function answerBy(userId: string, at = ISO, extra: Partial<QuizAnswer> = {}): QuizAnswer {
  return {
    userId,
    displayName: `Player ${userId}`,
    choice: 1,
    correct: true,
    ms: 1200,
    points: 900,
    at,
    ...extra,
  };
}

/** A finished game whose players each answered every round. */
export function resultFor(
  channel: ChannelRef,
  id: string,
  endedAt: string,
  players: { userId: string; points: number; correct?: number }[] = [],
  extra: Partial<QuizResult> = {},
): QuizResult {
  return {
    id,
    channel,
    startedBy: USER,
    startedAt: endedAt,
    endedAt,
    mode: 'race',
    practice: false,
    stopped: false,
    rounds: [
      {
        questionId: 'q1',
        answers: players.map((p) => answerBy(p.userId, endedAt, { correct: (p.correct ?? 1) > 0 })),
      },
    ],
    players: players.map((p, i) => ({
      userId: p.userId,
      displayName: `Player ${p.userId}`,
      points: p.points,
      correct: p.correct ?? 1,
      answered: 1,
      rank: i + 1,
    })),
    ...extra,
  };
}

export function nightFor(channel: ChannelRef, id = 'n1', runs: QuizNight['runs'] = {}): QuizNight {
  return {
    id,
    channel,
    weekday: 4,
    time: '19:30',
    timezone: 'Europe/Berlin',
    questions: 10,
    seconds: 20,
    createdAt: ISO,
    createdBy: USER,
    runs,
  };
}

/** The StoreError an open is refused with; fails the test if the open succeeds. */
export function openError(file: string): Promise<StoreError> {
  return openFileStorage({ file, log: recordingLogger() }).then(
    async (storage) => {
      await storage.close();
      throw new Error('expected the open to be refused');
    },
    (e: StoreError) => e,
  );
}

/**
 * A feature's JSON as stored on disk (unchecked): its file, or for running games, study records and
 * results the files of their folders (`thawbot.games/`, `thawbot.study/`, `thawbot.results/`)
 * assembled into the document.
 */
/** The entries a record file counts in its journal (doc/journal.ts), read as the store reads them. */
export function journalOnDisk(recordFile: string, ref: JournalRef | undefined): unknown[] {
  if (!ref || ref.bytes === 0) return [];
  const text = readFileSync(journalPath(recordFile, ref.gen)).subarray(0, ref.bytes).toString('utf8');
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as unknown);
}

export function featureOnDisk<F extends Feature>(file: string, feature: F): FeatureDocs[F] {
  if (feature === 'study') {
    const dir = studyDirFor(file);
    if (!existsSync(dir)) throw new Error(`no study folder ${dir}`);
    const learners: FeatureDocs['study']['learners'] = {};
    for (const name of readdirSync(dir)) {
      const key = keyOfGameFile(name);
      if (key === undefined) continue;
      const parsed = studyFileSchema.parse(JSON.parse(readFileSync(path.join(dir, name), 'utf8')));
      learners[key] = {
        ...parsed.learner,
        log: [...journalOnDisk(path.join(dir, name), parsed.journal), ...parsed.learner.log],
      } as Learner;
    }
    return { version: 1, learners } as FeatureDocs[F];
  }
  if (feature === 'results') {
    const doc = { version: 1, results: {}, scores: {}, study: {} } as FeatureDocs['results'];
    for (const part of PARTS) {
      const { folder, spec } = RESULT_PARTS[part];
      const dir = path.join(resultsDirFor(file), folder);
      if (!existsSync(dir)) throw new Error(`no results folder ${dir}`);
      for (const name of readdirSync(dir)) {
        const key = keyOfGameFile(name);
        if (key === undefined) continue;
        const parsed = spec.schema.parse(JSON.parse(readFileSync(path.join(dir, name), 'utf8')));
        const record = (parsed as Record<string, unknown>)[spec.entry] as Record<string, unknown>;
        if (part === 'study') {
          const ref = (parsed as { journal?: JournalRef }).journal;
          record.history = [...journalOnDisk(path.join(dir, name), ref), ...(record.history as unknown[])];
        }
        (doc[part] as Record<string, unknown>)[key] = record;
      }
    }
    return doc as FeatureDocs[F];
  }
  if (feature !== 'games') return JSON.parse(readFileSync(featureFileFor(file, feature), 'utf8'));
  const dir = gamesDirFor(file);
  if (!existsSync(dir)) throw new Error(`no games folder ${dir}`);
  const sessions: FeatureDocs['games']['sessions'] = {};
  for (const name of readdirSync(dir)) {
    const key = keyOfGameFile(name);
    if (key === undefined) continue;
    sessions[key] = gameFileSchema.parse(JSON.parse(readFileSync(path.join(dir, name), 'utf8'))).session;
  }
  return { version: 1, sessions } as FeatureDocs[F];
}
