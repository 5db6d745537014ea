/**
 * The real entry point (`src/main.ts`, as `npm start` runs it) as a child process, with its JSON
 * logs parsed, for tests of start-up, health and shutdown. Everything it starts is cleaned up after
 * each test.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { FIXTURE_CONTENT } from './deps.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface LogLine {
  level: number;
  msg?: string;
  [key: string]: unknown;
}

export interface Bot {
  child: ChildProcessWithoutNullStreams;
  dataFile: string;
  stdout(): string;
  logs: LogLine[];
  /** Resolves with the first log line with this message (logged before or after the call). */
  waitForLog(msg: string, timeoutMs?: number): Promise<LogLine>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'thawbot-process-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Starts `src/main.ts` as `npm start` does, with standard input kept open and JSON logs on stderr. */
export function startBot(dir: string, env: Record<string, string>, args: string[] = []): Bot {
  const dataFile = join(dir, 'data', 'thawbot.json');
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: dir,
      NO_COLOR: '1',
      DATA_FILE: dataFile,
      CONTENT_DIR: FIXTURE_CONTENT,
      HEALTH_PORT: '0',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let partial = '';
  const logs: LogLine[] = [];
  const waiters: { msg: string; resolve: (line: LogLine) => void }[] = [];
  child.stdout.on('data', (chunk) => {
    stdout += String(chunk);
  });
  child.stderr.on('data', (chunk) => {
    partial += String(chunk);
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const text of lines) {
      let line: LogLine;
      try {
        line = JSON.parse(text) as LogLine;
      } catch {
        line = { level: 60, msg: text };
      }
      logs.push(line);
      for (const w of waiters.filter((w) => w.msg === line.msg)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return {
    child,
    dataFile,
    logs,
    stdout: () => stdout,
    exited,
    waitForLog(msg, timeoutMs = 40_000) {
      const found = logs.find((l) => l.msg === msg);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(
            new Error(
              `no log "${msg}" within ${timeoutMs} ms; logs:\n${logs.map((l) => JSON.stringify(l)).join('\n')}`,
            ),
          );
        }, timeoutMs);
        waiters.push({
          msg,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
        void exited.then(() => {
          clearTimeout(timer);
          reject(
            new Error(
              `exited before logging "${msg}"; logs:\n${logs.map((l) => JSON.stringify(l)).join('\n')}`,
            ),
          );
        });
      });
    },
  };
}

export interface HealthBody {
  status: string;
  checks?: Record<string, { ok: boolean; detail: string }>;
}

export async function getJson(url: string): Promise<{ status: number; body: HealthBody }> {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as HealthBody };
}
