import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from '../../src/core/log.ts';

export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  msg: string;
  fields: Record<string, unknown>;
}

/** A logger that keeps what it is told, so tests can check exactly what was reported. */
export function recordingLogger(): Logger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const make = (bindings: Record<string, unknown>): Logger => {
    const at =
      (level: LogEntry['level']) =>
      (a: string | object, b?: string): void => {
        if (typeof a === 'string') entries.push({ level, msg: a, fields: { ...bindings } });
        else
          entries.push({ level, msg: b ?? '', fields: { ...bindings, ...(a as Record<string, unknown>) } });
      };
    return {
      debug: at('debug'),
      info: at('info'),
      warn: at('warn'),
      error: at('error'),
      child: (more) => make({ ...bindings, ...more }),
    };
  };
  return Object.assign(make({}), { entries });
}

/** A fresh directory under the OS temp dir; `cleanup` removes it. */
export function tempDir(prefix = 'thawbot-store-'): { dir: string; file: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return {
    dir,
    file: path.join(dir, 'thawbot.json'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
