import { copyFileSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChannelRef } from '../../src/core/platform.ts';
import { FEATURES } from '../../src/store/doc/shapes.ts';
import { StoreError } from '../../src/store/errors.ts';
import { LEGACY_VERSION, migrateLegacy } from '../../src/store/legacy.ts';
import { backupPathFor, featureFileFor, gamesDirFor, openFileStorage } from '../../src/store/open.ts';
import type { QuizNight, QuizSession, StudyRecord, Subscription } from '../../src/store/schema.ts';
import { answerBy, featureOnDisk, openError, recordingLogger, tempDir } from './helpers.ts';

const FIXTURE = fileURLToPath(new URL('../fixtures/legacy-v4.json', import.meta.url));
const FIXTURE_TEXT = readFileSync(FIXTURE, 'utf8');
const V4 = JSON.parse(FIXTURE_TEXT) as {
  settings: Record<string, unknown>;
  subscriptions: Record<string, Subscription>;
  deliveries: Record<string, Record<string, unknown>>;
  quizSessions: Record<string, QuizSession>;
  quizResults: Record<string, unknown>;
  scores: Record<string, unknown>;
  study: Record<string, StudyRecord>;
  removedWorkspaces: Record<string, string>;
  quizNights: Record<string, QuizNight>;
};

const NOW = new Date('2026-11-26T12:00:00Z');
const DAY_MS = 86_400_000;
const STAMP = '2026-11-26T12-00-00.000Z';
const G = '730000000000000001';
const WS = { platform: 'discord', workspaceId: G } as const;
const REMOVED = { platform: 'slack', workspaceId: 'T09REMOVED' } as const;
const DAILY: ChannelRef = { ...WS, channelId: '740000000000000001' };
const QUIZ: ChannelRef = { ...WS, channelId: '740000000000000002' };
const NIGHTS: ChannelRef = { ...WS, channelId: '740000000000000003' };
const ANA = '750000000000000001';
const BORIS = '750000000000000002';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

function setup() {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t;
}

async function open(file: string, log = recordingLogger(), now = NOW) {
  const storage = await openFileStorage({ file, log, now: () => now });
  cleanups.push(() => storage.close());
  return storage;
}

/** Running games and study records have a folder each (`thawbot.games/`, `thawbot.study/`) instead of a file. */
const FEATURE_FILES = [
  ...FEATURES.filter((f) => f !== 'games' && f !== 'study' && f !== 'results').flatMap((f) => [
    `thawbot.${f}.json`,
    `thawbot.${f}.json.bak`,
  ]),
  'thawbot.games',
  'thawbot.results',
  'thawbot.study',
];

