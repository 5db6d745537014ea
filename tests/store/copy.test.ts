/**
 * `npm run store:copy`: a deployment moved from lowdb files to PostgreSQL and back reads back the
 * same, counts match on both sides, and a target that holds data is refused unless `--replace`.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/log.ts';
import type { ChannelRef } from '../../src/core/platform.ts';
import { countRows, formatCounts, main, maskUrl } from '../../src/store/copy.ts';
import { memoryStorage } from '../../src/store/doc/index.ts';
import type { FeatureDocs } from '../../src/store/doc/shapes.ts';
import { countRecords } from '../../src/store/doc/transfer.ts';
import { StoreError } from '../../src/store/errors.ts';
import { featureFileFor, openFileStorage } from '../../src/store/open.ts';
import { openPgStorage } from '../../src/store/pg/index.ts';
import type { Dispute } from '../../src/store/ports.ts';
import { TEST_DATABASE_URL, testSchema } from '../helpers/pg.ts';
import { answerBy, channelOf, nightFor, resultFor, sessionFor, subscriptionFor, tempDir } from './helpers.ts';

const run = promisify(execFile);
const NOW = new Date('2026-11-20T12:00:00.000Z');
const at = (day: number, time = '10:00') =>
  new Date(`2026-11-${String(day).padStart(2, '0')}T${time}:00.000Z`);
const topicsOf = (questionId: string) => (questionId === 'q1' ? ['khrushchev', 'thaw'] : ['sputnik']);

/** Every kind of record, built through the repositories of a lowdb deployment. */
async function buildDeployment(file: string): Promise<void> {
  const storage = await openFileStorage({ file, log: silentLogger, now: () => NOW });
  const g1 = channelOf('g1', 'c1');
  const g1b = channelOf('g1', 'c2');
  const slack = channelOf('T1', 'C9', 'slack');
  const gone = channelOf('g2', 'c7');
  try {
    // Settings of two workspaces.
    await storage.settings.change({ platform: 'discord', workspaceId: 'g1' }, (s) => {
      s.timezone = 'Europe/Moscow';
      s.hostRoleId = 'r1';
      s.hostRoleName = 'Hosts';
      s.hostUserIds.push('u7');
      s.hostNames = { u7: 'Yevgeny' };
    });
    await storage.settings.change({ platform: 'slack', workspaceId: 'T1' }, (s) => {
      s.hostUserIds.push('U1');
    });

    // Subscriptions (one paused), and deliveries of every status, some outliving their subscription.
    await storage.daily.subscribe(subscriptionFor(g1));
    await storage.daily.subscribe(subscriptionFor(g1b, { days: 'weekdays', time: '07:30' }));
    await storage.daily.subscribe(subscriptionFor(slack, { timezone: 'America/New_York' }));
    await storage.daily.subscribe(subscriptionFor(gone));
    await storage.daily.setPaused(g1b, {
      reason: 'missing permission',
      at: at(10).toISOString(),
      byUser: false,
    });
    await storage.daily.claimDelivery(g1, '2026-11-18', at(18));
    await storage.daily.recordDelivery(g1, '2026-11-18', 'sent', at(18, '10:01'), { messageId: 'm18' });
    await storage.daily.claimDelivery(g1, '2026-11-19', at(19));
    await storage.daily.recordDelivery(g1, '2026-11-19', 'failed', at(19, '10:02'), { note: 'rate limited' });
    await storage.daily.claimDelivery(g1, '2026-11-20', at(20));
    await storage.daily.recordDelivery(g1b, '2026-11-20', 'skipped', at(20), { note: 'weekend' });
    await storage.daily.claimDelivery(slack, '2026-11-20', at(20));
    await storage.daily.recordDelivery(slack, '2026-11-20', 'sent', at(20), { messageId: '1732.0001' });
    await storage.daily.claimDelivery(gone, '2026-11-17', at(17));
    await storage.daily.recordDelivery(gone, '2026-11-17', 'sent', at(17), { messageId: 'm17' });
    await storage.daily.unsubscribe(gone);

    // A running game with answers in two rounds and a message id, and one without answers.
    const game = sessionFor(g1, 'game9', 2, at(20).toISOString());
    game.topic = 'thaw';
    game.streaks = { u1: 2 };
    await storage.games.create(game);
    await storage.games.recordAnswer(g1, 'game9', 0, answerBy('u1', at(20).toISOString()));
    await storage.games.recordAnswer(
      g1,
      'game9',
      0,
      answerBy('u2', at(20).toISOString(), { correct: false }),
    );
    await storage.games.recordAnswer(g1, 'game9', 1, answerBy('u1', at(20).toISOString(), { choice: 3 }));
    await storage.games.setMessageId(g1, 'game9', 1, 'msg-round-2');
    await storage.games.create(sessionFor(slack, 'game3', 1, at(20).toISOString()));

    // Finished games: one old enough to be pruned (its points stay on the boards), one recent, one practice.
    await storage.results.record(
      resultFor(g1, 'old', '2026-03-05T20:00:00.000Z', [
        { userId: 'u1', points: 700 },
        { userId: 'u2', points: 300, correct: 0 },
      ]),
      topicsOf,
    );
    await storage.results.record(
      resultFor(g1b, 'recent', at(15).toISOString(), [{ userId: 'u1', points: 950.5 }], { topic: 'thaw' }),
      topicsOf,
    );
    await storage.results.record(
      resultFor(slack, 'solo', at(16).toISOString(), [{ userId: 'U1', points: 400 }], { practice: true }),
      topicsOf,
    );
    await storage.results.noteAnswer(
      { platform: 'discord', workspaceId: 'g1' },
      { id: 'u2', displayName: 'Ilya' },
      {
        questionId: 'q2',
        topics: ['sputnik'],
        correct: true,
        at: at(17).toISOString(),
        source: 'daily',
      },
    );

    // Quiz nights with runs, one paused.
    await storage.nights.add(nightFor(g1, 'n1'));
    await storage.nights.add({
      ...nightFor(slack, 'n2'),
      ping: { id: 'S1', label: 'quiz-fans' },
      topic: 'thaw',
    });
    await storage.nights.markRun(g1, 'n1', '2026-11-12', 'reminded', at(12, '18:30').toISOString());
    await storage.nights.markRun(g1, 'n1', '2026-11-12', 'started', at(12, '19:30').toISOString());
    await storage.nights.markRun(g1, 'n1', '2026-11-19', 'skipped', 'no questions left');
    await storage.nights.setPaused(slack, 'n2', {
      reason: 'paused by a host',
      at: at(18).toISOString(),
      byUser: true,
    });

    // Review decks: cards with their log, a profile with a reminder (paused) and a reminder claim.
    const g1ws = { platform: 'discord', workspaceId: 'g1' } as const;
    for (const [i, questionId] of ['q1', 'q2'].entries())
      await storage.study.changeCard(g1ws, 'u1', questionId, () => ({
        card: {
          questionId,
          due: at(21 + i).toISOString(),
          stability: 2.5 + i,
          difficulty: 5.25,
          elapsedDays: 0,
          scheduledDays: 1 + i,
          learningSteps: 0,
          reps: 1,
          lapses: i,
          state: 'review',
          lastReview: at(20).toISOString(),
          addedAt: at(20).toISOString(),
          addedBy: i === 0 ? 'quiz' : 'review',
        },
        log: { questionId, at: at(20).toISOString(), rating: 3 - i, correct: i === 0, source: 'quiz' },
        topics: topicsOf(questionId),
      }));
    await storage.study.changeProfile({ platform: 'slack', workspaceId: 'T1' }, 'U1', (p) => {
      p.newPerDay = 8;
      p.reminder = {
        time: '08:00',
        timezone: 'America/New_York',
        paused: { reason: 'DMs are closed', at: at(19).toISOString() },
      };
    });
    await storage.study.claimReminder({ platform: 'slack', workspaceId: 'T1' }, 'U1', '2026-11-19', at(19));

    // Dispute reports: open, rejected with a note and seen, and one anonymised.
    const report = (id: string, over: Partial<Dispute> = {}): Dispute => ({
      id,
      platform: 'discord',
      workspaceId: 'g1',
      channelId: 'c1',
      questionId: 'q-1',
      reason: 'ambiguous',
      text: 'Two answers fit: <@123> @everyone **bold**',
      userId: 'u1',
      userName: 'Maria',
      createdAt: at(19).toISOString(),
      status: 'open',
      ...over,
    });
    const limit = { since: at(1), max: 10 };
    await storage.disputes.file(report('r1', { questionId: 'q-2', reason: 'typo' }), limit);
    await storage.disputes.close(g1ws, 'q-2', { status: 'rejected', at: at(20), note: 'It is right.' });
    await storage.disputes.markSeen(g1ws, 'u1', ['r1'], at(20, '11:00'));
    await storage.disputes.file(report('r2'), limit);
    await storage.disputes.file(
      report('r3', { userId: 'u2', userName: 'Ivan', workspaceId: 'T1', platform: 'slack' }),
      limit,
    );
    await storage.disputes.forgetLearner({ platform: 'slack', workspaceId: 'T1' }, 'u2');
    // An assignment with its reminder claimed, one learner's progress and answers.
    await storage.assignments.create({
      id: 'as1',
      channel: g1,
      topic: 'secret-speech',
      questionIds: ['q1', 'q2'],
      dueAt: at(24, '22:59').toISOString(),
      dueDate: '2026-11-24',
      dueTime: '23:59',
      timezone: 'Europe/Berlin',
      createdAt: at(18).toISOString(),
      createdBy: { id: 'u-host', displayName: 'Teacher' },
      ping: { id: 'r1', label: 'class-9b' },
      hosts: { 'u-host': 'Teacher' },
    });
    await storage.assignments.claimReminder(g1ws, 'as1', at(23, '22:59'));
    await storage.assignments.start({
      ...g1ws,
      assignmentId: 'as1',
      userId: 'u1',
      displayName: '=Ada, "the" @one',
      order: ['q2', 'q1'],
      startedAt: at(19).toISOString(),
      updatedAt: at(19).toISOString(),
      answers: {},
    });
    await storage.assignments.answer(g1ws, 'as1', 'u1', 'q2', {
      choice: 1,
      correct: false,
      at: at(19).toISOString(),
    });

    // A removed workspace waiting for deletion.
    await storage.workspaces.markRemoved({ platform: 'discord', workspaceId: 'g2' }, at(19));

    const pruned = await storage.prune(NOW);
    expect(pruned.quizResults).toBe(1);
  } finally {
    await storage.close();
  }
}

