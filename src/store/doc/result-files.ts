/**
 * Finished games, leaderboards and players' records on files: three folders of small files
 * (`games/`, `boards/`, `players/` in `thawbot.results/`), so a finished game writes its own file,
 * its two leaderboards and its players' records, never every finished game.
 */
import path from 'node:path';
import pLimit from 'p-limit';
import { z } from 'zod';
import { StoreError } from '../errors.ts';
import { resultKey, scoreKey, userKey } from '../keys.ts';
import { resultSchema, scoreBoardSchema, studyRecordSchema } from '../schema.ts';
import { type Doc, isThenable, notSynchronous } from './doc.ts';
import { journalRefSchema } from './journal.ts';
import { KeyedFiles, type KeyedFilesOptions, type KeyedFilesSpec } from './keyed-files.ts';
import { type GameEffect, gameEffects, type ResultsData, type TopicsOf } from './result-effects.ts';

const text = z.string();

/**
 * A finished game stored but not yet counted everywhere: the topics of its questions (so the
 * counting can be finished on the next start without the question library).
 */
const pendingSchema = z.object({ topics: z.record(text, z.array(text)) });

/** Finished games whose effect this leaderboard or record holds, while those games may be pending. */
const markers = z.array(text).optional();

export const resultFileSchema = z.object({
  version: z.literal(1),
  result: resultSchema,
  pending: pendingSchema.optional(),
});
export const boardFileSchema = z.object({ version: z.literal(1), board: scoreBoardSchema, games: markers });
export const playerFileSchema = z.object({
  version: z.literal(1),
  player: studyRecordSchema,
  games: markers,
  journal: journalRefSchema.optional(),
});

export type ResultsPart = 'results' | 'scores' | 'study';

/** Each collection of the results document, the folder it is kept in and how one file is laid out. */
export const RESULT_PARTS = {
  results: {
    folder: 'games',
    spec: {
      field: 'results',
      entry: 'result',
      schema: resultFileSchema,
      keyOf: (r) => resultKey(r.channel, r.id),
      what: 'a finished game',
    } satisfies KeyedFilesSpec<ResultsData['results'][string]>,
  },
  scores: {
    folder: 'boards',
    spec: {
      field: 'scores',
      entry: 'board',
      schema: boardFileSchema,
      keyOf: (b) => scoreKey(b, b.period),
      what: 'a leaderboard',
    } satisfies KeyedFilesSpec<ResultsData['scores'][string]>,
  },
  study: {
    folder: 'players',
    spec: {
      field: 'study',
      entry: 'player',
      schema: playerFileSchema,
      keyOf: (r) => userKey(r, r.userId),
      what: "a player's record",
      journal: 'history',
    } satisfies KeyedFilesSpec<ResultsData['study'][string]>,
  },
} as const;
export const PARTS = Object.keys(RESULT_PARTS) as ResultsPart[];

/**
 * What memory keeps of a finished game held on disk only: what picking the next questions needs
 * (the channel is in its key).
 */
export interface GameSummary {
  endedAt: string;
  questionIds: string[];
}

export function gameSummary(result: ResultsData['results'][string]): GameSummary {
  return { endedAt: result.endedAt, questionIds: result.rounds.map((r) => r.questionId) };
}

/** What each file held beside its record, by part and key (pending games, markers). */
export type ResultExtras = Record<ResultsPart, Record<string, Record<string, unknown>>>;

/**
 * The results document over three folders. Changes not scoped to keys (prune, forgetting a server,
 * a load) write every file that differs from disk; a finished game is stored in three steps that
 * a crash or a failed write can interrupt anywhere and a retry (or the next start) finishes:
 * 1. its file, marked pending with its questions' topics;
 * 2. each leaderboard and player's record it counts in, each marked with the game;
 * 3. its file again, no longer pending.
 * A record marked with a pending game already holds its effect, so finishing never counts twice.
 *
 * A finished game, once counted, is held on disk only: `read().results` has the games being
 * stored (and any read back for a change), and memory keeps a `GameSummary` of each other game.
 * Whatever needs whole games reads them back with `withGames`.
 */
export class ResultFiles implements Doc<ResultsData> {
  private readonly data: ResultsData = { version: 1, results: {}, scores: {}, study: {} };
  readonly parts: Record<ResultsPart, KeyedFiles<ResultsData, unknown>>;
  private readonly running = new Map<string, Promise<boolean>>();
  /**
   * The boards' and players' writes of finished games, a few at a time: 20 games ending together
   * would otherwise queue some 700 durable writes in Node's file thread pool ahead of the answers
   * of the games still running. Ending a game is not what a click waits for.
   */
  private readonly countWrites = pLimit(2);
  private closed = false;

