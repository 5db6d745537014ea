/**
 * Finished games on files are held on disk only once counted: memory keeps a summary of each, and
 * every read and change gives the answers it gives with every game in memory (the memory engine).
 */
import { existsSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChannelRef } from '../../src/core/platform.ts';
import { type DocStorage, memoryStorage } from '../../src/store/doc/index.ts';
import type { ResultFiles } from '../../src/store/doc/result-files.ts';
import { openFileStorage } from '../../src/store/open.ts';
import { resultsDirFor } from '../../src/store/open-results.ts';
import type { QuizResult } from '../../src/store/schema.ts';
import { answerBy, channelOf, recordingLogger, resultFor, tempDir } from './helpers.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const NOW = new Date('2026-11-26T12:00:00.000Z');
const WS = { platform: 'discord', workspaceId: 'g1' } as const;
const OTHER = { platform: 'discord', workspaceId: 'g2' } as const;
const C1 = channelOf('g1', 'c1');
const C2 = channelOf('g1', 'c2');
const C3 = channelOf('g2', 'c3');
const topics = (id: string) => [`topic-${id}`];

/** A finished game of three rounds (questions `${id}-q1..3`), each player answering each. */
function game(channel: ChannelRef, id: string, endedAt: string, userIds: string[]): QuizResult {
  const base = resultFor(
    channel,
    id,
    endedAt,
    userIds.map((userId, i) => ({ userId, points: 10 + i, correct: 1 })),
  );
  return {
    ...base,
    rounds: [1, 2, 3].map((n) => ({
      questionId: `${id}-q${n}`,
      answers: userIds.map((u) => answerBy(u, endedAt, { correct: n === 1 })),
    })),
  };
}

/** Games in two workspaces, over months: ana and bob in several; the oldest past retention (180 days). */
const GAMES: QuizResult[] = [
  game(C1, 'a', '2026-03-01T10:00:00.000Z', ['ana', 'bob']),
  game(C1, 'b', '2026-10-01T10:00:00.000Z', ['ana']),
  game(C1, 'c', '2026-11-20T10:00:00.000Z', ['bob', 'cy']),
  game(C1, 'd', '2026-11-21T10:00:00.000Z', ['ana', 'cy']),
  game(C2, 'e', '2026-04-01T10:00:00.000Z', ['bob']),
  game(C2, 'f', '2026-11-25T10:00:00.000Z', ['ana', 'bob', 'cy']),
  game(C3, 'g', '2026-11-22T10:00:00.000Z', ['ana']),
];

function setup() {
  const t = tempDir('thawbot-cold-');
  cleanups.push(t.cleanup);
  return t;
}

async function openFiles(file: string): Promise<DocStorage> {
  const storage = await openFileStorage({ file, log: recordingLogger(), now: () => NOW });
  cleanups.push(() => storage.close());
  return storage;
}

async function recordAll(storage: DocStorage): Promise<void> {
  for (const g of GAMES) expect(await storage.results.record(g, topics)).toBe(true);
}

/** The finished games held in memory, and those held on disk only. */
function held(storage: DocStorage): { inMemory: number; onDiskOnly: number } {
  const doc = storage.docs.results as ResultFiles;
  return { inMemory: Object.keys(doc.read().results).length, onDiskOnly: doc.coldGames };
}

/** Every read of finished games the repositories offer. */
async function reads(storage: DocStorage) {
  const has: Record<string, boolean> = {};
  for (const g of [...GAMES, game(C1, 'never', NOW.toISOString(), [])])
    has[`${g.channel.channelId}:${g.id}`] = await storage.results.has(g.channel, g.id);
  const recent: Record<string, string[]> = {};
  for (const ch of [C1, C2, C3])
    for (const n of [1, 2, 10])
      recent[`${ch.channelId}/${n}`] = await storage.results.recentQuestionIds(ch, n);
  const data: Record<string, unknown> = {};
  for (const ws of [WS, OTHER])
    for (const user of ['ana', 'bob', 'cy', 'nobody'])
      data[`${ws.workspaceId}/${user}`] = await storage.results.learnerData(ws, user);
  return {
    has,
    recent,
    data,
    board: await storage.results.leaderboard(WS, 'all', 10),
    footprint: [await storage.workspaces.footprint(WS), await storage.workspaces.footprint(OTHER)],
    ids: (await storage.workspaces.storedIds('discord')).sort(),
  };
}

async function memoryWithGames(): Promise<DocStorage> {
  const storage = memoryStorage();
  await recordAll(storage);
  return storage;
}

const gameFiles = (file: string) =>
  readdirSync(path.join(resultsDirFor(file), 'games'))
    .filter((f) => f.endsWith('.json'))
    .sort();