describe('splitting a schema-4 data file', () => {
  it('makes every record readable through the repositories', async () => {
    const { file } = setup();
    copyFileSync(FIXTURE, file);
    const storage = await open(file);

    // Every collection went whole into its feature document (the unused claims excepted) ...
    expect(storage.docs.settings.read().settings).toEqual(V4.settings);
    expect(storage.docs.daily.read().subscriptions).toEqual(V4.subscriptions);
    expect(storage.docs.daily.read().deliveries).toEqual(V4.deliveries);
    expect(storage.docs.games.read().sessions).toEqual(V4.quizSessions);
    // Finished games are held on disk only once written: the dump reads them back.
    expect((await storage.dump()).results.results).toEqual(V4.quizResults);
    expect(storage.docs.results.read().scores).toEqual(V4.scores);
    // Answer histories are in the players' journals: the dump reads them whole.
    expect((await storage.dump()).results.study).toEqual(V4.study);
    expect(storage.docs.nights.read().nights).toEqual(V4.quizNights);
    expect(storage.docs.workspaces.read().removed).toEqual(V4.removedWorkspaces);

    // ... and each record reads back through its repository.
    expect(await storage.settings.get(WS)).toEqual({
      timezone: 'Europe/Berlin',
      hostRoleId: '760000000000000009',
      hostRoleName: 'Teachers',
      hostUserIds: [ANA],
      hostNames: { [ANA]: 'Ana' },
    });
    expect(await storage.daily.subscription(DAILY)).toEqual(
      V4.subscriptions[`discord:${G}:${DAILY.channelId}`],
    );
    expect((await storage.daily.subscription({ ...REMOVED, channelId: 'C0900000001' }))?.paused).toEqual({
      reason: 'the bot cannot post in this channel any more',
      at: '2026-11-14T14:30:02.000Z',
      byUser: false,
    });
    expect(await storage.daily.delivery(DAILY, '2026-11-24')).toEqual({
      status: 'sent',
      at: '2026-11-24T07:00:01.532Z',
      messageId: '1310000000000000001',
    });
    expect((await storage.daily.deliveries(DAILY, 10)).map((d) => [d.date, d.delivery.status])).toEqual([
      ['2026-11-26', 'pending'],
      ['2026-11-25', 'skipped'],
      ['2026-11-24', 'sent'],
    ]);
    const pending = await storage.daily.pending();
    expect(pending.map((p) => [p.channel, p.date, p.subscription?.time])).toEqual([
      [DAILY, '2026-11-26', '08:00'],
    ]);
    expect(await storage.daily.claimDelivery(DAILY, '2026-11-26', NOW)).toBe(false); // the claim survived
    const states = await storage.daily.subscriptions('2026-11-25');
    expect(states.map((s) => [s.subscription.channel.channelId, Object.keys(s.deliveries).sort()])).toEqual([
      [DAILY.channelId, ['2026-11-25', '2026-11-26']],
      ['C0900000001', []],
    ]);

    const game = await storage.games.get(QUIZ);
    expect(game).toEqual(V4.quizSessions[`discord:${G}:${QUIZ.channelId}`]);
    expect(game?.rounds[1]?.answers[BORIS]?.points).toBe(666);
    // The running game goes on: Ana's answer to the current round is new, Boris's second is refused.
    expect(
      await storage.games.recordAnswer(QUIZ, 'k3x9q2', 1, { ...answer(ANA), at: '2026-11-26T13:00:45.000Z' }),
    ).toBe(true);
    expect(await storage.games.recordAnswer(QUIZ, 'k3x9q2', 1, answer(BORIS))).toBe(false);

    expect(await storage.results.has(QUIZ, 'h7p1m0')).toBe(true);
    expect(await storage.results.recentQuestionIds(QUIZ, 5)).toEqual(['q-secret-speech', 'q-sputnik']);
    expect(await storage.results.leaderboard(WS, 'all', 10)).toEqual([
      {
        userId: ANA,
        displayName: 'Ana',
        points: 5012,
        games: 4,
        correct: 7,
        answered: 8,
        updatedAt: '2026-11-20T18:02:10.000Z',
      },
      {
        userId: BORIS,
        displayName: 'Boris',
        points: 775,
        games: 1,
        correct: 1,
        answered: 2,
        updatedAt: '2026-11-20T18:02:10.000Z',
      },
    ]);
    expect((await storage.results.leaderboard(WS, '2026-11', 10)).map((r) => r.points)).toEqual([1837, 775]);
    expect(await storage.results.standing(WS, '2026-11', BORIS)).toMatchObject({
      rank: 2,
      row: { points: 775 },
    });
    expect(await storage.results.player(WS, ANA)).toEqual(V4.study[`discord:${G}:${ANA}`]);
    expect((await storage.results.player(WS, BORIS))?.history).toHaveLength(2);

    expect(await storage.nights.inChannel(NIGHTS)).toEqual([
      V4.quizNights[`discord:${G}:${NIGHTS.channelId}:wk4x`],
    ]);
    expect(await storage.nights.markRun(NIGHTS, 'wk4x', '2026-11-19', 'started', 'x')).toBe(false); // ran already

    expect(await storage.workspaces.removed()).toEqual([
      { ws: REMOVED, removedAt: '2026-11-15T09:00:00.000Z' },
    ]);
    expect(await storage.workspaces.footprint(REMOVED)).toEqual({
      settings: 1,
      subscriptions: 1,
      deliveries: 1,
    });
    expect(await storage.workspaces.footprint(WS)).toEqual({
      settings: 1,
      subscriptions: 1,
      deliveries: 1,
      quizSessions: 1,
      quizResults: 1,
      scores: 2,
      study: 2,
      quizNights: 1,
    });
  });

  it('writes the feature files and keeps the original and its backup under versioned names', async () => {
    const { dir, file } = setup();
    copyFileSync(FIXTURE, file);
    // The old backup: an older state of the same file.
    const older = { ...JSON.parse(FIXTURE_TEXT), quizSessions: {} };
    const backupText = JSON.stringify(older);
    writeFileSync(backupPathFor(file), backupText);
    const log = recordingLogger();
    const storage = await open(file, log);

    expect(readdirSync(dir).sort()).toEqual(
      [
        ...FEATURE_FILES,
        'thawbot.json.lock',
        `thawbot.json.v4-${STAMP}`,
        `thawbot.json.bak.v4-${STAMP}`,
      ].sort(),
    );
    expect(readFileSync(`${dir}/thawbot.json.v4-${STAMP}`, 'utf8')).toBe(FIXTURE_TEXT); // byte for byte
    expect(readFileSync(`${dir}/thawbot.json.bak.v4-${STAMP}`, 'utf8')).toBe(backupText);
    // The split came from the data file, not from its older backup.
    expect(Object.keys(storage.docs.games.read().sessions)).toHaveLength(1);
    expect(featureOnDisk(file, 'games')).toEqual({ version: 1, sessions: V4.quizSessions });
    // Each game's file has its backup.
    const gameFiles = readdirSync(gamesDirFor(file)).sort();
    expect(gameFiles).toHaveLength(2);
    const [gameFile, gameBackup] = gameFiles.map((f) =>
      readFileSync(path.join(gamesDirFor(file), f), 'utf8'),
    );
    expect(gameBackup).toBe(gameFile);
    const daily = JSON.parse(readFileSync(featureFileFor(file, 'daily'), 'utf8'));
    expect(daily).toEqual({ version: 1, subscriptions: V4.subscriptions, deliveries: V4.deliveries });

    const warnings = log.entries.filter((e) => e.level === 'warn').map((e) => e.msg);
    expect(warnings[0]).toMatch(
      /^splitting thawbot\.json into one file per feature \(thawbot\.settings\.json, /,
    );
    expect(warnings).toContain(`the original is kept as ${dir}/thawbot.json.v4-${STAMP}`);
    expect(log.entries.filter((e) => e.level === 'error')).toEqual([]);
  });

  it('does not split again on the next open, and keeps what changed since', async () => {
    const { dir, file } = setup();
    copyFileSync(FIXTURE, file);
    const first = await open(file);
    expect(await first.daily.unsubscribe(DAILY)).toBe(true);
    expect(await first.games.remove(QUIZ, 'k3x9q2')).toBe(true);
    await first.close();
    const files = readdirSync(dir).sort();

    const log = recordingLogger();
    const later = new Date(NOW.getTime() + 3_600_000);
    const second = await open(file, log, later);
    expect(await second.daily.subscription(DAILY)).toBeUndefined();
    expect(await second.games.get(QUIZ)).toBeUndefined();
    expect(await second.settings.get(WS)).toBeDefined();
    expect(readdirSync(dir).sort()).toEqual([...files, 'thawbot.json.lock'].sort());
    expect(readdirSync(dir).filter((f) => f.includes('.v4-'))).toEqual([`thawbot.json.v4-${STAMP}`]);
    expect(log.entries.filter((e) => e.level !== 'info')).toEqual([]);
  });

  it('finishes a split cut off before the original was moved aside', async () => {
    const { dir, file } = setup();
    copyFileSync(FIXTURE, file);
    const first = await open(file);
    await first.close();
    // As if the process died after writing the feature files but before retiring thawbot.json.
    copyFileSync(`${dir}/thawbot.json.v4-${STAMP}`, file);
    const later = new Date(NOW.getTime() + 60_000);
    const again = await open(file, recordingLogger(), later);
    expect(await again.games.get(QUIZ)).toEqual(V4.quizSessions[`discord:${G}:${QUIZ.channelId}`]);
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.startsWith('thawbot.json.v4-'))).toHaveLength(2);
  });

  // An older thawbot run on the folder since the split starts empty and writes a new thawbot.json:
  // splitting that over the feature files would lose everything stored since the first split.
  it('finishes a split an earlier version cut off after writing thawbot.games.json, and retires that file', async () => {
    const { file } = setup();
    copyFileSync(FIXTURE, file);
    writeFileSync(featureFileFor(file, 'games'), JSON.stringify({ version: 1, sessions: V4.quizSessions }));
    const first = await open(file);
    const [key, game] = Object.entries(V4.quizSessions)[0] as [string, QuizSession];
    expect(existsSync(featureFileFor(file, 'games'))).toBe(false);
    expect(await first.games.recordAnswer(game.channel, game.id, 0, answerBy('after-split'))).toBe(true);
    await first.close();
    // The old file must not come back over the games folder on the next start.
    const again = await open(file);
    expect(again.docs.games.read().sessions[key]?.rounds[0]?.answers).toHaveProperty('after-split');
  });

  it('never overwrites existing feature files with a stale single data file', async () => {
    const { dir, file } = setup();
    copyFileSync(FIXTURE, file);
    const first = await open(file);
    await first.daily.subscribe({
      ...(V4.subscriptions[`discord:${G}:${DAILY.channelId}`] as Subscription),
      channel: { ...DAILY, channelId: 'AFTER-SPLIT' },
    });
    await first.close();
    // A pre-split thawbot ran once on the directory: it found no thawbot.json and wrote an empty one.
    const empty = JSON.parse(FIXTURE_TEXT);
    for (const key of Object.keys(empty)) if (key !== 'schemaVersion') empty[key] = {};
    writeFileSync(file, JSON.stringify(empty));

    await openFileStorage({ file, log: recordingLogger(), now: () => new Date(NOW.getTime() + DAY_MS) }).then(
      (s) => s.close(),
      () => undefined, // refusing to open is a fix too
    );
    // What was written after the first split must still be somewhere: in the feature files or a side file.
    const survivors = readdirSync(dir).filter(
      (f) =>
        !f.startsWith('thawbot.json') &&
        statSync(`${dir}/${f}`).isFile() &&
        readFileSync(`${dir}/${f}`, 'utf8').includes('AFTER-SPLIT'),
    );
    expect(survivors).not.toEqual([]);
  });

  it('recovers a corrupt data file from its backup before splitting', async () => {
    const { dir, file } = setup();
    writeFileSync(file, FIXTURE_TEXT.slice(0, 500)); // cut off mid-write
    copyFileSync(FIXTURE, backupPathFor(file));
    const log = recordingLogger();
    const storage = await open(file, log);
    expect(await storage.games.get(QUIZ)).toEqual(V4.quizSessions[`discord:${G}:${QUIZ.channelId}`]);
    expect(readFileSync(`${dir}/thawbot.json.corrupt-${STAMP}`, 'utf8')).toBe(FIXTURE_TEXT.slice(0, 500));
    expect(readFileSync(`${dir}/thawbot.json.bak.v4-${STAMP}`, 'utf8')).toBe(FIXTURE_TEXT);
    expect(existsSync(file)).toBe(false);
    expect(log.entries.find((e) => e.level === 'error')?.msg).toMatch(/was corrupt.*not valid JSON/);
  });

  it('refuses a data file from a newer schema and touches nothing', async () => {
    const { dir, file } = setup();
    const newer = JSON.stringify({ ...JSON.parse(FIXTURE_TEXT), schemaVersion: LEGACY_VERSION + 1 });
    writeFileSync(file, newer);
    const error = await openError(file);
    expect(error).toBeInstanceOf(StoreError);
    expect(error.code).toBe('newer-version');
    expect(error.message).toContain(
      `version ${LEGACY_VERSION + 1}; this version knows up to ${LEGACY_VERSION}`,
    );
    expect(readFileSync(file, 'utf8')).toBe(newer);
    expect(readdirSync(dir)).toEqual(['thawbot.json']); // no feature file, lock released
  });

  it('refuses a data file that does not match schema 4, naming the problem, and touches nothing', async () => {
    const { dir, file } = setup();
    const bad = JSON.parse(FIXTURE_TEXT);
    bad.quizSessions[`discord:${G}:${QUIZ.channelId}`].rounds[0].order = 'A-D';
    const text = JSON.stringify(bad);
    writeFileSync(file, text);
    const error = await openError(file);
    expect(error.code).toBe('corrupt');
    expect(error.message).toContain('does not match the schema: quizSessions.');
    expect(error.message).toContain('.rounds.0.order');
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(readdirSync(dir)).toEqual(['thawbot.json']);
  });
});

