import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url));

/**
 * Runs the crash child with `args` (a data file, or a PostgreSQL URL and schema), kills it with
 * SIGKILL `delayMs` after it reported `reports` resolved updates, and returns the ids it reported.
 */
export function crashChild(
  args: string[],
  killAfter: { reports: number; delayMs: number },
): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const resolved: number[] = [];
    let buffer = '';
    let stderr = '';
    let ready = false;
    let killed = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (line === 'ready') ready = true;
        else if (line) resolved.push(Number(line));
      }
      if (ready && !killed && resolved.length >= killAfter.reports) {
        killed = true;
        // A random delay spreads the kill over the whole write (or commit) cycle.
        setTimeout(() => child.kill('SIGKILL'), killAfter.delayMs);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      if (signal !== 'SIGKILL')
        return reject(new Error(`child ended without being killed (${signal}): ${stderr}`));
      resolve(resolved);
    });
  });
}