describe('finished games held on disk only', () => {
  it('keeps no finished game in memory once counted, and reads as the memory engine does, also after a reopen', async () => {
    const { file } = setup();
    const storage = await openFiles(file);
    await recordAll(storage);
    expect(held(storage)).toEqual({ inMemory: 0, onDiskOnly: GAMES.length });

    const expected = await reads(await memoryWithGames());
    expect(expected.recent['c1/2']).toEqual(['d-q1', 'd-q2', 'd-q3', 'c-q1', 'c-q2', 'c-q3']);
    expect(await reads(storage)).toEqual(expected);
    // Reading them back for my-data does not keep them in memory.
    expect(held(storage)).toEqual({ inMemory: 0, onDiskOnly: GAMES.length });
    // Stored already, though only on disk: not stored or counted again.
    expect(await storage.results.record(GAMES[2] as QuizResult, topics)).toBe(false);
    expect(await reads(storage)).toEqual(expected);

    await storage.close();
    const again = await openFiles(file);
    expect(held(again)).toEqual({ inMemory: 0, onDiskOnly: GAMES.length });
    expect(await reads(again)).toEqual(expected);
    expect(await again.results.record(GAMES[0] as QuizResult, topics)).toBe(false);
    expect((await again.results.leaderboard(WS, 'all', 10)).map((r) => r.games)).toEqual(
      expected.board.map((r) => r.games),
    );
  });

  it('forgetting a person rewrites the games on disk without them and drops them from memory again', async () => {
    const { file } = setup();
    const storage = await openFiles(file);
    await recordAll(storage);
    const memory = await memoryWithGames();

    expect(await storage.results.forgetLearner(WS, 'ana')).toBe(true);
    expect(await memory.results.forgetLearner(WS, 'ana')).toBe(true);
    expect(held(storage)).toEqual({ inMemory: 0, onDiskOnly: GAMES.length });
    expect(await storage.results.learnerData(WS, 'ana')).toEqual({});
    expect(await reads(storage)).toEqual(await reads(memory));
    // Neither the files of the workspace's games nor their backups name her; the other workspace's game does.
    const dir = path.join(resultsDirFor(file), 'games');
    for (const name of readdirSync(dir)) {
      const text = readFileSync(path.join(dir, name), 'utf8');
      expect(text.includes('"ana"'), name).toBe(name.includes('g2'));
    }
    expect(await storage.results.forgetLearner(WS, 'ana')).toBe(false);

    await storage.close();
    const again = await openFiles(file);
    expect(held(again)).toEqual({ inMemory: 0, onDiskOnly: GAMES.length });
    expect(await reads(again)).toEqual(await reads(memory));
  });

  it('prune deletes the files of the games past retention and leaves the rest on disk only', async () => {
    const { file } = setup();
    const storage = await openFiles(file);
    await recordAll(storage);
    const memory = await memoryWithGames();

    const report = await storage.prune(NOW);
    expect(report).toEqual(await memory.prune(NOW));
    expect(report.quizResults).toBe(2);
    expect(held(storage)).toEqual({ inMemory: 0, onDiskOnly: GAMES.length - 2 });
    expect(gameFiles(file)).not.toContain('discord%3Ag1%3Ac1%3Aa.json');
    expect(gameFiles(file)).not.toContain('discord%3Ag1%3Ac2%3Ae.json');
    expect(gameFiles(file)).toHaveLength(GAMES.length - 2);
    expect(await reads(storage)).toEqual(await reads(memory));
    // Nothing more to prune: no write.
    expect((await storage.prune(NOW)).quizResults).toBe(0);

    await storage.close();
    const again = await openFiles(file);
    expect(held(again)).toEqual({ inMemory: 0, onDiskOnly: GAMES.length - 2 });
    expect(await reads(again)).toEqual(await reads(memory));
  });

  it('forgetting a server deletes its games on disk only', async () => {
    const { file } = setup();
    const storage = await openFiles(file);
    await recordAll(storage);
    const memory = await memoryWithGames();

    const report = await storage.workspaces.forget(WS);
    expect(report).toEqual(await memory.workspaces.forget(WS));
    expect(report.quizResults).toBe(6);
    expect(gameFiles(file)).toEqual(['discord%3Ag2%3Ac3%3Ag.json']);
    expect(held(storage)).toEqual({ inMemory: 0, onDiskOnly: 1 });
    expect(await reads(storage)).toEqual(await reads(memory));

    await storage.close();
    const again = await openFiles(file);
    expect(await reads(again)).toEqual(await reads(memory));
  });

  it('a copy holds every game, a load replaces the games on disk only, and refuses over them without replace', async () => {
    const source = setup();
    const storage = await openFiles(source.file);
    await recordAll(storage);
    const memory = await memoryWithGames();
    const dump = await storage.dump();
    expect(dump).toEqual(await memory.dump());
    expect(Object.keys(dump.results.results)).toHaveLength(GAMES.length);
    expect(held(storage)).toEqual({ inMemory: 0, onDiskOnly: GAMES.length });

    // A target holding only games on disk is not empty.
    const target = setup();
    const other = await openFiles(target.file);
    await other.results.record(game(C2, 'old', '2026-11-01T10:00:00.000Z', ['zed']), topics);
    expect(held(other)).toEqual({ inMemory: 0, onDiskOnly: 1 });
    await expect(other.load(dump)).rejects.toMatchObject({ code: 'not-empty' });
    await other.load(dump, { replace: true });
    expect(gameFiles(target.file)).toEqual(gameFiles(source.file));
    expect(held(other)).toEqual({ inMemory: 0, onDiskOnly: GAMES.length });
    expect(await other.dump()).toEqual(dump);
    expect(await reads(other)).toEqual(await reads(memory));

    await other.close();
    const again = await openFiles(target.file);
    expect(await again.dump()).toEqual(dump);
    expect(await reads(again)).toEqual(await reads(memory));
  });

  it('reads back and changes racing each other and new games end with the same answers and nothing in memory', async () => {
    const { file } = setup();
    const storage = await openFiles(file);
    const memory = memoryStorage();
    // The games past retention are stored first: prune deleting a game while it is being stored
    // is not what this is about.
    const old = GAMES.filter((g) => g.endedAt < '2026-05');
    const rest = GAMES.filter((g) => !old.includes(g));
    for (const g of old) {
      await storage.results.record(g, topics);
      await memory.results.record(g, topics);
    }
    const run = (s: DocStorage) => [
      ...rest.map((g) => s.results.record(g, topics)),
      s.results.learnerData(WS, 'ana'),
      s.results.forgetLearner(WS, 'cy'),
      s.prune(NOW),
      s.results.learnerData(WS, 'bob'),
      s.dump(),
    ];
    const [onFiles, inMemory] = [await Promise.all(run(storage)), await Promise.all(run(memory))];
    // Started together: each saw the games the memory engine saw at the same point.
    expect(onFiles.length).toBe(inMemory.length);
    await storage.flush();
    expect(held(storage)).toEqual({ inMemory: 0, onDiskOnly: GAMES.length - 2 });
    // Games counted concurrently may be counted in another order (a record's history, a board's
    // updatedAt): the games themselves and what is read of them compare.
    const compared = async (s: DocStorage) => {
      const { has, recent, footprint, ids } = await reads(s);
      return { has, recent, footprint, ids };
    };
    expect(await compared(storage)).toEqual(await compared(memory));
    expect((await storage.dump()).results.results).toEqual((await memory.dump()).results.results);
  });

  it('a game file that cannot be read back fails the read instead of leaving the game out', async () => {
    const { file } = setup();
    const storage = await openFiles(file);
    await recordAll(storage);
    writeFileSync(path.join(resultsDirFor(file), 'games', 'discord%3Ag1%3Ac1%3Ab.json'), '{ not json');
    await expect(storage.results.learnerData(WS, 'ana')).rejects.toMatchObject({ code: 'corrupt' });
    await expect(storage.results.forgetLearner(WS, 'ana')).rejects.toMatchObject({ code: 'corrupt' });
    await expect(storage.dump()).rejects.toMatchObject({ code: 'corrupt' });
    // The games read back meanwhile are on disk only again; the others read as before.
    expect(held(storage)).toEqual({ inMemory: 0, onDiskOnly: GAMES.length });
    expect(await storage.results.has(C1, 'b')).toBe(true);
    expect(await storage.results.learnerData(OTHER, 'ana')).toMatchObject({
      finishedGames: [{ gameId: 'g' }],
    });
  });

  it('a start reads every game but rewrites none of the finished ones', async () => {
    const { dir, file } = setup();
    const storage = await openFiles(file);
    await recordAll(storage);
    await storage.close();
    const games = path.join(resultsDirFor(file), 'games');
    for (const name of readdirSync(games)) utimesSync(path.join(games, name), 946684800, 946684800);

    const again = await openFiles(file);
    const rewritten = readdirSync(games).filter((f) => statSync(path.join(games, f)).mtimeMs > 946684800_000);
    expect(rewritten).toEqual([]);
    expect(held(again)).toEqual({ inMemory: 0, onDiskOnly: GAMES.length });
    expect(existsSync(path.join(dir, 'thawbot.results', 'games'))).toBe(true);
  });
});