async function dumpFile(file: string): Promise<FeatureDocs> {
  const storage = await openFileStorage({ file, log: silentLogger });
  try {
    return await storage.dump();
  } finally {
    await storage.close();
  }
}

async function copy(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, {
    out: (text) => {
      out += text;
    },
    err: (text) => {
      err += text;
    },
    log: silentLogger,
  });
  return { code, out, err };
}

describe('store:copy between lowdb files and PostgreSQL', () => {
  const db = testSchema();
  const dirs: { cleanup: () => void }[] = [];
  let sourceFile: string;
  let source: FeatureDocs;

  const dir = () => {
    const made = tempDir('thawbot-copy-');
    dirs.push(made);
    return made;
  };
  const pgDump = async () => {
    const storage = await openPgStorage({ url: TEST_DATABASE_URL, schema: db.schema, log: silentLogger });
    try {
      return await storage.dump();
    } finally {
      await storage.close();
    }
  };

  beforeAll(async () => {
    sourceFile = dir().file;
    await buildDeployment(sourceFile);
    source = await dumpFile(sourceFile);
  });

  afterAll(async () => {
    await db.drop();
    for (const d of dirs) d.cleanup();
  });

  it('builds a data set with records of every kind', () => {
    const counts = countRecords(source);
    for (const [kind, n] of Object.entries(counts)) expect(n, kind).toBeGreaterThan(0);
    // The pruned game's points are still on the boards: they must be copied, not recomputed.
    expect(Object.keys(source.results.results)).toHaveLength(2);
    expect(source.results.scores['discord:g1:all']?.users.u1?.points).toBe(700 + 950.5);
    expect(counts.deliveries).toBe(6);
    expect(counts.answers).toBe(3);
  });

  it('moves lowdb -> PostgreSQL -> lowdb and reads back the same documents', async () => {
    const toPg = await copy('--from', sourceFile, '--to', TEST_DATABASE_URL, '--to-schema', db.schema);
    expect(toPg.err).toBe('');
    expect(toPg.code).toBe(0);
    expect(await pgDump()).toEqual(source);

    const backFile = dir().file;
    const back = await copy('--from', TEST_DATABASE_URL, '--from-schema', db.schema, '--to', backFile);
    expect(back.err).toBe('');
    expect(back.code).toBe(0);
    expect(await dumpFile(backFile)).toStrictEqual(source);
    // The source is left as it was.
    expect(await dumpFile(sourceFile)).toStrictEqual(source);
  });

  it('prints equal counts for every kind of record', async () => {
    const target = dir().file;
    const { code, out } = await copy('--from', sourceFile, '--to', target);
    expect(code).toBe(0);
    for (const row of countRows(source, source)) {
      expect(row.source).toBe(row.target);
      expect(out).toMatch(new RegExp(`${row.label}\\s+${row.source}\\s+${row.source}\\n`));
    }
    expect(out).toContain(formatCounts(countRows(source, source)));
    expect(out).toContain('Every count matches');
  });

  it('refuses a PostgreSQL target that holds data unless --replace, and then replaces it', async () => {
    // The schema holds the copy of the previous test; make it differ from the source.
    const storage = await openPgStorage({ url: TEST_DATABASE_URL, schema: db.schema, log: silentLogger });
    await storage.workspaces.markRemoved({ platform: 'slack', workspaceId: 'T77' }, NOW);
    await storage.close();
    const before = await pgDump();
    expect(before).not.toEqual(source);

    const refused = await copy('--from', sourceFile, '--to', TEST_DATABASE_URL, '--to-schema', db.schema);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('already holds data');
    expect(refused.err).toContain('removed_workspaces: 2 rows');
    expect(refused.err).toContain('--replace');
    expect(await pgDump()).toEqual(before);

    const replaced = await copy(
      '--from',
      sourceFile,
      '--to',
      TEST_DATABASE_URL,
      '--to-schema',
      db.schema,
      '--replace',
    );
    expect(replaced.err).toBe('');
    expect(replaced.code).toBe(0);
    expect(await pgDump()).toEqual(source);
  });

  it('refuses a target file that exists unless --replace', async () => {
    const target = dir().file;
    expect((await copy('--from', sourceFile, '--to', target)).code).toBe(0);
    const settingsFile = featureFileFor(target, 'settings');
    const written = readFileSync(settingsFile, 'utf8');

    const refused = await copy('--from', sourceFile, '--to', target);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('already has files');
    expect(refused.err).toContain('--replace');
    expect(readFileSync(settingsFile, 'utf8')).toBe(written);

    const replaced = await copy('--from', sourceFile, '--to', target, '--replace');
    expect(replaced.code).toBe(0);
    expect(await dumpFile(target)).toStrictEqual(source);
  });

  it('refuses the same place on both sides, a missing source, and never prints a password', async () => {
    // The same files through a symbolic link to their directory.
    const link = path.join(dir().dir, 'link');
    symlinkSync(path.dirname(sourceFile), link);
    const same = await copy('--from', sourceFile, '--to', path.join(link, 'thawbot.json'));
    expect(same.code).toBe(2);
    expect(same.err).toContain('the same place');

    const url = 'postgres://thawbot:sekrit%2Fpw@127.0.0.1:5432/test';
    const samePg = await copy('--from', url, '--to', url);
    expect(samePg.code).toBe(2);
    expect(samePg.err).toContain('postgres://thawbot:***@127.0.0.1:5432/test');
    expect(samePg.err).not.toContain('sekrit');

    const unreachable = await copy(
      '--from',
      'postgres://thawbot:sekrit@127.0.0.1:1/test',
      '--to',
      dir().file,
    );
    expect(unreachable.code).toBe(1);
    expect(`${unreachable.out}${unreachable.err}`).not.toContain('sekrit');
    expect(unreachable.out).toContain('postgres://thawbot:***@127.0.0.1:1/test');

    const missing = dir().file;
    const nothing = await copy('--from', missing, '--to', dir().file);
    expect(nothing.code).toBe(1);
    expect(nothing.err).toContain('no data files');
    expect(existsSync(featureFileFor(missing, 'settings'))).toBe(false);

    expect((await copy('--from', sourceFile)).code).toBe(2);
    expect(maskUrl('postgresql://a:b@h/db?password=c')).toBe('postgresql://a:***@h/db?password=***');
  });

  it('runs as a command: lowdb -> PostgreSQL in a child process', async () => {
    await db.reset();
    const { stdout, stderr } = await run(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/store/copy.ts',
        '--from',
        sourceFile,
        '--to',
        TEST_DATABASE_URL,
        '--to-schema',
        db.schema,
      ],
      { env: { ...process.env, LOG_LEVEL: 'warn' } },
    );
    expect(stderr).toBe('');
    expect(stdout).toContain(`to PostgreSQL ${TEST_DATABASE_URL} (schema ${db.schema})`);
    expect(stdout).toContain(formatCounts(countRows(source, source)));
    expect(stdout).toContain('Every count matches');
    expect(await pgDump()).toEqual(source);

    // A refusal exits 1.
    const refused = await run(process.execPath, [
      '--import',
      'tsx',
      'src/store/copy.ts',
      '--from',
      sourceFile,
      '--to',
      TEST_DATABASE_URL,
      '--to-schema',
      db.schema,
    ]).catch((error: { code: number; stderr: string }) => error);
    expect('code' in refused && refused.code).toBe(1);
    expect((refused as { stderr: string }).stderr).toContain('already holds data');
  });
});