/** A version-1 file: settings and claims only. */
const V1 = JSON.stringify({
  schemaVersion: 1,
  settings: { 'slack:T1': { hostUserIds: ['U1'], hostNames: { U1: 'Ana' }, timezone: 'Europe/Paris' } },
  claims: { 'slack:T1:job': { at: '2026-11-20T08:00:00.000Z', value: 'done' } },
});

describe('older schema versions', () => {
  it('has a step from every older version to 4', () => {
    expect(migrateLegacy({ schemaVersion: 1 }, 1)).toEqual({
      schemaVersion: 4,
      settings: {},
      claims: {},
      subscriptions: {},
      deliveries: {},
      quizSessions: {},
      quizResults: {},
      scores: {},
      study: {},
      removedWorkspaces: {},
      quizNights: {},
    });
    expect(() => migrateLegacy({ schemaVersion: 0 }, 0)).toThrow(/no migration from schema version 0/);
    // A step keeps what is already there.
    expect(migrateLegacy({ removedWorkspaces: { 'slack:T1': 'x' }, quizNights: {} }, 2)).toMatchObject({
      schemaVersion: 4,
      removedWorkspaces: { 'slack:T1': 'x' },
    });
  });

  it('migrates a version 1 file through to the split, keeping a copy of the original', async () => {
    const { dir, file } = setup();
    writeFileSync(file, V1);
    const log = recordingLogger();
    const storage = await open(file, log);

    expect(await storage.settings.get({ platform: 'slack', workspaceId: 'T1' })).toEqual({
      hostUserIds: ['U1'],
      hostNames: { U1: 'Ana' },
      timezone: 'Europe/Paris',
    });
    expect(await storage.daily.subscriptions('2000-01-01')).toEqual([]);
    expect(await storage.games.all()).toEqual([]);
    expect(await storage.workspaces.removed()).toEqual([]);
    expect(existsSync(file)).toBe(false);
    for (const name of FEATURE_FILES) expect(existsSync(`${dir}/${name}`), name).toBe(true);

    expect(readFileSync(`${dir}/thawbot.json.v1-${STAMP}`, 'utf8')).toBe(V1);
    expect(readFileSync(`${dir}/thawbot.json.v4-${STAMP}`, 'utf8')).toBe(V1);
    const note = log.entries.find((e) => e.level === 'warn' && e.msg.startsWith('migrating'));
    expect(note?.fields).toMatchObject({ from: 1, to: 4, original: `${dir}/thawbot.json.v1-${STAMP}` });
  });

  // Stored shapes change only through migrations; fields no version declares are not carried into
  // the feature files, but the original single file is kept byte for byte beside them.
  it('drops fields no schema declares from the feature files and keeps the original file whole', async () => {
    const { dir, file } = setup();
    const v1 = JSON.parse(V1);
    v1.settings['slack:T1'].futureOption = true;
    const text = JSON.stringify(v1);
    writeFileSync(file, text);
    const first = await open(file);
    await first.close();
    const again = await open(file);
    const settings = await again.settings.get({ platform: 'slack', workspaceId: 'T1' });
    expect(settings).toBeDefined();
    expect(settings).not.toHaveProperty('futureOption');
    expect(readFileSync(`${dir}/thawbot.json.v1-${STAMP}`, 'utf8')).toBe(text);
  });

  for (const version of [2, 3]) {
    it(`migrates a version ${version} file through to the split`, async () => {
      const { file } = setup();
      const old: Record<string, unknown> = { ...JSON.parse(FIXTURE_TEXT), schemaVersion: version };
      delete old.quizNights;
      if (version === 2) delete old.removedWorkspaces;
      writeFileSync(file, JSON.stringify(old));
      const storage = await open(file);
      expect(await storage.games.get(QUIZ)).toEqual(V4.quizSessions[`discord:${G}:${QUIZ.channelId}`]);
      expect(await storage.results.player(WS, ANA)).toEqual(V4.study[`discord:${G}:${ANA}`]);
      expect(await storage.nights.all()).toEqual([]);
      expect((await storage.workspaces.removed()).length).toBe(version === 2 ? 0 : 1);
    });
  }
});

function answer(userId: string) {
  return {
    userId,
    displayName: userId === ANA ? 'Ana' : 'Boris',
    choice: 2,
    correct: false,
    ms: 4000,
    points: 0,
    at: '2026-11-26T13:00:44.000Z',
  };
}