  constructor(
    readonly dir: string,
    options: Omit<KeyedFilesOptions, 'dir'>,
    records: Omit<ResultsData, 'version'>,
    extras: Partial<ResultExtras> = {},
    cold: Record<string, GameSummary> = {},
  ) {
    this.parts = Object.fromEntries(
      PARTS.map((part) => {
        const { folder, spec } = RESULT_PARTS[part];
        const files = new KeyedFiles<ResultsData, unknown>(
          { ...options, dir: path.join(dir, folder) },
          spec as KeyedFilesSpec<unknown>,
          records[part],
          this.data,
        );
        for (const [key, extra] of Object.entries(extras[part] ?? {})) files.setExtra(key, extra);
        return [part, files];
      }),
    ) as Record<ResultsPart, KeyedFiles<ResultsData, unknown>>;
    const games = this.parts.results;
    games.keepCold((record) => gameSummary(record as ResultsData['results'][string]));
    for (const [key, summary] of Object.entries(cold)) games.setCold(key, summary);
  }

  read(): ResultsData {
    return this.data;
  }

  /**
   * A change of the whole document sees every finished game: with games held on disk only and no
   * `withGames` running, they are read back first, so `fn` then runs once they are (not at once).
   */
  update<R>(fn: (data: ResultsData) => R): Promise<R> {
    if (this.closed) return Promise.reject(closedError());
    if (this.parts.results.coldCount > 0 && !this.parts.results.held)
      return this.withGames(() => this.update(fn));
    const before = PARTS.map((part) => this.parts[part].before());
    let result: R;
    try {
      result = fn(this.data);
    } catch (error) {
      return Promise.reject(error);
    }
    if (isThenable(result)) return Promise.reject(notSynchronous());
    return Promise.all(
      PARTS.map((part, i) => this.parts[part].writeSince(before[i] as Map<string, unknown>)),
    ).then(() => result);
  }

  /** As `update`, for a change of one record of one part (a player's answer outside a game). */
  updateKey<R>(part: ResultsPart, key: string, fn: (data: ResultsData) => R): Promise<R> {
    return this.parts[part].updateKey(key, fn);
  }

  /** Whether a finished game is stored but not yet counted everywhere (or is being stored). */
  isPending(key: string): boolean {
    return this.parts.results.extraOf(key)?.pending !== undefined;
  }

  /** Whether the finished game is stored (in memory or on disk only), pending or not. */
  hasGame(key: string): boolean {
    return this.parts.results.holdsKey(key);
  }

  /** Every finished game's key. */
  gameKeys(): string[] {
    return [...Object.keys(this.data.results), ...[...this.parts.results.coldEntries()].map(([k]) => k)];
  }

  /** The summary of each finished game whose key starts with `prefix`, in memory or not. */
  gameSummaries(prefix: string): GameSummary[] {
    const found: GameSummary[] = [];
    for (const [key, result] of Object.entries(this.data.results))
      if (key.startsWith(prefix)) found.push(gameSummary(result));
    for (const [key, summary] of this.parts.results.coldEntries())
      if (key.startsWith(prefix)) found.push(summary as GameSummary);
    return found;
  }

  /** How many finished games are held on disk only. */
  get coldGames(): number {
    return this.parts.results.coldCount;
  }

  /**
   * Runs `fn` with the finished games that `which` picks (every game without it) read back into
   * `read().results`; once it ends (its writes awaited) and nothing else holds them, they are held
   * on disk only again. A game whose file cannot be read rejects, never reads as missing.
   */
  async withGames<R>(
    fn: () => R | Promise<R>,
    which?: (key: string, summary: GameSummary) => boolean,
  ): Promise<R> {
    try {
      return await this.parts.results.withHydrated(
        fn,
        which && ((key, summary) => which(key, summary as GameSummary)),
      );
    } finally {
      this.evictGames();
    }
  }

  /** Drops from memory every finished game that is on disk as it is and is not being stored. */
  private evictGames(): void {
    const games = this.parts.results;
    if (games.held) return;
    for (const key of Object.keys(this.data.results)) if (!this.running.has(key)) games.evict(key);
  }

  /** Stores a finished game and counts it (see the class): false if it was stored before. */
  async recordGame(result: ResultsData['results'][string], topicsOf: TopicsOf): Promise<boolean> {
    const key = resultKey(result.channel, result.id);
    for (let other = this.running.get(key); other; other = this.running.get(key)) {
      // Another call is storing it: that one wins if it succeeds, else this one tries.
      if (
        await other.then(
          () => true,
          () => false,
        )
      )
        return false;
    }
    if (this.closed) throw closedError();
    if (this.hasGame(key) && !this.isPending(key)) return false;
    const run = this.store(key, result, topicsOf);
    this.running.set(key, run);
    try {
      return await run;
    } finally {
      if (this.running.get(key) === run) this.running.delete(key);
      // Counted: the game is held on disk only (a pending one stays, its file marked).
      if (!this.running.has(key)) this.parts.results.evict(key);
    }
  }

  /** Finishes every game a crash or a failed write left pending (on start). */
  async finishPending(): Promise<number> {
    const pending = Object.keys(this.data.results).filter((key) => this.isPending(key));
    for (const key of pending)
      await this.recordGame(this.data.results[key] as ResultsData['results'][string], () => []);
    return pending.length;
  }

