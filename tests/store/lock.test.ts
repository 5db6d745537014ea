import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { StoreError } from '../../src/store/errors.ts';
import {
  currentOwner,
  judgeLock,
  type LockOwner,
  lockPathFor,
  processStartTicks,
} from '../../src/store/lock.ts';
import { openFileStorage } from '../../src/store/open.ts';
import { channelOf, recordingLogger, sessionFor, tempDir } from './helpers.ts';

const HOLDER = fileURLToPath(new URL('./lock-holder.ts', import.meta.url));
const linux = processStartTicks(process.pid) !== undefined;
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

function setup() {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t;
}

async function open(file: string, log = recordingLogger()) {
  const storage = await openFileStorage({ file, log });
  cleanups.push(() => storage.close());
  return storage;
}

function openError(file: string): Promise<StoreError> {
  return openFileStorage({ file, log: recordingLogger() }).then(
    () => {
      throw new Error('expected the open to be refused');
    },
    (e: StoreError) => e,
  );
}

/** Starts a child holding the store; resolves once it is ready. */
function holder(file: string, mode: 'hold' | 'exit' = 'hold'): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', HOLDER, file, mode], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
    });
    child.stdout.on('data', (c: Buffer) => {
      if (c.toString().includes('ready')) resolve(child);
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`holder exited with ${code}: ${err}`));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

function writeLock(file: string, owner: Partial<LockOwner>): void {
  writeFileSync(lockPathFor(file), JSON.stringify({ ...currentOwner(file), ...owner }));
}

describe('one owner per data file', () => {
  it('refuses a second open in the same process, touching none of the files', async () => {
    const { dir, file } = setup();
    const storage = await open(file);
    // A running game: its file in the games folder is covered by the lock too.
    await storage.games.create(sessionFor(channelOf()));
    await storage.flush(); // and the game's first backup
    const files = () =>
      readdirSync(dir, { recursive: true, encoding: 'utf8' })
        .filter((f) => statSync(`${dir}/${f}`).isFile())
        .sort()
        .map((f) => [f, statSync(`${dir}/${f}`).mtimeMs, readFileSync(`${dir}/${f}`, 'utf8')]);
    const before = files();
    expect(before.map(([f]) => f)).toContain('thawbot.games/discord%3Ag1%3Ac1.json');
    await new Promise((r) => setTimeout(r, 20));
    const error = await openError(file);
    expect(files()).toEqual(before);
    expect(error.code).toBe('locked');
    expect(error.message).toContain('this process has already opened it');
    expect(error.message).toContain(`delete ${lockPathFor(file)}`);
  });

  it('refuses while another live process holds the file, and takes it at once when that process is killed', async () => {
    const { file } = setup();
    const child = await holder(file);
    cleanups.push(() => child.kill('SIGKILL'));
    const error = await openError(file);
    expect(error.code).toBe('locked');
    expect(error.message).toContain(`held by pid ${child.pid} on this host`);
    expect(error.message).toContain('Only one thawbot process may use a data file');

    child.kill('SIGKILL');
    await exited(child);
    const log = recordingLogger();
    await open(file, log); // no waiting: the dead owner is recognised at once
    const note = log.entries.find((e) => /removed a stale data file lock/.test(e.msg));
    expect(note?.msg).toContain(`process ${child.pid} is no longer running`);
    // One readable line: the reason and the path, no JSON dump of the old lock.
    expect(note?.msg).toBe(
      `removed a stale data file lock: process ${child.pid} is no longer running (${lockPathFor(file)})`,
    );
    expect(note?.fields).toEqual({ component: 'store' });
    expect(JSON.parse(readFileSync(lockPathFor(file), 'utf8')).pid).toBe(process.pid);
  });

  it('removes its lock when the process exits without closing the store', async () => {
    const { file } = setup();
    const child = await holder(file, 'exit');
    await exited(child);
    expect(existsSync(lockPathFor(file))).toBe(false);
  });

  it.skipIf(!linux)(
    'treats a lock whose pid now belongs to another process as stale (containers reuse pids)',
    async () => {
      const { file } = setup();
      // Same host, same pid as ours (as with pid 1 in a restarted container), an earlier start time.
      const self = currentOwner(file);
      writeLock(file, { pid: process.pid, startTicks: (self.startTicks ?? 0) - 500 });
      const log = recordingLogger();
      await open(file, log);
      expect(log.entries.some((e) => /now belongs to another process/.test(e.msg))).toBe(true);
    },
  );

  it.skipIf(!currentOwner('/x').bootId)('treats a lock from before the last boot as stale', async () => {
    const { file } = setup();
    writeLock(file, { bootId: 'another-boot', pid: process.pid });
    const log = recordingLogger();
    await open(file, log);
    expect(log.entries.some((e) => /before the machine last booted/.test(e.msg))).toBe(true);
  });

  it('refuses a fresh lock from another host and takes one whose host stopped refreshing it', async () => {
    const { file } = setup();
    writeLock(file, { hostname: 'other-host', pid: 4242 });
    const error = await openError(file);
    expect(error.message).toContain('held by pid 4242 on host other-host');

    const old = new Date(Date.now() - 5 * 60_000);
    utimesSync(lockPathFor(file), old, old);
    const log = recordingLogger();
    await open(file, log);
    expect(log.entries.some((e) => /host other-host has not refreshed it/.test(e.msg))).toBe(true);
  });

  it('waits on an unreadable lock being written, and removes an old unreadable one', async () => {
    const { file } = setup();
    writeFileSync(lockPathFor(file), '');
    expect((await openError(file)).message).toContain('another process is taking it right now');
    const old = new Date(Date.now() - 60_000);
    utimesSync(lockPathFor(file), old, old);
    await open(file);
  });

  it('judges its own live lock as held, never as stale', () => {
    const self = currentOwner('/x');
    expect(judgeLock(self, self, 0, 60_000)).toEqual({
      stale: false,
      reason: 'this process has already opened it',
    });
    expect(judgeLock({ ...self, hostname: `${os.hostname()}-b` }, self, 1_000, 60_000).stale).toBe(false);
  });

  it('releases the lock on close so the next process opens at once', async () => {
    const { file } = setup();
    const storage = await openFileStorage({ file, log: recordingLogger() });
    expect(existsSync(lockPathFor(file))).toBe(true);
    await storage.close();
    expect(existsSync(lockPathFor(file))).toBe(false);
    await open(file);
  });
});
