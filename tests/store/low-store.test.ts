import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/log.ts';
import { DurableJsonFile } from '../../src/store/doc/adapter.ts';
import { DocFile } from '../../src/store/doc/file.ts';
import { FEATURES } from '../../src/store/doc/shapes.ts';
import { StoreError } from '../../src/store/errors.ts';
import { lockPathFor } from '../../src/store/lock.ts';
import {
  backupPathFor,
  featureFileFor,
  gamesDirFor,
  openFileStorage,
  studyDirFor,
} from '../../src/store/open.ts';
import {
  answerBy,
  channelOf,
  featureOnDisk,
  nightFor,
  recordingLogger,
  resultFor,
  sessionFor,
  subscriptionFor,
  tempDir,
} from './helpers.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

function setup() {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t;
}

/** A small document: a counter and a set of keys. */
interface Counter {
  version: number;
  counter: number;
  keys: Record<string, true>;
}

const emptyCounter = (): Counter => ({ version: 1, counter: 0, keys: {} });

/** Valid while the counter is a non-negative number. */
function checkCounter(value: unknown): string | undefined {
  const n = (value as Counter).counter;
  return typeof n === 'number' && n >= 0 ? undefined : `counter: ${String(n)} is not a count`;
}

function docFile(
  file: string,
  options: {
    log?: ReturnType<typeof recordingLogger>;
    now?: () => Date;
    backupIntervalMs?: number;
    data?: Counter;
  } = {},
): DocFile<Counter> {
  const doc = new DocFile<Counter>({
    adapter: new DurableJsonFile<Counter>(file),
    data: options.data ?? emptyCounter(),
    log: options.log ?? recordingLogger(),
    now: options.now ?? (() => new Date()),
    backupFile: backupPathFor(file),
    check: checkCounter,
    backupIntervalMs: options.backupIntervalMs ?? 600_000,
  });
  cleanups.push(() => doc.close());
  return doc;
}

function onDisk<T = Counter>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

function bump(d: Counter, key: string): void {
  d.counter++;
  d.keys[key] = true;
}