describe('a game deleted while it is being stored', () => {
  it('is not counted once forget-server or retention has removed it, and nothing of it comes back', async () => {
    const { file } = setup();
    const storage = await openFiles(file);
    const memory = memoryStorage();
    // Each deletion starts once the game's first step (the game itself, marked pending) is stored.
    const g = GAMES[0] as QuizResult;
    const [recorded, report] = await Promise.all([
      storage.results.record(g, topics),
      storage.workspaces.forget(WS),
    ]);
    expect(recorded).toBe(true);
    await memory.results.record(g, topics);
    expect(report).toEqual(await memory.workspaces.forget(WS));
    await storage.flush();
    // Forgotten as on the memory engine, where the game was stored and counted first.
    expect(await reads(storage)).toEqual(await reads(memory));
    const old = GAMES.find((x) => x.endedAt < '2026-05') as QuizResult;
    const [kept, pruned] = await Promise.all([storage.results.record(old, topics), storage.prune(NOW)]);
    expect(kept).toBe(true);
    expect(pruned.quizResults).toBe(1);
    expect(await storage.results.has(old.channel, old.id)).toBe(false);
    await storage.close();
    const again = await openFiles(file);
    expect(await again.results.has(old.channel, old.id)).toBe(false);
    expect(await again.results.has(g.channel, g.id)).toBe(false);
  });
});
