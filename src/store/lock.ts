/**
 * One owner per data file. The lock file records host name, pid and the process's start time (and
 * the kernel's boot id on Linux). On the same host a lock is stale at once when its pid is gone or
 * now belongs to a process that started at another time: this is what makes restarts in containers
 * work, where every start has the same pid. A lock from another host (a shared volume) cannot be
 * checked that way; its owner refreshes the file's time, and it is stale once that stops.
 */
import { readFileSync, unlinkSync } from 'node:fs';
import { open, readFile, stat, unlink, utimes } from 'node:fs/promises';
import os from 'node:os';
import type { Logger } from '../core/log.ts';
import { StoreError } from './errors.ts';
import { isCode } from './files.ts';

export interface LockOwner {
  hostname: string;
  pid: number;
  /** Start time in clock ticks since boot (Linux /proc/PID/stat field 22). */
  startTicks?: number;
  bootId?: string;
  /** Start time for people reading the file. */
  startedAt: string;
  file: string;
}

export interface LockOptions {
  log: Logger;
  /** How often the owner refreshes the lock file's time (ms). */
  heartbeatMs?: number;
  /** A lock from another host is stale when not refreshed for this long (ms). */
  foreignStaleMs?: number;
}

type Verdict = { stale: true; reason: string } | { stale: false; reason: string };

const DEFAULT_HEARTBEAT_MS = 10_000;
const DEFAULT_FOREIGN_STALE_MS = 60_000;
/** A lock file being written by a starting process is unreadable for a moment; older garbage is stale. */
const UNREADABLE_GRACE_MS = 5_000;

export function lockPathFor(file: string): string {
  return `${file}.lock`;
}

/** This process as a lock owner. */
export function currentOwner(file: string): LockOwner {
  return {
    hostname: os.hostname(),
    pid: process.pid,
    startTicks: processStartTicks(process.pid),
    bootId: bootId(),
    startedAt: new Date(Date.now() - process.uptime() * 1000).toISOString(),
    file,
  };
}

export function processStartTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    return Number.isFinite(ticks) ? ticks : undefined;
  } catch {
    return undefined;
  }
}

function bootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return isCode(error, 'EPERM');
  }
}

/** Decides whether a recorded owner still holds the lock. */
export function judgeLock(owner: LockOwner, self: LockOwner, ageMs: number, foreignStaleMs: number): Verdict {
  if (owner.hostname !== self.hostname) {
    if (ageMs > foreignStaleMs)
      return {
        stale: true,
        reason: `host ${owner.hostname} has not refreshed it for ${Math.round(ageMs / 1000)} s`,
      };
    return {
      stale: false,
      reason: `it is held by pid ${owner.pid} on host ${owner.hostname}, refreshed ${Math.round(ageMs / 1000)} s ago`,
    };
  }
  if (owner.bootId && self.bootId && owner.bootId !== self.bootId)
    return { stale: true, reason: 'it was taken before the machine last booted' };
  if (!isAlive(owner.pid)) return { stale: true, reason: `process ${owner.pid} is no longer running` };
  if (owner.startTicks !== undefined) {
    const ticks = processStartTicks(owner.pid);
    if (ticks !== undefined && ticks !== owner.startTicks)
      return {
        stale: true,
        reason: `pid ${owner.pid} now belongs to another process (a different start time)`,
      };
  }
  if (owner.pid === self.pid && owner.startTicks === self.startTicks)
    return { stale: false, reason: 'this process has already opened it' };
  return { stale: false, reason: `it is held by pid ${owner.pid} on this host (started ${owner.startedAt})` };
}

export class FileLock {
  private timer: ReturnType<typeof setInterval> | undefined;
  private released = false;
  private readonly onExit = () => this.releaseSync();

  private constructor(
    readonly path: string,
    private readonly content: string,
    private readonly log: Logger,
  ) {}

