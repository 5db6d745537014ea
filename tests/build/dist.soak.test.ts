import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { FakeDiscord } from '../fakes/discord/index.ts';

/**
 * `npm run build` and what production runs: plain Node on the compiled files, without tsx. The build
 * goes to a directory inside the project (so the built modules find node_modules), removed after.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let out: string;
let tmp: string;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], options: { input?: string; env?: Record<string, string> } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: tmp, NO_COLOR: '1', ...options.env },
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
    child.stdin.end(options.input ?? '');
  });
}

beforeAll(async () => {
  await mkdir(join(ROOT, '.tmp'), { recursive: true });
  out = mkdtempSync(join(ROOT, '.tmp', 'build-'));
  tmp = mkdtempSync(join(ROOT, '.tmp', 'build-home-'));
  const build = await run(['scripts/build.mjs', '--out-dir', out]);
  expect(build.stderr + build.stdout).toBe('');
  expect(build.code).toBe(0);
}, 60_000);

afterAll(() => {
  rmSync(out, { recursive: true, force: true });
  rmSync(tmp, { recursive: true, force: true });
});

describe('the build in dist', () => {
  it('runs the bot with plain Node: the playground answers and exits 0', async () => {
    const { code, stdout, stderr } = await run([join(out, 'src/main.js')], {
      input: '/thaw\n/learn topic:hungary-1956\n',
      env: { DATA_FILE: join(tmp, 'data', 'thawbot.json') },
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('The Khrushchev Thaw');
    expect(stdout).toContain('[1] Another fun fact');
    expect(stdout).toContain('1956');
  });

  it('runs the content check', async () => {
    const { code, stdout } = await run([join(out, 'src/content/cli.js'), 'check']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Content OK: \d+ topics/);
  });

  it('ships the PostgreSQL migrations next to the module that reads them', async () => {
    const migrate = pathToFileURL(join(out, 'src/store/pg/migrate.js')).href;
    const { code, stdout, stderr } = await run([
      '--input-type=module',
      '-e',
      `const m = await import(${JSON.stringify(migrate)}); console.log((await m.loadMigrations()).map((x) => x.name).join(','));`,
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.trim().split(',')).toContain('initial');
  });

  it('registers the Discord commands from the built command list', async () => {
    const applicationId = '700000000000000019';
    const fake = await FakeDiscord.start({ applicationId });
    try {
      const guild = '730000000000000019';
      const { code, stdout, stderr } = await run([join(out, 'src/adapters/discord/register.js')], {
        env: {
          DISCORD_TOKEN: 't',
          DISCORD_APPLICATION_ID: applicationId,
          DISCORD_GUILD_ID: guild,
          DISCORD_API_URL: fake.apiUrl,
        },
      });
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(stdout).toContain(`Registered ${commands.length} commands in guild ${guild} (available now).`);
    } finally {
      await fake.close();
    }
  });
});
