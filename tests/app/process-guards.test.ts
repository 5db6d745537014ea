/**
 * The process-level guards, in a child process of their own (the test runner has its own
 * handlers): an unhandled rejection is logged and the process serves on; an uncaught exception is
 * logged, the bot stops cleanly and the process exits 1 for its supervisor.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CHILD = fileURLToPath(new URL('./process-guard-child.ts', import.meta.url));

function run(...args: string[]) {
  const out = spawnSync(process.execPath, ['--import', 'tsx', CHILD, ...args], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  const lines = out.stdout
    .split('\n')
    .filter(Boolean)
    .map(
      (l) => JSON.parse(l) as { msg: string; level?: number; err?: { message?: string }; reason?: string },
    );
  return { status: out.status, lines };
}

describe('process guards', () => {
  it('logs a rejection nobody handled, with its cause, and keeps serving', () => {
    const { status, lines } = run();
    expect(status).toBe(0);
    const logged = lines.find((l) => l.msg.startsWith('a background task failed'));
    expect(logged?.level).toBe(50);
    expect(logged?.err?.message).toBe('background failure');
    expect(lines.map((l) => l.msg)).toContain('still serving');
  });

  it('stops cleanly and exits 1 after an uncaught exception', () => {
    const { status, lines } = run('throw');
    expect(status).toBe(1);
    expect(lines.find((l) => l.msg.startsWith('an uncaught exception'))?.err?.message).toBe(
      'handler blew up',
    );
    expect(lines.find((l) => l.msg === 'stopped')?.reason).toBe('uncaught exception');
  });
});