  /** Takes the lock for `file` or throws a StoreError saying who holds it and what to do. */
  static async acquire(file: string, options: LockOptions): Promise<FileLock> {
    const lockPath = lockPathFor(file);
    const self = currentOwner(file);
    const content = `${JSON.stringify(self, null, 2)}\n`;
    const foreignStaleMs = options.foreignStaleMs ?? DEFAULT_FOREIGN_STALE_MS;
    for (let attempt = 0; attempt < 5; attempt++) {
      if (await createExclusive(lockPath, content)) {
        const lock = new FileLock(lockPath, content, options.log);
        lock.start(options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS);
        return lock;
      }
      const found = await readLock(lockPath);
      if (found === null) continue; // released meanwhile: try again
      let verdict: Verdict;
      if (found.owner) verdict = judgeLock(found.owner, self, found.ageMs, foreignStaleMs);
      else if (found.ageMs > UNREADABLE_GRACE_MS)
        verdict = { stale: true, reason: 'it is unreadable (a start that crashed while writing it)' };
      else verdict = { stale: false, reason: 'another process is taking it right now' };
      if (!verdict.stale) {
        throw new StoreError(
          'locked',
          `The data file ${file} is in use: ${verdict.reason}. Only one thawbot process may use a data file. ` +
            `Stop the other process, or give this one its own DATA_FILE. If you are certain no other process ` +
            `uses it, delete ${lockPath} and start again.`,
        );
      }
      await takeOver(lockPath, found.raw, options.log, verdict.reason);
    }
    throw new StoreError(
      'locked',
      `Could not take the lock ${lockPath}: other processes keep taking it. Is another thawbot starting?`,
    );
  }

  private start(heartbeatMs: number): void {
    process.once('exit', this.onExit);
    this.timer = setInterval(() => void this.heartbeat(), heartbeatMs);
    this.timer.unref();
  }

  private async heartbeat(): Promise<void> {
    try {
      const raw = await readFile(this.path, 'utf8');
      if (raw !== this.content) {
        this.log.error(
          { lock: this.path },
          'the data file lock now belongs to another process: two processes may be writing the same data file',
        );
        return;
      }
      const now = new Date();
      await utimes(this.path, now, now);
    } catch (error) {
      this.log.error({ err: error, lock: this.path }, 'could not refresh the data file lock');
    }
  }

  /** Removes the lock file if it is still ours. */
  async release(): Promise<void> {
    if (this.released) return;
    this.stop();
    try {
      if ((await readFile(this.path, 'utf8')) === this.content) await unlink(this.path);
    } catch (error) {
      if (!isCode(error, 'ENOENT'))
        this.log.warn({ err: error, lock: this.path }, 'could not remove the data file lock');
    }
  }

  /** For process exit, where nothing asynchronous runs any more. */
  releaseSync(): void {
    if (this.released) return;
    this.stop();
    try {
      if (readFileSync(this.path, 'utf8') === this.content) unlinkSync(this.path);
    } catch {
      // Nothing to do on the way out; the next start recognises a stale lock anyway.
    }
  }

  private stop(): void {
    this.released = true;
    clearInterval(this.timer);
    process.removeListener('exit', this.onExit);
  }
}

async function createExclusive(lockPath: string, content: string): Promise<boolean> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(lockPath, 'wx');
  } catch (error) {
    if (isCode(error, 'EEXIST')) return false;
    throw error;
  }
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  return true;
}

async function readLock(lockPath: string): Promise<{ raw: string; owner?: LockOwner; ageMs: number } | null> {
  try {
    const [raw, info] = await Promise.all([readFile(lockPath, 'utf8'), stat(lockPath)]);
    return { raw, owner: parseOwner(raw), ageMs: Date.now() - info.mtimeMs };
  } catch (error) {
    if (isCode(error, 'ENOENT')) return null;
    throw error;
  }
}

function parseOwner(raw: string): LockOwner | undefined {
  try {
    const value = JSON.parse(raw) as Partial<LockOwner>;
    if (
      typeof value.hostname === 'string' &&
      typeof value.pid === 'number' &&
      typeof value.startedAt === 'string'
    )
      return value as LockOwner;
  } catch {
    // unreadable: judged by age
  }
  return undefined;
}

/**
 * Removes a stale lock under a short-lived guard file, re-checking that it is still the lock judged
 * stale, so two processes starting together cannot both remove and both take it.
 */
async function takeOver(lockPath: string, staleRaw: string, log: Logger, reason: string): Promise<void> {
  const guard = `${lockPath}.takeover`;
  if (!(await createExclusive(guard, String(process.pid)))) {
    const info = await stat(guard).catch(() => null);
    if (info && Date.now() - info.mtimeMs > UNREADABLE_GRACE_MS) await unlink(guard).catch(() => {});
    return;
  }
  try {
    const current = await readFile(lockPath, 'utf8').catch(() => null);
    if (current === staleRaw) {
      await unlink(lockPath);
      // One line: after a closed terminal or a crash this is routine, not a problem to study.
      log.warn(`removed a stale data file lock: ${reason} (${lockPath})`);
    }
  } finally {
    await unlink(guard).catch(() => {});
  }
}
