import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Feature } from '../../src/store/doc/shapes.ts';
import { StoreError } from '../../src/store/errors.ts';
import { backupPathFor, featureFileFor, gamesDirFor, openFileStorage } from '../../src/store/open.ts';
import { resultsDirFor } from '../../src/store/open-results.ts';
import {
  answerBy,
  channelOf,
  openError,
  recordingLogger,
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

async function open(
  file: string,
  log = recordingLogger(),
  extra: { now?: () => Date; backupIntervalMs?: number } = {},
) {
  const storage = await openFileStorage({ file, log, ...extra });
  cleanups.push(() => storage.close());
  return storage;
}

const WS = { platform: 'discord', workspaceId: 'g1' } as const;
const C1 = channelOf('g1', 'c1');

/** Feature files with one setting and one subscription, closed cleanly (which also rolls the backups). */
async function goodFilesWithBackup(file: string): Promise<void> {
  const storage = await openFileStorage({ file, log: recordingLogger() });
  await storage.settings.change(WS, (s) => {
    s.hostUserIds.push('u1');
    s.timezone = 'Europe/Berlin';
  });
  await storage.daily.subscribe(subscriptionFor(C1));
  await storage.close();
}

function sideFiles(dir: string, part: string): string[] {
  return readdirSync(dir).filter((f) => f.includes(part));
}

const settingsFile = (file: string) => featureFileFor(file, 'settings');

describe('corrupt feature file', () => {
  const cases: [string, string, RegExp][] = [
    ['not valid JSON', '{"version": 1, "settings": {', /not valid JSON/],
    ['empty (truncated)', '', /the file is empty/],
    ['valid JSON of the wrong shape', JSON.stringify({ version: 1, settings: 5 }), /schema: settings/],
    ['without a version', JSON.stringify({ settings: {} }), /no valid version/],
    ['not an object', '[]', /does not hold a JSON object/],
  ];
  for (const [name, content, reason] of cases) {
    it(`is moved aside and restored from its backup when it is ${name}, leaving the other features alone`, async () => {
      const { dir, file } = setup();
      await goodFilesWithBackup(file);
      const daily = readFileSync(featureFileFor(file, 'daily'), 'utf8');
      writeFileSync(settingsFile(file), content);
      const log = recordingLogger();
      const storage = await open(file, log, { now: () => new Date('2026-11-26T12:00:00Z') });

      expect(await storage.settings.get(WS)).toEqual({ hostUserIds: ['u1'], timezone: 'Europe/Berlin' });
      expect(await storage.daily.subscription(C1)).toEqual(subscriptionFor(C1));
      expect(sideFiles(dir, '.corrupt-')).toEqual(['thawbot.settings.json.corrupt-2026-11-26T12-00-00.000Z']);
      const aside = `${dir}/thawbot.settings.json.corrupt-2026-11-26T12-00-00.000Z`;
      expect(readFileSync(aside, 'utf8')).toBe(content); // kept byte for byte
      const errors = log.entries.filter((e) => e.level === 'error');
      expect(errors).toHaveLength(1);
      expect(errors[0]?.msg).toMatch(reason);
      expect(errors[0]?.msg).toContain('changes made after that time are lost');
      expect(errors[0]?.fields).toMatchObject({
        file: settingsFile(file),
        movedTo: aside,
        backup: backupPathFor(settingsFile(file)),
      });
      // The restored state is written back as a valid file; the daily file is as it was.
      expect(JSON.parse(readFileSync(settingsFile(file), 'utf8'))).toEqual({
        version: 1,
        settings: { 'discord:g1': { hostUserIds: ['u1'], timezone: 'Europe/Berlin' } },
      });
      expect(readFileSync(featureFileFor(file, 'daily'), 'utf8')).toBe(daily);
    });
  }

  it('refuses to start without a usable backup, says how to recover, and changes nothing', async () => {
    const { dir, file } = setup();
    writeFileSync(settingsFile(file), '{ broken');
    const error = await openError(file);
    expect(error).toBeInstanceOf(StoreError);
    expect(error.code).toBe('corrupt');
    expect(error.message).toContain(settingsFile(file));
    expect(error.message).toMatch(
      /not valid JSON.*there is no backup.*restore a copy.*repair it by hand.*move it away/s,
    );
    expect(readFileSync(settingsFile(file), 'utf8')).toBe('{ broken');
    expect(readdirSync(dir).sort()).toEqual(['thawbot.settings.json']); // no side files, lock released
  });

  it('refuses when the backup is corrupt too, naming both problems', async () => {
    const { file } = setup();
    await goodFilesWithBackup(file);
    const games = featureFileFor(file, 'games');
    writeFileSync(games, '[]');
    writeFileSync(backupPathFor(games), 'garbage');
    const error = await openError(file);
    expect(error.code).toBe('corrupt');
    expect(error.message).toContain('does not hold a JSON object');
    expect(error.message).toContain(
      `the backup ${backupPathFor(games)} cannot be used either: it is not valid JSON`,
    );
    expect(readFileSync(games, 'utf8')).toBe('[]');
    expect(readFileSync(backupPathFor(games), 'utf8')).toBe('garbage');
    // The data of the other features is untouched and still there.
    const reopenedDaily = JSON.parse(readFileSync(featureFileFor(file, 'daily'), 'utf8'));
    expect(Object.keys(reopenedDaily.subscriptions)).toEqual(['discord:g1:c1']);
  });

  it('restores a missing feature file from its backup and says so', async () => {
    const { file } = setup();
    await goodFilesWithBackup(file);
    rmSync(featureFileFor(file, 'daily'));
    const log = recordingLogger();
    const storage = await open(file, log);
    expect(await storage.daily.subscription(C1)).toEqual(subscriptionFor(C1));
    const note = log.entries.find(
      (e) => e.level === 'warn' && /is missing; restored it from the backup/.test(e.msg),
    );
    expect(note?.fields).toMatchObject({ file: featureFileFor(file, 'daily') });
    expect(existsSync(featureFileFor(file, 'daily'))).toBe(true);
  });

  it('refuses to start empty when a feature file is missing and its backup is unusable', async () => {
    const { file } = setup();
    const results = featureFileFor(file, 'results');
    writeFileSync(backupPathFor(results), '{');
    const error = await openError(file);
    expect(error.code).toBe('corrupt');
    expect(error.message).toMatch(/missing and the backup .* cannot be used either/);
    expect(existsSync(results)).toBe(false);
    expect(readFileSync(backupPathFor(results), 'utf8')).toBe('{');
  });

  it('starts empty on a first run, with no files at all', async () => {
    const { file } = setup();
    const log = recordingLogger();
    const storage = await open(file, log);
    expect(await storage.daily.subscriptions('2000-01-01')).toEqual([]);
    expect(await storage.games.all()).toEqual([]);
    for (const feature of ['settings', 'daily', 'nights', 'workspaces'] as Feature[]) {
      expect(existsSync(featureFileFor(file, feature))).toBe(true);
      expect(existsSync(backupPathFor(featureFileFor(file, feature)))).toBe(true);
    }
    expect(readdirSync(gamesDirFor(file))).toEqual([]); // no game runs
    expect(readdirSync(resultsDirFor(file)).sort()).toEqual(['boards', 'games', 'players']);
    expect(existsSync(featureFileFor(file, 'results'))).toBe(false);
    expect(log.entries.filter((e) => e.level === 'error' || e.level === 'warn')).toEqual([]);
  });
});

describe('a feature file from a newer version', () => {
  it('is refused with a clear message, touching nothing', async () => {
    const { dir, file } = setup();
    const newer = JSON.stringify({ version: 2, sessions: {}, somethingNew: {} });
    writeFileSync(featureFileFor(file, 'games'), newer);
    const error = await openError(file);
    expect(error).toBeInstanceOf(StoreError);
    expect(error.code).toBe('newer-version');
    expect(error.message).toContain(featureFileFor(file, 'games'));
    expect(error.message).toContain('version 2; this version knows up to 1');
    expect(error.message).toMatch(/Nothing was changed\. Upgrade thawbot/);
    expect(readFileSync(featureFileFor(file, 'games'), 'utf8')).toBe(newer);
    expect(sideFiles(dir, 'games')).toEqual(['thawbot.games.json']); // no backup written, nothing moved
    expect(sideFiles(dir, '.lock')).toEqual([]);
  });

  it('is not replaced by an older backup', async () => {
    const { file } = setup();
    const nights = featureFileFor(file, 'nights');
    writeFileSync(backupPathFor(nights), JSON.stringify({ version: 1, nights: {} }));
    writeFileSync(nights, JSON.stringify({ version: 3, nights: {} }));
    await expect(openError(file)).resolves.toMatchObject({ code: 'newer-version' });
    expect(JSON.parse(readFileSync(nights, 'utf8')).version).toBe(3);
  });
});

describe('rolling backups', () => {
  it('roll forward to the last written state once the interval has passed', async () => {
    const { file } = setup();
    let now = new Date('2026-11-26T10:00:00Z');
    const storage = await open(file, recordingLogger(), { now: () => now, backupIntervalMs: 600_000 });
    const backup = () =>
      Object.keys(
        JSON.parse(readFileSync(backupPathFor(featureFileFor(file, 'daily')), 'utf8')).subscriptions,
      );

    await storage.daily.subscribe(subscriptionFor(C1));
    expect(backup()).toEqual([]); // within the interval: the backup is the state at open
    now = new Date('2026-11-26T10:10:00Z');
    await storage.daily.subscribe(subscriptionFor(channelOf('g1', 'c2')));
    await storage.flush(); // the backup rolls right after the write that resolved the update
    expect(backup()).toEqual(['discord:g1:c1', 'discord:g1:c2']);
  });

  it('never roll to a state that would not load, so a bad write is recovered from the backup', async () => {
    const { dir, file } = setup();
    await goodFilesWithBackup(file);
    const log = recordingLogger();
    const storage = await openFileStorage({ file, log });
    await storage.docs.settings.update((d) => {
      // A bug writing the wrong shape: the file is written (it is JSON), the backup must not follow.
      (d as unknown as { settings: unknown }).settings = 'oops';
    });
    await storage.close();
    expect(log.entries.some((e) => e.level === 'error' && /not rolling the backup/.test(e.msg))).toBe(true);
    expect(JSON.parse(readFileSync(settingsFile(file), 'utf8')).settings).toBe('oops');

    const reopened = await open(file);
    expect((await reopened.settings.get(WS))?.timezone).toBe('Europe/Berlin');
    expect(sideFiles(dir, '.corrupt-')).toHaveLength(1);
    expect(sideFiles(dir, '.corrupt-')[0]).toMatch(/^thawbot\.settings\.json\.corrupt-/);
  });
});

describe('running games, one file each', () => {
  const C2 = channelOf('g1', 'c2');
  const gameFile = (file: string, channel = C1) =>
    path.join(gamesDirFor(file), `${encodeURIComponent(`discord:g1:${channel.channelId}`)}.json`);

  /** Two running games with an answer each, closed cleanly (which rolls each game's backup). */
  async function twoGames(file: string): Promise<void> {
    const storage = await openFileStorage({ file, log: recordingLogger() });
    await storage.games.create(sessionFor(C1, 'game1'));
    await storage.games.create(sessionFor(C2, 'game2'));
    await storage.games.recordAnswer(C1, 'game1', 0, answerBy('u1'));
    await storage.games.recordAnswer(C2, 'game2', 0, answerBy('u2'));
    await storage.close();
  }

  it('a corrupt game file is moved aside and restored from its backup; the other game is untouched', async () => {
    const { file } = setup();
    await twoGames(file);
    const other = readFileSync(gameFile(file, C2), 'utf8');
    writeFileSync(gameFile(file), '{"version": 1, "session": {'); // cut off
    const log = recordingLogger();
    const storage = await open(file, log);
    expect(Object.keys((await storage.games.get(C1))?.rounds[0]?.answers ?? {})).toEqual(['u1']);
    expect(Object.keys((await storage.games.get(C2))?.rounds[0]?.answers ?? {})).toEqual(['u2']);
    expect(readFileSync(gameFile(file, C2), 'utf8')).toBe(other);
    const names = readdirSync(gamesDirFor(file));
    const aside = names.filter((n) => n.includes('.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(path.join(gamesDirFor(file), aside[0] as string), 'utf8')).toBe(
      '{"version": 1, "session": {',
    );
    expect(log.entries.find((e) => e.level === 'error')?.fields).toMatchObject({ file: gameFile(file) });
  });

  it('refuses when a game file and its backup are both unusable, changing nothing', async () => {
    const { file } = setup();
    await twoGames(file);
    writeFileSync(gameFile(file), '[]');
    writeFileSync(`${gameFile(file)}.bak`, 'garbage');
    const error = await openError(file);
    expect(error.code).toBe('corrupt');
    expect(error.message).toContain(gameFile(file));
    expect(readFileSync(gameFile(file), 'utf8')).toBe('[]');
  });

  it('removes temp files left by a crash in the games folder', async () => {
    const { file } = setup();
    await twoGames(file);
    const temp = path.join(gamesDirFor(file), `.${path.basename(gameFile(file))}.tmp`);
    writeFileSync(temp, '{"half":');
    const storage = await open(file);
    expect(existsSync(temp)).toBe(false);
    expect(await storage.games.all()).toHaveLength(2);
  });

  it('moves the single file of running games that earlier versions wrote into the folder, keeping it', async () => {
    const { dir, file } = setup();
    mkdirSync(dir, { recursive: true });
    const sessions = { 'discord:g1:c1': { ...sessionFor(C1, 'game1') } };
    sessions['discord:g1:c1'].rounds[0]!.answers.u1 = answerBy('u1');
    const single = JSON.stringify({ version: 1, sessions });
    writeFileSync(featureFileFor(file, 'games'), single);
    const log = recordingLogger();
    const storage = await open(file, log, { now: () => new Date('2026-11-26T10:00:00.000Z') });
    expect(await storage.games.get(C1)).toEqual(sessions['discord:g1:c1']);
    expect(existsSync(featureFileFor(file, 'games'))).toBe(false);
    const kept = `${featureFileFor(file, 'games')}.v1-2026-11-26T10-00-00.000Z`;
    expect(readFileSync(kept, 'utf8')).toBe(single);
    expect(JSON.parse(readFileSync(gameFile(file), 'utf8'))).toEqual({
      version: 1,
      session: sessions['discord:g1:c1'],
    });
    expect(log.entries.some((e) => e.level === 'warn' && e.msg.includes('the original is kept as'))).toBe(
      true,
    );
    // An answer now writes the game's own file.
    await storage.games.recordAnswer(C1, 'game1', 0, answerBy('u2'));
    expect(Object.keys(JSON.parse(readFileSync(gameFile(file), 'utf8')).session.rounds[0].answers)).toEqual([
      'u1',
      'u2',
    ]);
  });
});