describe('transfer on the document engine', () => {
  it('loads into an empty storage, refuses a storage with data, and replaces when asked', async () => {
    const channel: ChannelRef = channelOf('g5', 'c5');
    const from = memoryStorage();
    await from.daily.subscribe(subscriptionFor(channel));
    await from.workspaces.markRemoved({ platform: 'discord', workspaceId: 'g6' }, NOW);
    const docs = await from.dump();

    const to = memoryStorage();
    await to.load(docs);
    expect(await to.dump()).toStrictEqual(docs);

    const other = memoryStorage();
    await other.settings.change({ platform: 'discord', workspaceId: 'g7' }, (s) => {
      s.timezone = 'UTC';
    });
    const refused = await other.load(docs).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(StoreError);
    expect((refused as StoreError).code).toBe('not-empty');
    expect((refused as StoreError).message).toContain('1 settings');
    await other.load(docs, { replace: true });
    expect(await other.dump()).toStrictEqual(docs);
  });

  it('refuses documents that do not fit the schema, changing nothing', async () => {
    const to = memoryStorage();
    const bad = { ...(await to.dump()), daily: { version: 1, subscriptions: { x: { time: 'noon' } } } };
    await expect(to.load(bad as unknown as FeatureDocs)).rejects.toThrow(/daily records to copy/);
  });
});