describe('DocFile group commit', () => {
  it('loses none of thousands of interleaved updates and writes far fewer times', async () => {
    const { file } = setup();
    const doc = docFile(file);
    const workers = Array.from({ length: 20 }, async (_, w) => {
      for (let n = 0; n < 200; n++) await doc.update((d) => bump(d, `w${w}-${n}`));
    });
    const burst = Array.from({ length: 2000 }, (_, i) => doc.update((d) => bump(d, `b${i}`)));
    await Promise.all([...workers, ...burst]);
    const writes = doc.stats.writes;

    const data = onDisk(file);
    expect(data.counter).toBe(6000);
    for (let w = 0; w < 20; w++) for (let n = 0; n < 200; n++) expect(data.keys[`w${w}-${n}`]).toBe(true);
    for (let i = 0; i < 2000; i++) expect(data.keys[`b${i}`]).toBe(true);
    // 20 workers waiting on the same write go out together: about 200 writes for 6,000 updates.
    expect(writes).toBeLessThan(600);
    expect(doc.stats.bytesWritten).toBeGreaterThan(0);
  });

  it('writes one synchronous burst of updates in a single write', async () => {
    const { file } = setup();
    const doc = docFile(file);
    await Promise.all(Array.from({ length: 1000 }, (_, i) => doc.update((d) => bump(d, `k${i % 10}`))));
    expect(doc.stats.writes).toBe(1);
    expect(onDisk(file).counter).toBe(1000);
  });

  it('resolves an update only when the change is in the file, with the function result', async () => {
    const { file } = setup();
    const doc = docFile(file);
    const checks = Array.from({ length: 50 }, (_, i) =>
      doc
        .update((d) => {
          bump(d, `seen${i}`);
          return i;
        })
        .then((value) => {
          expect(value).toBe(i);
          expect(onDisk(file).keys[`seen${i}`]).toBe(true);
        }),
    );
    await Promise.all(checks);
    // Updates arriving while a write is in flight go out in the next one.
    const first = doc.update((d) => bump(d, 'a'));
    await Promise.resolve();
    const second = doc.update((d) => bump(d, 'b'));
    await first;
    await second;
    expect(onDisk(file).keys).toMatchObject({ a: true, b: true });
  });

  it('applies an update in memory at once', async () => {
    const { file } = setup();
    const doc = docFile(file);
    const pending = doc.update((d) => bump(d, 'now'));
    expect(doc.read().keys.now).toBe(true);
    expect(existsSync(file)).toBe(false);
    await pending;
    expect(onDisk(file).keys.now).toBe(true);
  });

  it('rejects an update whose function throws, and refuses asynchronous functions', async () => {
    const { file } = setup();
    const doc = docFile(file);
    await expect(
      doc.update(() => {
        throw new Error('not allowed');
      }),
    ).rejects.toThrow('not allowed');
    await expect(doc.update(async () => 1)).rejects.toThrow(/synchronous/);
    expect(doc.stats.writes).toBe(0);
    await expect(doc.update((d) => bump(d, 'after'))).resolves.toBeUndefined();
    expect(onDisk(file)).toEqual({ version: 1, counter: 1, keys: { after: true } });
  });

  it('undoes and rejects the updates of a failed write, those that joined while it ran too', async () => {
    const { dir, file } = setup();
    const log = recordingLogger();
    const doc = docFile(file, { log });
    await doc.update((d) => bump(d, 'before'));
    rmSync(dir, { recursive: true, force: true }); // every write now fails
    const first = doc.update((d) => bump(d, 'lost'));
    await Promise.resolve(); // the write of `lost` is now in flight
    const joined = doc.update((d) => bump(d, 'lost2'));
    await expect(first).rejects.toMatchObject({
      code: 'write-failed',
      message: expect.stringMatching(/ENOENT/),
    });
    await expect(joined).rejects.toMatchObject({ code: 'write-failed' });
    expect(doc.stats.failedWrites).toBe(1);
    expect(log.entries.some((e) => e.level === 'error' && /could not write the data file/.test(e.msg))).toBe(
      true,
    );
    // What callers were told was not saved is not in memory either.
    expect(doc.read()).toEqual({ version: 1, counter: 1, keys: { before: true } });

    mkdirSync(dir, { recursive: true });
    await doc.update((d) => bump(d, 'later'));
    expect(onDisk(file)).toEqual({ version: 1, counter: 2, keys: { before: true, later: true } });
  });

  it('has nothing left to write after a failed write: a flush does not bring the change back', async () => {
    const { dir, file } = setup();
    const doc = docFile(file);
    await doc.update((d) => bump(d, 'kept'));
    const away = `${dir}-away`;
    renameSync(dir, away);
    cleanups.push(() => rmSync(away, { recursive: true, force: true }));
    await expect(doc.update((d) => bump(d, 'x'))).rejects.toMatchObject({ code: 'write-failed' });
    renameSync(away, dir);
    await doc.flush();
    expect(doc.stats.writes).toBe(1);
    expect(onDisk(file)).toEqual({ version: 1, counter: 1, keys: { kept: true } });
    expect(doc.read()).toEqual(onDisk(file));
  });

  it('flushes on close, refuses updates afterwards and is idempotent', async () => {
    const { file } = setup();
    const doc = docFile(file);
    void doc.update((d) => bump(d, 'last'));
    const closing = doc.close();
    expect(doc.close()).toBe(closing);
    await closing;
    expect(onDisk(file).keys.last).toBe(true);
    expect(onDisk(backupPathFor(file)).keys.last).toBe(true); // the backup rolls to the final state
    const late = doc.update((d) => bump(d, 'late'));
    await expect(late).rejects.toBeInstanceOf(StoreError);
    await expect(late).rejects.toMatchObject({ code: 'closed' });
    expect(doc.read().keys.late).toBeUndefined();
  });

  it('flush resolves at once when nothing is pending and waits for a write in flight', async () => {
    const { file } = setup();
    const doc = docFile(file);
    await doc.flush();
    expect(doc.stats.writes).toBe(0);
    void doc.update((d) => bump(d, 'f'));
    await doc.flush();
    expect(onDisk(file).keys.f).toBe(true);
    expect(doc.stats.writes).toBe(1);
  });
});

