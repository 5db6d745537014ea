/** Study records on the document engine: one file per learner in `thawbot.study/`. */
import { existsSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/store/errors.ts';
import { featureFileFor, openFileStorage, studyDirFor } from '../../src/store/open.ts';
import { journalOnDisk, openError, recordingLogger, tempDir } from './helpers.ts';
import { card, put } from './study-contract.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const NOW = new Date('2026-03-01T12:00:00.000Z');
const WS = { platform: 'discord', workspaceId: 'g1' } as const;
const ANA = 'discord%3Ag1%3Aana.json';
const BOB = 'discord%3Ag1%3Abob.json';
const ANA_LOG = 'discord%3Ag1%3Aana.0.jsonl';
const BOB_LOG = 'discord%3Ag1%3Abob.0.jsonl';

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

/** Files under the data folder written since `markAll`. */
function written(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => !f.endsWith('.lock') && statSync(path.join(dir, f)).isFile())
    .filter((f) => statSync(path.join(dir, f)).mtimeMs > 946684800_000)
    .sort();
}

describe('a file per learner', () => {
  it("recording an answer writes that learner's file only, never another learner's or the other features", async () => {
    const { dir, file } = setup();
    const storage = await open(file);
    await storage.study.changeCard(WS, 'ana', 'q1', put(card('q1', '2026-03-02T10:00:00.000Z')));
    await storage.study.changeCard(WS, 'bob', 'q1', put(card('q1', '2026-03-02T10:00:00.000Z')));
    await storage.flush();
    markAll(dir);

    await storage.study.changeCard(WS, 'ana', 'q2', put(card('q2', '2026-03-03T10:00:00.000Z')));
    // The learner's file, and one line appended to their journal: earlier answers are not rewritten.
    expect(written(dir)).toEqual([path.join('thawbot.study', ANA_LOG), path.join('thawbot.study', ANA)]);
    const studyDir = studyDirFor(file);
    expect(readdirSync(studyDir).sort()).toEqual([ANA_LOG, ANA, `${ANA}.bak`, BOB_LOG, BOB, `${BOB}.bak`]);
    const onDisk = JSON.parse(readFileSync(path.join(studyDir, ANA), 'utf8'));
    expect(Object.keys(onDisk.learner.cards).sort()).toEqual(['q1', 'q2']);
    expect(onDisk.learner.log).toEqual([]);
    expect(onDisk.journal).toEqual({ gen: 0, bytes: readFileSync(path.join(studyDir, ANA_LOG)).length });
    expect(journalOnDisk(path.join(studyDir, ANA), onDisk.journal)).toHaveLength(2);

    markAll(dir);
    await storage.study.changeProfile(WS, 'bob', (p) => {
      p.reminder = { time: '08:00', timezone: 'Europe/Paris' };
    });
    expect(await storage.study.claimReminder(WS, 'bob', '2026-03-01', NOW)).toBe(true);
    expect(written(dir)).toEqual([path.join('thawbot.study', BOB)]);

    // Forgetting a learner deletes their file, its backup and their journal, and leaves the others.
    expect(await storage.study.forgetLearner(WS, 'ana')).toBe(true);
    expect(readdirSync(studyDir).sort()).toEqual([BOB_LOG, BOB, `${BOB}.bak`]);
  });

  it("prune rewrites only the learners it removes from; forgetting a workspace deletes its learners' files", async () => {
    const { dir, file } = setup();
    const storage = await open(file);
    const other = { platform: 'discord', workspaceId: 'g2' } as const;
    // Ana's answer is old enough for its log entry to go; Bob's and Cleo's are recent.
    await storage.study.changeCard(
      WS,
      'ana',
      'q1',
      put(card('q1', '2024-01-02T10:00:00.000Z', { lastReview: '2024-01-01T10:00:00.000Z' })),
    );
    await storage.study.changeCard(WS, 'bob', 'q1', put(card('q1', '2026-03-02T10:00:00.000Z')));
    await storage.study.changeCard(other, 'cleo', 'q1', put(card('q1', '2026-03-02T10:00:00.000Z')));
    await storage.flush();
    markAll(dir);

    expect((await storage.prune(NOW)).reviewLogs).toBe(1);
    // A new generation of Ana's journal without the old entry, her file pointing at it, and the
    // backup rolled to it; the old generation is gone.
    const ana1 = ANA_LOG.replace('.0.jsonl', '.1.jsonl');
    expect(written(dir)).toEqual([ana1, ANA, `${ANA}.bak`].map((f) => path.join('thawbot.study', f)));
    expect(existsSync(path.join(studyDirFor(file), ANA_LOG))).toBe(false);
    const after = JSON.parse(readFileSync(path.join(studyDirFor(file), ANA), 'utf8'));
    expect(after.journal).toEqual({ gen: 1, bytes: 0 });
    expect(await storage.study.logs(WS, 'ana', new Date(0))).toEqual([]);

    await storage.workspaces.forget(WS);
    expect(readdirSync(studyDirFor(file)).sort()).toEqual([
      'discord%3Ag2%3Acleo.0.jsonl',
      'discord%3Ag2%3Acleo.json',
      'discord%3Ag2%3Acleo.json.bak',
    ]);
  });

  it('loads every learner back, recovers a corrupt learner file from its backup, and names one it cannot', async () => {
    const { file } = setup();
    let storage = await openFileStorage({ file, log: recordingLogger() });
    await storage.study.changeCard(WS, 'ana', 'q1', put(card('q1', '2026-03-02T10:00:00.000Z')));
    await storage.study.changeCard(WS, 'bob', 'q1', put(card('q1', '2026-03-02T10:00:00.000Z')));
    await storage.close();
    const anaFile = path.join(studyDirFor(file), ANA);
    writeFileSync(anaFile, '{"version": 1, "learner": {');

    const log = recordingLogger();
    storage = await open(file, log);
    expect((await storage.study.cards(WS, 'ana')).map((c) => c.questionId)).toEqual(['q1']);
    expect((await storage.study.cards(WS, 'bob')).map((c) => c.questionId)).toEqual(['q1']);
    expect(log.entries.some((e) => e.level === 'error' && e.msg.includes(anaFile))).toBe(true);
    await storage.close();

    writeFileSync(anaFile, 'garbage');
    writeFileSync(`${anaFile}.bak`, 'garbage');
    const error = await openError(file);
    expect(error).toBeInstanceOf(StoreError);
    expect(error.message).toContain(anaFile);
  });

  it('refuses a learner file that holds another learner', async () => {
    const { file } = setup();
    const storage = await openFileStorage({ file, log: recordingLogger() });
    await storage.study.changeCard(WS, 'ana', 'q1', put(card('q1', '2026-03-02T10:00:00.000Z')));
    await storage.close();
    const dir = studyDirFor(file);
    const text = readFileSync(path.join(dir, ANA), 'utf8');
    writeFileSync(path.join(dir, BOB), text);
    const error = await openError(file);
    expect(error.message).toContain(path.join(dir, BOB));
    expect(error.message).toContain('discord:g1:ana');
  });

  it('folds a thawbot.study.json of an earlier build into the folder and keeps it under a versioned name', async () => {
    const { dir, file } = setup();
    let storage = await openFileStorage({ file, log: recordingLogger() });
    await storage.study.changeCard(WS, 'ana', 'q1', put(card('q1', '2026-03-02T10:00:00.000Z')));
    const learners = storage.snapshot().study.learners;
    await storage.close();
    // As an earlier build left it: every learner in one file, no folder.
    rmSync(studyDirFor(file), { recursive: true });
    const single = featureFileFor(file, 'study');
    writeFileSync(single, JSON.stringify({ version: 1, learners }));

    storage = await open(file);
    expect((await storage.study.cards(WS, 'ana')).map((c) => c.questionId)).toEqual(['q1']);
    expect(existsSync(single)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.startsWith('thawbot.study.json.v1-'))).toHaveLength(1);
    expect(readdirSync(studyDirFor(file)).sort()).toEqual([ANA, `${ANA}.bak`]);
  });
});
