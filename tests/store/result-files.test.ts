/** Finished games, leaderboards and players' records on files: a file each in `thawbot.results/`. */
import {
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyDocs } from '../../src/store/doc/shapes.ts';
import { backupPathFor, featureFileFor, openFileStorage } from '../../src/store/open.ts';
import { resultsDirFor } from '../../src/store/open-results.ts';
import { channelOf, featureOnDisk, recordingLogger, resultFor, tempDir } from './helpers.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const NOW = new Date('2026-11-26T12:00:00.000Z');
const WS = { platform: 'discord', workspaceId: 'g1' } as const;
const C1 = channelOf('g1', 'c1');
const C2 = channelOf('g1', 'c2');
const topics = () => ['thaw'];

function setup() {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t;
}

async function open(file: string, log = recordingLogger()) {
  const storage = await openFileStorage({ file, log, now: () => NOW });
  cleanups.push(() => storage.close());
  return storage;
}

/** Every file under the data folder but the lock, its mtime set back to 2000 so that a rewrite shows. */
function markAll(dir: string): void {
  for (const f of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const full = path.join(dir, f);
    if (statSync(full).isFile() && !f.endsWith('.lock')) utimesSync(full, 946684800, 946684800);
  }
}

/** Files under the data folder written since `markAll` (backups aside). */
function written(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => !f.endsWith('.lock') && !f.endsWith('.bak') && statSync(path.join(dir, f)).isFile())
    .filter((f) => statSync(path.join(dir, f)).mtimeMs > 946684800_000)
    .sort();
}

const inResults = (...names: string[]) => names.map((n) => path.join('thawbot.results', n)).sort();
const GAME = (channel: string, id: string) => `games/discord%3Ag1%3A${channel}%3A${id}.json`;
const BOARD = (period: string) => `boards/discord%3Ag1%3A${period}.json`;
const PLAYER = (user: string) => `players/discord%3Ag1%3A${user}.json`;
/** A player's answer history: lines appended to the journal beside their record. */
const HISTORY = (user: string) => `players/discord%3Ag1%3A${user}.0.jsonl`;

const points = async (storage: Awaited<ReturnType<typeof open>>, period: string) =>
  (await storage.results.leaderboard(WS, period, 10)).map((r) => [r.userId, r.points, r.games]);

