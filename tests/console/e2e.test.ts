import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURE_CONTENT } from '../helpers/deps.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'thawbot-e2e-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs the real entry point as `npm start` does, with piped standard input and no platform configured. */
function runBot(
  input: string,
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: tmp,
        DATA_FILE: join(tmp, 'data', 'thawbot.json'),
        NO_COLOR: '1',
        ...env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => {
      stdout += String(c);
    });
    child.stderr.on('data', (c) => {
      stderr += String(c);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('terminal playground as a child process', () => {
  it('answers piped commands with the real content and exits 0 when input ends', async () => {
    const { code, stdout, stderr } = await runBot('/secret-speech\n/thaw\n1\n/learn topic:nowhere\n/help\n');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain("Khrushchev's Secret Speech");
    expect(stdout).toContain('25 February 1956');
    expect(stdout).toContain('The Khrushchev Thaw');
    expect(stdout).toContain('[1] Another fun fact');
    expect(stdout).toContain('I have no topic called "nowhere"');
    expect(stdout).toContain('/quiz');
    expect(stdout.includes('\u001b[')).toBe(false); // no colour codes when piped
  }, 60_000);

  it('refuses to start on broken content, naming the file, field and reason', async () => {
    const dir = join(tmp, 'content');
    cpSync(FIXTURE_CONTENT, dir, { recursive: true });
    writeFileSync(
      join(dir, 'reading.yaml'),
      '- id: x\n  title: T\n  author: A\n  year: 1999\n  level: expert\n  note: n\n',
    );
    const { code, stderr } = await runBot('/thaw\n', { CONTENT_DIR: dir });
    expect(code).toBe(1);
    expect(stderr).toMatch(/reading\.yaml: item 1 \(x\) level: /);
  }, 60_000);

  it('refuses to start on a bad variable, naming it', async () => {
    const { code, stderr } = await runBot('', { DISCORD_TOKEN: 'x' });
    expect(code).toBe(1);
    expect(stderr).toContain('DISCORD_APPLICATION_ID is required when DISCORD_TOKEN is set');
  }, 60_000);
});