describe('DocFile backup', () => {
  it('rolls forward to the last written state once the interval has passed', async () => {
    const { file } = setup();
    let now = new Date('2026-11-26T10:00:00Z');
    const doc = docFile(file, { now: () => now, backupIntervalMs: 600_000 });
    const backup = () => onDisk(backupPathFor(file));

    await doc.update((d) => bump(d, 'first'));
    await doc.backup();
    expect(backup().keys).toEqual({ first: true });
    expect(doc.stats.backups).toBe(1);

    now = new Date('2026-11-26T10:09:00Z');
    await doc.update((d) => bump(d, 'second'));
    await doc.flush();
    expect(backup().keys.second).toBeUndefined(); // within the interval: the backup stays

    now = new Date('2026-11-26T10:10:00Z');
    await doc.update((d) => bump(d, 'third'));
    await doc.flush(); // the backup rolls right after the write that resolved the update
    expect(backup().keys).toEqual({ first: true, second: true, third: true });
    expect(doc.stats.backups).toBe(2);
  });

  it('writes no backup before anything was written', async () => {
    const { file } = setup();
    const doc = docFile(file);
    await doc.backup();
    expect(existsSync(backupPathFor(file))).toBe(false);
    expect(doc.stats.backups).toBe(0);
  });

  it('never makes a state that fails the check the backup', async () => {
    const { file } = setup();
    let now = new Date('2026-11-26T10:00:00Z');
    const log = recordingLogger();
    const doc = docFile(file, { log, now: () => now, backupIntervalMs: 60_000 });
    await doc.update((d) => bump(d, 'good'));
    await doc.backup();

    now = new Date('2026-11-26T11:00:00Z'); // past the interval: the next write would roll it
    await doc.update((d) => {
      d.counter = -5; // a bug writing a state that would not load
    });
    await doc.flush();
    expect(onDisk(file).counter).toBe(-5); // the file is written (it is JSON) ...
    expect(onDisk(backupPathFor(file))).toEqual({ version: 1, counter: 1, keys: { good: true } }); // ... the backup is not
    await doc.close();
    expect(onDisk(backupPathFor(file)).counter).toBe(1);
    const refusals = log.entries.filter((e) => e.level === 'error' && /not rolling the backup/.test(e.msg));
    expect(refusals.length).toBeGreaterThanOrEqual(2);
    expect(refusals[0]?.fields.problem).toMatch(/-5 is not a count/);
    expect(doc.stats.backups).toBe(1);
  });

  it('logs a backup that cannot be written and goes on', async () => {
    const { dir } = setup();
    const file = path.join(dir, 'doc.json');
    const log = recordingLogger();
    const doc = new DocFile<Counter>({
      adapter: new DurableJsonFile<Counter>(file),
      data: emptyCounter(),
      log,
      now: () => new Date(),
      backupFile: path.join(dir, 'missing-dir', 'doc.json.bak'),
      check: checkCounter,
      backupIntervalMs: 0,
    });
    await doc.update((d) => bump(d, 'x'));
    await doc.close();
    expect(onDisk(file).keys.x).toBe(true);
    expect(log.entries.some((e) => e.msg === 'could not write the backup of the data file')).toBe(true);
  });
});

