/**
 * Writes that fail (a full disk) must not leave a false state: what the user is told is what is
 * stored. Each case runs on memory documents with injected failures and on real feature files whose
 * writes fail (a directory sits where the temp file must go). Timers are fake; nothing sleeps.
 */
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { commands } from '../../commands/index.ts';
import { loadContent } from '../../src/content/load.ts';
import type { Actor } from '../../src/core/command.ts';
import { silentLogger } from '../../src/core/log.ts';
import { channelKey } from '../../src/core/platform.ts';
import { WRITE_FAILED } from '../../src/core/router.ts';
import { gameFileName } from '../../src/store/doc/game-files.ts';
import { type DocStorage, memoryStorage, WriteFaults } from '../../src/store/doc/index.ts';
import { FEATURES, type Feature } from '../../src/store/doc/shapes.ts';
import { tempPathFor } from '../../src/store/files.ts';
import { featureFileFor, gamesDirFor, openFileStorage } from '../../src/store/open.ts';
import { resultsDirFor } from '../../src/store/open-results.ts';
import { REAL_CONTENT, testApp } from '../helpers/deps.ts';
import { RecordingPoster } from '../helpers/poster.ts';
import { recordingQuizApp } from '../helpers/quiz-content.ts';
import { tempDir } from '../store/helpers.ts';

