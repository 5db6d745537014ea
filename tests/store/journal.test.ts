/**
 * Review logs in journals beside the learners' files: a write that fails after its lines were
 * appended, or a crash between the two, leaves lines the learner's file does not count. They are
 * never read, and the next answer writes over them.
 */
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../src/core/log.ts';
import { openFileStorage, studyDirFor } from '../../src/store/open.ts';
import type { Storage } from '../../src/store/ports.ts';
import { journalOnDisk, tempDir } from './helpers.ts';
import { card, put } from './study-contract.ts';

/** File names whose next writes fail as on a full disk. */
const failing: RegExp[] = [];
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...real,
    open: (async (file: unknown, ...rest: unknown[]) => {
      const flags = rest[0];
      if (typeof file === 'string' && flags !== 'r' && failing.some((f) => f.test(path.basename(file))))
        throw Object.assign(new Error(`ENOSPC: no space left on device, open '${file}'`), { code: 'ENOSPC' });
      return (real.open as (...a: unknown[]) => Promise<unknown>)(file, ...rest);
    }) as typeof real.open,
  };
});

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  failing.length = 0;
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const WS = { platform: 'discord', workspaceId: 'g1' } as const;
const ANA = 'discord%3Ag1%3Aana';

function setup() {
  const t = tempDir('thawbot-journal-');
  cleanups.push(t.cleanup);
  return t;
}

async function open(file: string): Promise<Storage> {
  const storage = await openFileStorage({ file, log: silentLogger });
  cleanups.push(() => storage.close());
  return storage;
}

function answer(storage: Storage, q: string, at: string) {
  return storage.study.changeCard(WS, 'ana', q, put(card(q, at, { lastReview: at })));
}

const questionsLogged = async (storage: Storage) =>
  (await storage.study.logs(WS, 'ana', new Date(0))).map((e) => e.questionId);

function onDisk(file: string) {
  const record = path.join(studyDirFor(file), `${ANA}.json`);
  const parsed = JSON.parse(readFileSync(record, 'utf8'));
  return { parsed, entries: journalOnDisk(record, parsed.journal) as { questionId: string }[] };
}

describe("a learner's journal", () => {
  it('drops the lines of a write that failed after appending them, and the next answer writes over them', async () => {
    const { file } = setup();
    const storage = await open(file);
    await answer(storage, 'q1', '2026-11-20T10:00:00.000Z');

    // The journal takes the line, then the learner's file cannot be written.
    failing.push(/^\.discord%3Ag1%3Aana\.json\.tmp$/);
    await expect(answer(storage, 'q2', '2026-11-21T10:00:00.000Z')).rejects.toMatchObject({
      code: 'write-failed',
    });
    failing.length = 0;
    const journal = path.join(studyDirFor(file), `${ANA}.0.jsonl`);
    expect(readFileSync(journal, 'utf8').trim().split('\n')).toHaveLength(2); // the refused line is there
    expect(await questionsLogged(storage)).toEqual(['q1']);
    expect(await storage.study.card(WS, 'ana', 'q2')).toBeUndefined();

    await answer(storage, 'q3', '2026-11-22T10:00:00.000Z');
    expect(await questionsLogged(storage)).toEqual(['q1', 'q3']);
    expect(readFileSync(journal, 'utf8').trim().split('\n')).toHaveLength(2);
    expect(onDisk(file).entries.map((e) => e.questionId)).toEqual(['q1', 'q3']);
  });

  it('refuses an answer whose line could not be appended, and keeps the card as it was', async () => {
    const { file } = setup();
    const storage = await open(file);
    await answer(storage, 'q1', '2026-11-20T10:00:00.000Z');
    failing.push(/\.jsonl$/);
    await expect(answer(storage, 'q1', '2026-11-21T10:00:00.000Z')).rejects.toMatchObject({
      code: 'write-failed',
    });
    failing.length = 0;
    expect((await storage.study.card(WS, 'ana', 'q1'))?.lastReview).toBe('2026-11-20T10:00:00.000Z');
    expect(await questionsLogged(storage)).toEqual(['q1']);
  });

  it('ignores lines a crash left past what the file counts, after a restart too', async () => {
    const { file } = setup();
    const first = await open(file);
    await answer(first, 'q1', '2026-11-20T10:00:00.000Z');
    await first.close();
    // As if the process died after appending a line and before writing the learner's file.
    const journal = path.join(studyDirFor(file), `${ANA}.0.jsonl`);
    appendFileSync(journal, '{"questionId":"ghost","at":"2026-11-21T10:00:00.000Z","rating":3,"cor');
    const again = await open(file);
    expect(await questionsLogged(again)).toEqual(['q1']);
    await answer(again, 'q2', '2026-11-22T10:00:00.000Z');
    expect(await questionsLogged(again)).toEqual(['q1', 'q2']);
    expect(readFileSync(journal, 'utf8')).not.toContain('ghost');
    expect(readdirSync(studyDirFor(file)).filter((n) => n.endsWith('.jsonl'))).toEqual([`${ANA}.0.jsonl`]);
  });

  it('holds in memory only the entries not yet written', async () => {
    const { file } = setup();
    const storage = await open(file);
    for (let q = 0; q < 5; q++) await answer(storage, `q${q}`, `2026-11-2${q}T10:00:00.000Z`);
    const learner = (
      storage as unknown as { docs: { study: { read(): { learners: Record<string, { log: unknown[] }> } } } }
    ).docs.study.read().learners['discord:g1:ana'];
    expect(learner?.log ?? []).toEqual([]);
    expect(await questionsLogged(storage)).toEqual(['q0', 'q1', 'q2', 'q3', 'q4']);
    expect(onDisk(file).parsed.learner.log).toEqual([]);
  });
});