  private async store(
    key: string,
    fresh: ResultsData['results'][string],
    topicsOf: TopicsOf,
  ): Promise<boolean> {
    const games = this.parts.results;
    let pending = games.extraOf(key)?.pending as { topics: Record<string, string[]> } | undefined;
    if (!this.hasGame(key)) {
      pending = { topics: topicsByQuestion(fresh, topicsOf) };
      const stored = pending;
      await games.updateKey(key, (data) => {
        data.results[key] = fresh;
        games.setExtra(key, { pending: stored });
      });
    }
    const result = this.data.results[key];
    // Deleted since its first step (forget-server, forget-me, retention): those came after the game
    // was stored, so nothing of it is counted now, which would bring forgotten data back.
    if (!result) return true;
    const topics = pending?.topics ?? {};
    const effects = gameEffects(result, (id) => topics[id] ?? []);
    const targets = uniqueTargets(effects);
    const lacking = new Set(targets.filter(([part, k]) => !this.marked(part, k, key)).map(targetId));
    for (const effect of effects)
      if (lacking.has(targetId([effect.part, effect.key]))) effect.apply(this.data);
    for (const [part, k] of targets) {
      if (!lacking.has(targetId([part, k]))) continue;
      // Markers of games counted since are dropped here, so a file holds at most those still pending.
      const kept = this.markers(part, k).filter((g) => this.isPending(g) && g !== key);
      this.parts[part].setExtra(k, { games: [...kept, key] });
    }
    const written = await Promise.allSettled(
      targets.map(([part, k]) => this.countWrites(() => this.parts[part].writeKeys([k]))),
    );
    const failed = written.find((w): w is PromiseRejectedResult => w.status === 'rejected');
    if (failed) throw failed.reason;
    // Its markers stay (memory as on disk, so no file looks changed) until their file's next count.
    await games.updateKey(key, () => games.setExtra(key, undefined));
    // The backup rolled after the pending write: restored, it would count the game again.
    await games.rollBackup(key);
    return true;
  }

  private marked(part: ResultsPart, key: string, game: string): boolean {
    return this.markers(part, key).includes(game);
  }

  private markers(part: ResultsPart, key: string): string[] {
    return (this.parts[part].extraOf(key)?.games as string[] | undefined) ?? [];
  }

  /**
   * Writes every record in memory (on open: proves the folders writable and settles recoveries);
   * then the finished games in memory not pending are held on disk only.
   */
  async writeAll(): Promise<void> {
    await Promise.all(PARTS.map((part) => this.parts[part].writeAll()));
    this.evictGames();
  }

  async backup(): Promise<void> {
    for (const part of PARTS) await this.parts[part].backup();
  }

  /** Also waits for games being stored: each is applied once its first step has started. */
  async flush(): Promise<void> {
    await Promise.allSettled(this.running.values());
    await Promise.all(PARTS.map((part) => this.parts[part].flush()));
  }

  async close(): Promise<void> {
    this.closed = true;
    // A game being stored finishes first (its steps may not be cut off by closing the folders).
    await Promise.allSettled(this.running.values());
    const closed = await Promise.allSettled(PARTS.map((part) => this.parts[part].close()));
    const failed = closed.find((c): c is PromiseRejectedResult => c.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** The three folders' write counts together. */
  get stats(): KeyedFiles<ResultsData, unknown>['stats'] {
    const all = PARTS.map((part) => this.parts[part].stats);
    return {
      writes: all.reduce((n, s) => n + s.writes, 0),
      failedWrites: all.reduce((n, s) => n + s.failedWrites, 0),
      bytesWritten: all.reduce((n, s) => n + s.bytesWritten, 0),
      backups: all.reduce((n, s) => n + s.backups, 0),
      lastWriteMs: Math.max(...all.map((s) => s.lastWriteMs)),
    };
  }
}

/** Each question's topics, as the game is stored (so counting can finish after a restart). */
function topicsByQuestion(
  result: ResultsData['results'][string],
  topicsOf: TopicsOf,
): Record<string, string[]> {
  return Object.fromEntries(result.rounds.map((r) => [r.questionId, [...topicsOf(r.questionId)]]));
}

type Target = [part: 'scores' | 'study', key: string];

function uniqueTargets(effects: readonly GameEffect[]): Target[] {
  const seen = new Map<string, Target>();
  for (const e of effects) seen.set(targetId([e.part, e.key]), [e.part, e.key]);
  return [...seen.values()];
}

function targetId([part, key]: Target): string {
  return `${part}\u0000${key}`;
}

/**
 * Runs `fn` with the finished games `which` picks (all without it) in `doc.read().results`: read
 * back from disk on files (see `ResultFiles.withGames`), always there in memory.
 */
export function withGames<R>(
  doc: Doc<ResultsData>,
  fn: () => R | Promise<R>,
  which?: (key: string, summary: GameSummary) => boolean,
): Promise<R> {
  if (doc instanceof ResultFiles) return doc.withGames(fn, which);
  return Promise.resolve().then(fn);
}

/** Every finished game's key, whether its game is in memory or on disk only. */
export function gameKeysOf(doc: Doc<ResultsData>): string[] {
  return doc instanceof ResultFiles ? doc.gameKeys() : Object.keys(doc.read().results);
}

function closedError(): StoreError {
  return new StoreError('closed', 'The store is closed: the bot is shutting down.');
}