describe('a file per finished game, leaderboard and player', () => {
  it('a finished game writes its own file, its two leaderboards and its players, never the other games or players', async () => {
    const { dir, file } = setup();
    const storage = await open(file);
    for (let g = 0; g < 5; g++) {
      const players = Array.from({ length: 4 }, (_, i) => ({ userId: `u${g}${i}`, points: 10 * i }));
      await storage.results.record(resultFor(C1, `old${g}`, '2026-11-20T10:00:00.000Z', players), topics);
    }
    await storage.flush();
    markAll(dir);

    await storage.results.record(
      resultFor(C2, 'new', '2026-11-26T10:00:00.000Z', [
        { userId: 'u00', points: 5 },
        { userId: 'ana', points: 7 },
      ]),
      topics,
    );
    expect(written(dir)).toEqual(
      inResults(
        GAME('c2', 'new'),
        BOARD('2026-11'),
        BOARD('all'),
        PLAYER('u00'),
        HISTORY('u00'),
        PLAYER('ana'),
        HISTORY('ana'),
      ),
    );
    // The bytes written are those of this game and the boards, not of the five finished before.
    const onDisk = JSON.parse(readFileSync(path.join(resultsDirFor(file), GAME('c2', 'new')), 'utf8'));
    const stored = (await storage.dump()).results.results['discord:g1:c2:new'];
    expect(onDisk).toEqual({ version: 1, result: stored });
    expect(onDisk.pending).toBeUndefined();

    // An answer outside a game writes that player's record only.
    markAll(dir);
    await storage.results.noteAnswer(
      WS,
      { id: 'ana', displayName: 'Ana' },
      { questionId: 'q2', topics: ['thaw'], correct: true, at: NOW.toISOString(), source: 'daily' },
    );
    expect(written(dir)).toEqual(inResults(PLAYER('ana'), HISTORY('ana')));

    // A practice game counts in its player's record only.
    markAll(dir);
    await storage.results.record(
      resultFor(C1, 'solo', '2026-11-26T11:00:00.000Z', [{ userId: 'bob', points: 3 }], { practice: true }),
      topics,
    );
    expect(written(dir)).toEqual(inResults(GAME('c1', 'solo'), PLAYER('bob'), HISTORY('bob')));
    expect(await storage.results.record(resultFor(C1, 'solo', '2026-11-26T11:00:00.000Z'), topics)).toBe(
      false,
    );
  });

  it('prune and forgetting a server delete and rewrite only the files concerned', async () => {
    const { dir, file } = setup();
    const storage = await open(file);
    const other = { platform: 'discord', workspaceId: 'g2' } as const;
    await storage.results.record(
      resultFor(C1, 'old', '2026-01-10T10:00:00.000Z', [{ userId: 'u1', points: 1 }]),
      topics,
    );
    await storage.results.record(
      resultFor(C1, 'new', '2026-11-10T10:00:00.000Z', [{ userId: 'u2', points: 2 }]),
      topics,
    );
    await storage.results.record(
      resultFor(channelOf('g2', 'x'), 'g2game', '2026-11-10T10:00:00.000Z', [{ userId: 'u3', points: 3 }]),
      topics,
    );
    await storage.flush();
    markAll(dir);

    const report = await storage.prune(NOW);
    expect(report.quizResults).toBe(1);
    expect(existsSync(path.join(resultsDirFor(file), GAME('c1', 'old')))).toBe(false);
    expect(existsSync(path.join(resultsDirFor(file), `${GAME('c1', 'old')}.bak`))).toBe(false);
    expect(written(dir)).toEqual([]);

    const forgotten = await storage.workspaces.forget(WS);
    expect(forgotten).toMatchObject({ quizResults: 1, scores: 3, study: 2 });
    const left = readdirSync(resultsDirFor(file), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.json'))
      .sort();
    expect(left).toEqual(
      [
        'games/discord%3Ag2%3Ax%3Ag2game.json',
        'boards/discord%3Ag2%3A2026-11.json',
        'boards/discord%3Ag2%3Aall.json',
        'players/discord%3Ag2%3Au3.json',
      ]
        .map((f) => f.replaceAll('/', path.sep))
        .sort(),
    );
    expect(await storage.workspaces.footprint(other)).toMatchObject({ quizResults: 1, scores: 2, study: 1 });
  });
});

describe('storing a finished game across files', () => {
  it('a failed write of a player leaves the game uncounted, and storing it again counts it once', async () => {
    const { file } = setup();
    const storage = await open(file);
    await storage.results.record(
      resultFor(C1, 'g0', '2026-11-20T10:00:00.000Z', [{ userId: 'u1', points: 5 }]),
      topics,
    );
    const players = path.join(resultsDirFor(file), 'players');
    renameSync(players, `${players}-away`); // writes of players' records now fail
    const game = resultFor(C1, 'g1', '2026-11-21T10:00:00.000Z', [
      { userId: 'u1', points: 7 },
      { userId: 'u2', points: 1 },
    ]);
    await expect(storage.results.record(game, topics)).rejects.toMatchObject({ code: 'write-failed' });
    expect(await storage.results.has(C1, 'g1')).toBe(false);
    renameSync(`${players}-away`, players);

    expect(await storage.results.record(game, topics)).toBe(true);
    expect(await storage.results.record(game, topics)).toBe(false);
    expect(await storage.results.has(C1, 'g1')).toBe(true);
    expect(await points(storage, 'all')).toEqual([
      ['u1', 12, 2],
      ['u2', 1, 1],
    ]);
    expect((await storage.results.player(WS, 'u1'))?.games).toBe(2);
    await storage.close();
    const again = await open(file);
    expect(await points(again, '2026-11')).toEqual([
      ['u1', 12, 2],
      ['u2', 1, 1],
    ]);
    expect((await again.results.player(WS, 'u2'))?.games).toBe(1);
  });

  it('a game a crash left half counted is counted once on the next start', async () => {
    const { file } = setup();
    const dir = resultsDirFor(file);
    const first = await open(file);
    await first.results.record(
      resultFor(C1, 'g0', '2026-11-20T10:00:00.000Z', [
        { userId: 'u1', points: 5 },
        { userId: 'u2', points: 3 },
      ]),
      topics,
    );
    await first.close();
    const read = (name: string) => JSON.parse(readFileSync(path.join(dir, name), 'utf8'));
    const beforeG1 = { month: read(BOARD('2026-11')), u2: read(PLAYER('u2')) };
    const second = await open(file);
    await second.results.record(
      resultFor(C1, 'g1', '2026-11-21T10:00:00.000Z', [
        { userId: 'u1', points: 7 },
        { userId: 'u2', points: 1 },
      ]),
      topics,
    );
    await second.close();

    // As a crash in the middle of storing g1 leaves it: its file pending, the all-time board and
    // u1 written (marked with g1), the month's board and u2 not yet.
    const g1 = 'discord:g1:c1:g1';
    const write = (name: string, value: unknown) => {
      writeFileSync(path.join(dir, name), JSON.stringify(value));
      rmSync(backupPathFor(path.join(dir, name)), { force: true });
    };
    write(GAME('c1', 'g1'), { ...read(GAME('c1', 'g1')), pending: { topics: { q1: ['thaw'] } } });
    write(BOARD('all'), { ...read(BOARD('all')), games: [g1] });
    write(PLAYER('u1'), { ...read(PLAYER('u1')), games: [g1] });
    write(BOARD('2026-11'), beforeG1.month);
    write(PLAYER('u2'), beforeG1.u2);

    const log = recordingLogger();
    const storage = await open(file, log);
    expect(await storage.results.has(C1, 'g1')).toBe(true);
    for (const period of ['all', '2026-11'])
      expect(await points(storage, period)).toEqual([
        ['u1', 12, 2],
        ['u2', 4, 2],
      ]);
    const u2 = await storage.results.player(WS, 'u2');
    expect(u2?.games).toBe(2);
    expect(u2?.history.map((h) => h.source)).toEqual(['quiz:g0', 'quiz:g1']);
    expect(u2?.topics.thaw?.answered).toBe(2); // the topics kept with the pending game
    expect((await storage.results.player(WS, 'u1'))?.games).toBe(2);
    expect(read(GAME('c1', 'g1')).pending).toBeUndefined();
    expect(log.entries.some((e) => e.level === 'warn' && /half counted/.test(e.msg))).toBe(true);
  });
});

describe('the single results file of earlier versions', () => {
  it('is read once, its records written to the folders, and kept aside under a versioned name', async () => {
    const { dir, file } = setup();
    // Written by an earlier version: every finished game, board and record in one file.
    const seed = await open(file);
    await seed.results.record(
      resultFor(C1, 'g0', '2026-11-20T10:00:00.000Z', [
        { userId: 'u1', points: 5 },
        { userId: 'u2', points: 3 },
      ]),
      topics,
    );
    await seed.results.record(
      resultFor(C2, 'g1', '2026-10-20T10:00:00.000Z', [{ userId: 'u1', points: 4 }]),
      topics,
    );
    const before = structuredClone(seed.docs.results.read());
    await seed.close();
    rmSync(resultsDirFor(file), { recursive: true });
    const single = featureFileFor(file, 'results');
    const text = JSON.stringify(before);
    writeFileSync(single, text);
    writeFileSync(backupPathFor(single), JSON.stringify(emptyDocs().results));

    const log = recordingLogger();
    const storage = await open(file, log);
    expect(storage.docs.results.read()).toEqual(before);
    expect(featureOnDisk(file, 'results')).toEqual(before);
    expect(await points(storage, 'all')).toEqual([
      ['u1', 9, 2],
      ['u2', 3, 1],
    ]);
    expect(existsSync(single)).toBe(false);
    expect(existsSync(backupPathFor(single))).toBe(false);
    const kept = readdirSync(dir).filter((f) => f.startsWith('thawbot.results.json'));
    expect(kept).toEqual([
      'thawbot.results.json.bak.v1-2026-11-26T12-00-00.000Z',
      'thawbot.results.json.v1-2026-11-26T12-00-00.000Z',
    ]);
    expect(readFileSync(path.join(dir, 'thawbot.results.json.v1-2026-11-26T12-00-00.000Z'), 'utf8')).toBe(
      text,
    );
    expect(log.entries.some((e) => e.level === 'warn' && /now have a file each/.test(e.msg))).toBe(true);
    await storage.close();

    const again = await open(file);
    expect(again.docs.results.read()).toEqual(before);
  });
});