/** A store whose writes can be made to fail, and recover, per feature document. */
interface Faulty {
  storage: DocStorage;
  fail(only?: Feature[]): void;
  recover(): void;
  /** Lets writes in flight finish (real file I/O is not moved by fake timers). */
  settle(): Promise<void>;
  /** The store as a restarted process sees it. */
  reopen(): Promise<DocStorage>;
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

function inMemory(): Faulty {
  const faults = new WriteFaults();
  const storage = memoryStorage({}, { faults });
  return {
    storage,
    fail: (only) => faults.fail(undefined, only),
    recover: () => faults.recover(),
    settle: async () => {},
    // Memory is all there is: a restart sees what memory holds.
    reopen: async () => storage,
  };
}

async function onFiles(): Promise<Faulty> {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const open = async () => {
    const s = await openFileStorage({ file: t.file, log: silentLogger, lock: { heartbeatMs: 3_600_000 } });
    cleanups.push(() => s.close().catch(() => undefined));
    return s;
  };
  const storage = await open();
  const blocked: string[] = [];
  const undo: (() => void)[] = [];
  return {
    storage,
    fail: (only = [...FEATURES]) => {
      for (const f of only) {
        if (f === 'results') {
          // Finished games, boards and players' records have a file each: a file where each folder
          // was makes every write into it fail (ENOTDIR).
          for (const folder of readdirSync(resultsDirFor(t.file))) {
            const dir = path.join(resultsDirFor(t.file), folder);
            renameSync(dir, `${dir}-away`);
            writeFileSync(dir, '');
            undo.push(() => {
              rmSync(dir);
              renameSync(`${dir}-away`, dir);
            });
          }
          continue;
        }
        // A directory where the temp file must be written: that feature's writes fail (EISDIR).
        // Running games have a file each: the game of the test's channel.
        const target =
          f === 'games'
            ? path.join(gamesDirFor(t.file), gameFileName(channelKey(channel)))
            : featureFileFor(t.file, f);
        const temp = tempPathFor(target);
        mkdirSync(temp);
        blocked.push(temp);
      }
    },
    recover: () => {
      for (const temp of blocked.splice(0)) rmSync(temp, { recursive: true });
      for (const fn of undo.splice(0)) fn();
    },
    settle: async () => {
      for (let i = 0; i < 3; i++) {
        await storage.flush().catch(() => undefined);
        await vi.advanceTimersByTimeAsync(0);
      }
    },
    reopen: async () => {
      await storage.close();
      return open();
    },
  };
}

let loaded: ReturnType<typeof loadContent> | undefined;
const realContent = () => {
  loaded ??= loadContent(REAL_CONTENT);
  return loaded;
};

const engines = [
  ['memory', async () => inMemory()],
  ['files', onFiles],
] as const;

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-03-10T19:00:00Z'), toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

const channel = { platform: 'discord' as const, workspaceId: 'g1', channelId: 'c1' };
function person(id: string, host = false): Actor {
  return {
    user: { platform: 'discord', id, displayName: id.toUpperCase() },
    channel,
    isAdmin: host,
    isHost: host,
    inServer: true,
  };
}
const ann = person('ann');
const bob = person('bob');
const host = person('host', true);

function quizApp(f: Faulty) {
  const built = recordingQuizApp({ storage: f.storage, seed: 3, quizPauseMs: 2000 });
  const { poster } = built;
  const run = (who: Actor, command: string, text: string) =>
    built.router.handle({ ...who, command, input: { kind: 'text', text } });
  /** Clicks the option of the latest question that is right (or wrong). */
  const click = async (who: Actor, right: boolean) => {
    const q = [...poster.posts].reverse().find((p) => p.reply.title?.startsWith('Question'));
    if (!q) throw new Error('no question posted');
    const options = (q.reply.text ?? '').split('\n').filter((l) => /^\*\*[A-D]\.\*\*/.test(l));
    const rightIndex = options.findIndex((l) => l.includes('right'));
    const id = q.reply.actions?.[right ? rightIndex : (rightIndex + 1) % 4]?.id as string;
    return (await built.router.handleAction({ ...who, actionId: id })).reply;
  };
  /** Moves the clock in half seconds, letting file writes finish at each step. */
  const wait = async (ms: number) => {
    for (let t = 0; t < ms; t += 500) {
      await vi.advanceTimersByTimeAsync(Math.min(500, ms - t));
      await f.settle();
    }
  };
  return { ...built, run, click, wait };
}

describe.each(engines)('failed writes on %s', (_name, make) => {
  it('a question timer that fires while writes fail is tried again: the game finishes with the right scores', async () => {
    const f = await make();
    const a = quizApp(f);
    expect((await a.run(ann, 'quiz', 'start questions:3 seconds:10')).title).toBe('Quiz time!');
    await a.wait(2000);
    expect(a.poster.titles()).toEqual(['Question 1 of 3']);
    expect((await a.click(ann, true)).text).toMatch(/^Locked in/);

    f.fail();
    // An answer that cannot be saved is refused as such, and is not counted.
    expect((await a.click(bob, true)).text).toBe(WRITE_FAILED);
    expect(f.storage.health().ok).toBe(false);
    await a.wait(20_000); // time is up at 10 s; every try to close the question fails
    expect(a.poster.titles()).toEqual(['Question 1 of 3']);
    expect((await f.storage.games.get(channel))?.rounds[0]?.revealed).toBeUndefined();

    f.recover();
    // The next try (backoff at most 30 s) closes it, and the game goes on.
    let waited = 0;
    while (!a.poster.titles().includes('Question 2 of 3') && waited <= 32_000) {
      await a.wait(500);
      waited += 500;
    }
    expect(f.storage.health().ok).toBe(true);
    expect(a.poster.titles().slice(0, 3)).toEqual([
      'Question 1 of 3',
      expect.stringMatching(/^Answer: /),
      'Question 2 of 3',
    ]);
    for (let round = 2; round <= 3; round++) {
      expect((await a.click(ann, true)).text).toMatch(/^Locked in/);
      expect((await a.click(bob, false)).text).toMatch(/^Locked in/);
      await a.wait(12_000);
    }
    expect(a.poster.titles().at(-1)).toBe('Final scores');
    expect(a.poster.last().text?.split('\n')).toEqual([
      expect.stringMatching(/^1\. \*\*ANN\*\*: [\d,]+ points \(3\/3 right\)$/),
      expect.stringMatching(/^2\. \*\*BOB\*\*: 0 points \(0\/3 right\)$/),
    ]);
    expect(await f.storage.games.get(channel)).toBeUndefined();
    const board = await f.storage.results.leaderboard(channel, 'all', 10);
    expect(board.map((r) => [r.userId, r.games, r.correct])).toEqual([
      ['ann', 1, 3],
      ['bob', 1, 0],
    ]);
  });

  it('a game that cannot be saved when it resumes after a restart is resumed once writes work', async () => {
    const f = await make();
    const first = quizApp(f);
    await first.run(ann, 'quiz', 'start questions:3 seconds:10');
    await first.wait(1000);
    await first.deps.quiz.shutdown();
    const second = quizApp(f);
    f.fail(['games']);
    expect(await second.deps.quiz.resume()).toBe(0);
    await second.wait(3000);
    expect(second.poster.posts).toEqual([]);
    f.recover();
    await second.wait(5000);
    expect(second.poster.titles()).toEqual(['Question 1 of 3']);
    await second.wait(10_000);
    expect(second.poster.titles().at(-1)).toMatch(/^Answer: /);
  });

  it('a /quiz start that could not be saved leaves no game: the channel is free', async () => {
    const f = await make();
    const a = quizApp(f);
    f.fail(['games']);
    expect((await a.run(ann, 'quiz', 'start questions:3 seconds:10')).text).toBe(WRITE_FAILED);
    await a.wait(1000);
    expect(a.poster.posts).toEqual([]);
    expect(await f.storage.games.get(channel)).toBeUndefined();
    f.recover();
    expect((await a.run(bob, 'quiz', 'start questions:3 seconds:10')).title).toBe('Quiz time!');
    await a.wait(1000);
    expect(a.poster.titles()).toEqual(['Question 1 of 3']);
    expect((await f.storage.games.get(channel))?.startedBy.id).toBe('bob');
  });

  it('a /quiz stop that could not be saved says so, and the game goes on', async () => {
    const f = await make();
    const a = quizApp(f);
    await a.run(ann, 'quiz', 'start questions:3 seconds:10');
    await a.wait(1000);
    f.fail(['games', 'results']);
    expect((await a.run(host, 'quiz', 'stop')).text).toBe(WRITE_FAILED);
    f.recover();
    await a.wait(12_000);
    expect(a.poster.titles()).toEqual([
      'Question 1 of 3',
      expect.stringMatching(/^Answer: /),
      'Question 2 of 3',
    ]);
  });

  it('a /daily subscribe, pause or unsubscribe that could not be saved is not in effect, after a restart too', async () => {
    const f = await make();
    const a = quizApp(f);
    f.fail(['daily']);
    expect((await a.run(host, 'daily', 'subscribe time:08:00 timezone:UTC')).text).toBe(WRITE_FAILED);
    expect((await a.run(host, 'daily', 'status')).text).toContain('This channel has no daily post');
    f.recover();
    expect((await a.run(host, 'daily', 'subscribe time:09:00 timezone:UTC')).title).toBe('Daily post on');
    f.fail(['daily']);
    expect((await a.run(host, 'daily', 'pause')).text).toBe(WRITE_FAILED);
    expect((await a.run(host, 'daily', 'unsubscribe')).text).toBe(WRITE_FAILED);
    f.recover();
    const again = await f.reopen();
    expect(await again.daily.subscription(channel)).toMatchObject({ time: '09:00', timezone: 'UTC' });
    expect((await again.daily.subscription(channel))?.paused).toBeUndefined();
  });

  it('a settings change or quiz night that could not be saved is not in effect', async () => {
    const f = await make();
    const a = quizApp(f);
    expect((await a.run(host, 'settings', 'timezone timezone:Europe/Berlin')).title).toBeDefined();
    f.fail(['settings', 'nights']);
    expect((await a.run(host, 'settings', 'timezone timezone:Asia/Tokyo')).text).toBe(WRITE_FAILED);
    expect((await a.run(host, 'settings', 'host-add user:<@123456789012345678>')).text).toBe(WRITE_FAILED);
    expect((await a.run(host, 'quiz', 'schedule weekday:friday time:20:00 timezone:UTC')).text).toBe(
      WRITE_FAILED,
    );
    f.recover();
    const again = await f.reopen();
    expect(await again.settings.get(channel)).toMatchObject({ timezone: 'Europe/Berlin', hostUserIds: [] });
    expect(await again.nights.all()).toEqual([]);
  });

  it('a daily post whose claim could not be saved goes out once, at the next tick', async () => {
    const f = await make();
    const a = quizApp(f);
    await a.run(host, 'daily', 'subscribe time:19:01 timezone:UTC');
    vi.setSystemTime(new Date('2026-03-10T19:01:00Z'));
    f.fail(['daily']);
    await a.deps.daily.tick();
    expect(a.poster.posts).toEqual([]);
    f.recover();
    for (const minute of ['19:02', '19:03']) {
      vi.setSystemTime(new Date(`2026-03-10T${minute}:00Z`));
      await a.deps.daily.tick();
    }
    expect(a.poster.posts.map((p) => p.marker)).toEqual([expect.stringMatching(/^d/)]);
    expect((await f.storage.daily.delivery(channel, '2026-03-10'))?.status).toBe('sent');
  });

  it('a quiz night whose game could not be saved starts at the next tick', async () => {
    const f = await make();
    const a = quizApp(f);
    await a.run(host, 'quiz', 'schedule weekday:tuesday time:19:30 timezone:UTC questions:3');
    vi.setSystemTime(new Date('2026-03-10T19:30:00Z'));
    f.fail(['games']);
    await a.clock.tick();
    await f.settle();
    expect(a.poster.titles()).not.toContain('Quiz night!');
    f.recover();
    vi.setSystemTime(new Date('2026-03-10T19:31:00Z'));
    await a.clock.tick();
    await a.wait(1000);
    expect(a.poster.titles().filter((t) => t === 'Quiz night!')).toHaveLength(1);
    expect(a.poster.titles()).toContain('Question 1 of 3');
    const [night] = await f.storage.nights.all();
    expect(night?.runs['2026-03-10']?.skipped).toBeUndefined();
  });

  it('a "Quiz me on this" answer that could not be saved can be given again', async () => {
    const f = await make();
    const built = testApp({
      content: realContent(),
      storage: f.storage,
      commands,
      now: () => new Date('2026-02-25T10:00:00Z'),
    });
    built.deps.posters.register('discord', new RecordingPoster());
    const asked = await built.router.handleAction({ ...ann, actionId: 'dq:2026-02-25' });
    const button = asked.reply.actions?.[0]?.id as string;
    f.fail(['results']);
    const failed = await built.router.handleAction({ ...ann, actionId: button });
    expect(failed.reply.text).toBe(WRITE_FAILED);
    expect(await f.storage.results.player(channel, 'ann')).toBeUndefined();
    f.recover();
    const answered = await built.router.handleAction({ ...ann, actionId: button });
    expect(answered.reply.title).toMatch(/^(Right!|Not quite: the answer is [A-D]\. .+)$/);
    expect((await f.storage.results.player(channel, 'ann'))?.history).toHaveLength(1);
  });
});