describe('openFileStorage', () => {
  const c1 = channelOf('g1', 'c1');
  const ws = { platform: 'discord' as const, workspaceId: 'g1' };

  async function open(file: string, log = silentLogger) {
    const storage = await openFileStorage({ file, log });
    cleanups.push(() => storage.close());
    return storage;
  }

  it('creates one file and one backup per feature, in a directory made on demand, and the lock', async () => {
    const { dir } = setup();
    const file = path.join(dir, 'nested', 'deeper', 'thawbot.json');
    const storage = await open(file);
    const names = readdirSync(path.dirname(file)).sort();
    const files = FEATURES.filter((f) => f !== 'games' && f !== 'study' && f !== 'results');
    const expected = files.flatMap((f) => [`thawbot.${f}.json`, `thawbot.${f}.json.bak`]);
    // Running games, learners and results have a file each in a folder, empty while there are none.
    expect(names).toEqual(
      [...expected, 'thawbot.games', 'thawbot.json.lock', 'thawbot.results', 'thawbot.study'].sort(),
    );
    expect(readdirSync(gamesDirFor(file))).toEqual([]);
    expect(readdirSync(studyDirFor(file))).toEqual([]);
    for (const feature of files) {
      const saved = onDisk<{ version: number }>(featureFileFor(file, feature));
      expect(saved.version, feature).toBe(1);
      expect(onDisk(backupPathFor(featureFileFor(file, feature)))).toEqual(saved);
    }
    expect(existsSync(file)).toBe(false); // no single data file any more
    expect(storage.describe()).toContain('thawbot.*.json');
    expect(featureFileFor(file, 'daily')).toBe(path.join(dir, 'nested', 'deeper', 'thawbot.daily.json'));
    expect(gamesDirFor(file)).toBe(path.join(dir, 'nested', 'deeper', 'thawbot.games'));
    expect(studyDirFor(file)).toBe(path.join(dir, 'nested', 'deeper', 'thawbot.study'));
  });

  it('writes each change only to its own file: an answer rewrites its own game, never the other games', async () => {
    const { dir, file } = setup();
    const storage = await open(file);
    const c2 = channelOf('g1', 'c2');
    await storage.daily.subscribe(subscriptionFor(c1));
    await storage.games.create(sessionFor(c1, 'game1', 1));
    await storage.games.create(sessionFor(c2, 'game2', 1));
    await storage.games.recordAnswer(c2, 'game2', 0, answerBy('u1'));
    await storage.flush(); // and the games' first backups
    const game1 = 'thawbot.games/discord%3Ag1%3Ac1.json';
    const game2 = 'thawbot.games/discord%3Ag1%3Ac2.json';
    /** Every file under the data folder but the lock, with its text and time. */
    const snapshot = () =>
      new Map(
        readdirSync(dir, { recursive: true, encoding: 'utf8' })
          .filter((f) => statSync(path.join(dir, f)).isFile() && !f.endsWith('.lock'))
          .map((f) => [
            f,
            `${statSync(path.join(dir, f)).mtimeMs} ${readFileSync(path.join(dir, f), 'utf8')}`,
          ]),
      );
    const changedSince = (before: Map<string, string>) => {
      const after = snapshot();
      const names = new Set([...before.keys(), ...after.keys()]);
      return [...names].filter((f) => before.get(f) !== after.get(f)).sort();
    };
    // Let the clock move on so that a rewrite of an untouched file would show in its mtime.
    await new Promise((r) => setTimeout(r, 20));

    let before = snapshot();
    expect(before.has(game2)).toBe(true);
    expect(await storage.games.recordAnswer(c1, 'game1', 0, answerBy('u7'))).toBe(true);
    expect(changedSince(before)).toEqual([game1]);
    expect(featureOnDisk(file, 'games').sessions['discord:g1:c1']?.rounds[0]?.answers).toHaveProperty('u7');
    expect(storage.docs.games.read().sessions['discord:g1:c2']?.rounds[0]?.answers).toHaveProperty('u1');

    before = snapshot();
    await new Promise((r) => setTimeout(r, 20));
    expect(await storage.daily.claimDelivery(c1, '2026-11-26', new Date())).toBe(true);
    expect(changedSince(before)).toEqual(['thawbot.daily.json']);

    before = snapshot();
    await new Promise((r) => setTimeout(r, 20));
    await storage.results.record(
      resultFor(c1, 'game0', '2026-11-20T10:00:00.000Z', [{ userId: 'u1', points: 5 }]),
      () => ['t'],
    );
    await storage.settings.change(ws, (s) => {
      s.timezone = 'Europe/Berlin';
    });
    await storage.nights.add(nightFor(c1));
    // A finished game writes its own file, its two leaderboards and its player's record (each
    // with its first backup), never the other finished games.
    expect(changedSince(before)).toEqual(
      [
        'thawbot.nights.json',
        'thawbot.settings.json',
        ...[
          'games/discord%3Ag1%3Ac1%3Agame0.json',
          'boards/discord%3Ag1%3A2026-11.json',
          'boards/discord%3Ag1%3Aall.json',
          'players/discord%3Ag1%3Au1.json',
        ].flatMap((f) => [path.join('thawbot.results', f), path.join('thawbot.results', `${f}.bak`)]),
        // The player's answers, appended to the journal beside their record.
        path.join('thawbot.results', 'players/discord%3Ag1%3Au1.0.jsonl'),
      ].sort(),
    );

    // A finished game's file and its backup go; the other game's stay as they were.
    before = snapshot();
    await new Promise((r) => setTimeout(r, 20));
    expect(await storage.games.remove(c1, 'game1')).toBe(true);
    expect(changedSince(before)).toEqual([game1, `${game1}.bak`]);
    expect(snapshot().has(game1)).toBe(false);

    before = snapshot();
    await new Promise((r) => setTimeout(r, 20));
    await storage.probe();
    expect(changedSince(before)).toEqual(['thawbot.workspaces.json']);
  });

  it('an answer rewrites bytes in proportion to its own game, not to every running game', async () => {
    const { dir, file } = setup();
    const storage = await open(file);
    const big = channelOf('g1', 'big');
    await storage.games.create(sessionFor(big, 'game-big', 1));
    await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        storage.games.recordAnswer(big, 'game-big', 0, answerBy(`p${i}`)),
      ),
    );
    await storage.games.create(sessionFor(c1, 'game1', 1));
    await storage.flush();
    const bigGame = JSON.stringify(storage.docs.games.read().sessions['discord:g1:big']).length;
    // Whatever the layout: the bytes of every file under the data folder that changed.
    const files = () =>
      new Map(
        readdirSync(dir, { recursive: true, encoding: 'utf8' })
          .filter((f) => statSync(path.join(dir, f)).isFile())
          .map((f) => [
            f,
            `${statSync(path.join(dir, f)).mtimeMs} ${readFileSync(path.join(dir, f), 'utf8')}`,
          ]),
      );
    const before = files();
    await new Promise((r) => setTimeout(r, 20)); // so that a rewrite shows in the time
    expect(await storage.games.recordAnswer(c1, 'game1', 0, answerBy('u7'))).toBe(true);
    const rewritten = [...files()]
      .filter(([f, text]) => before.get(f) !== text)
      .reduce((n, [, text]) => n + text.length, 0);
    expect(rewritten).toBeGreaterThan(0);
    expect(rewritten).toBeLessThan(bigGame / 10);
  });

  it('keeps everything written through the repositories across a reopen', async () => {
    const { file } = setup();
    const storage = await open(file);
    await storage.settings.change(ws, (s) => {
      s.hostUserIds.push('u1');
    });
    await storage.daily.subscribe(subscriptionFor(c1));
    const claims = await Promise.all(
      Array.from({ length: 20 }, () =>
        storage.daily.claimDelivery(c1, '2026-11-26', new Date('2026-11-26T08:00:00Z')),
      ),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    await storage.games.create(sessionFor(c1, 'game1'));
    await storage.games.recordAnswer(c1, 'game1', 0, answerBy('u2'));
    await storage.results.record(
      resultFor(c1, 'game0', '2026-11-20T10:00:00.000Z', [{ userId: 'u1', points: 5 }]),
      () => ['t'],
    );
    await storage.nights.add(nightFor(c1));
    await storage.workspaces.markRemoved(
      { platform: 'slack', workspaceId: 'T9' },
      new Date('2026-11-01T00:00:00Z'),
    );
    await storage.close();

    const again = await open(file);
    expect(await again.settings.get(ws)).toEqual({ hostUserIds: ['u1'] });
    expect(await again.daily.subscription(c1)).toEqual(subscriptionFor(c1));
    expect(await again.daily.claimDelivery(c1, '2026-11-26', new Date())).toBe(false);
    expect((await again.games.get(c1))?.rounds[0]?.answers.u2).toEqual(answerBy('u2'));
    expect(await again.results.has(c1, 'game0')).toBe(true);
    expect((await again.results.leaderboard(ws, 'all', 10)).map((r) => [r.userId, r.points])).toEqual([
      ['u1', 5],
    ]);
    expect((await again.nights.all()).map((n) => n.id)).toEqual(['n1']);
    expect(await again.workspaces.removed()).toEqual([
      { ws: { platform: 'slack', workspaceId: 'T9' }, removedAt: '2026-11-01T00:00:00.000Z' },
    ]);
  });

  it('flushes on close, releases the lock and refuses changes afterwards', async () => {
    const { file } = setup();
    const storage = await openFileStorage({ file, log: silentLogger });
    void storage.daily.subscribe(subscriptionFor(c1));
    await storage.close();
    await storage.close();
    expect(
      Object.keys(onDisk<{ subscriptions: object }>(featureFileFor(file, 'daily')).subscriptions),
    ).toEqual(['discord:g1:c1']);
    expect(existsSync(lockPathFor(path.resolve(file)))).toBe(false);
    await expect(storage.daily.unsubscribe(c1)).rejects.toMatchObject({ code: 'closed' });
    await expect(storage.probe()).rejects.toBeInstanceOf(StoreError);
  });

  it('undoes a claim whose write failed: nobody holds it, and the next claim wins', async () => {
    const { dir, file } = setup();
    const storage = await open(file);
    const hidden = `${dir}-away`;
    renameSync(dir, hidden); // every write now fails
    cleanups.push(() => rmSync(hidden, { recursive: true, force: true }));
    await expect(
      storage.daily.claimDelivery(c1, '2026-11-26', new Date('2026-11-26T07:00:00Z')),
    ).rejects.toMatchObject({ code: 'write-failed' });
    expect(storage.health().ok).toBe(false);
    renameSync(hidden, dir);
    expect(await storage.daily.delivery(c1, '2026-11-26')).toBeUndefined();
    expect(await storage.daily.pending()).toEqual([]);
    expect(await storage.daily.claimDelivery(c1, '2026-11-26', new Date('2026-11-26T07:01:00Z'))).toBe(true);
    expect(storage.health()).toEqual({ ok: true, detail: 'writable' });
    const saved = onDisk<{ deliveries: Record<string, Record<string, { status: string }>> }>(
      featureFileFor(file, 'daily'),
    );
    expect(saved.deliveries['discord:g1:c1']?.['2026-11-26']?.status).toBe('pending');
  });

  it('keeps no subscription whose write failed, in memory or after a restart', async () => {
    const { dir, file } = setup();
    const storage = await openFileStorage({ file, log: silentLogger });
    await storage.settings.change(c1, (s) => {
      s.timezone = 'Europe/Berlin';
    });
    const hidden = `${dir}-away`;
    renameSync(dir, hidden);
    cleanups.push(() => rmSync(hidden, { recursive: true, force: true }));
    await expect(storage.daily.subscribe(subscriptionFor(c1))).rejects.toMatchObject({
      code: 'write-failed',
    });
    await expect(
      storage.settings.change(c1, (s) => {
        s.timezone = 'Asia/Tokyo';
      }),
    ).rejects.toMatchObject({ code: 'write-failed' });
    expect(await storage.daily.subscription(c1)).toBeUndefined();
    expect((await storage.settings.get(c1))?.timezone).toBe('Europe/Berlin');
    renameSync(hidden, dir);
    await storage.close();
    const again = await open(file);
    expect(await again.daily.subscription(c1)).toBeUndefined();
    expect((await again.settings.get(c1))?.timezone).toBe('Europe/Berlin');
  });

  it('leaves no temp file behind and removes one left by a crash', async () => {
    const { dir, file } = setup();
    const storage = await open(file);
    await storage.daily.subscribe(subscriptionFor(c1));
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    await storage.close();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path.join(dir, '.thawbot.daily.json.tmp'), '{"half": ');
    writeFileSync(path.join(dir, '.thawbot.daily.json.bak.tmp'), '{"half": ');
    const again = await open(file);
    expect(await again.daily.subscription(c1)).toBeDefined();
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
