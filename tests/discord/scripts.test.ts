import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { discordIdProblem, readScriptEnv } from '../../src/adapters/discord/register.ts';
import { FakeDiscord } from '../fakes/discord/index.ts';

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const script = (name: string) =>
  fileURLToPath(new URL(`../../src/adapters/discord/${name}.ts`, import.meta.url));

/** Runs a script as `npm run` would, from a directory holding only `dotenv` as its `.env`. */
function run(name: string, dotenv: string, args: string[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'thawbot-env-'));
  writeFileSync(join(dir, '.env'), dotenv);
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('DISCORD_')));
  const child = spawn(process.execPath, ['--import', TSX, script(name), ...args], { cwd: dir, env });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  return new Promise<{ code: number | null; out: string; err: string }>((resolve) =>
    child.on('close', (code) => {
      rmSync(dir, { recursive: true, force: true });
      resolve({ code, out, err });
    }),
  );
}

describe('Discord id checks for the scripts', () => {
  it('tells a missing id from one that is not a snowflake', () => {
    expect(discordIdProblem('DISCORD_APPLICATION_ID', undefined, true)).toBe(
      'Set DISCORD_APPLICATION_ID (General Information > Application ID in the Developer Portal) in .env or the environment.',
    );
    expect(discordIdProblem('DISCORD_APPLICATION_ID', 'abc', true)).toBe(
      'DISCORD_APPLICATION_ID is "abc", which is not a Discord id: ids are numbers of 17 to 20 digits (General Information > Application ID in the Developer Portal).',
    );
    expect(discordIdProblem('DISCORD_APPLICATION_ID', '1234567890123456', true)).toContain('17 to 20 digits');
    expect(discordIdProblem('DISCORD_APPLICATION_ID', '12345678901234567', true)).toBeUndefined();
    expect(discordIdProblem('DISCORD_GUILD_ID', undefined, false)).toBeUndefined();
  });

  it('names every problem at once and never echoes the token', () => {
    const read = readScriptEnv(
      { DISCORD_TOKEN: '', DISCORD_APPLICATION_ID: 'abc', DISCORD_GUILD_ID: 'x' },
      true,
    );
    expect(read.ok).toBe(false);
    if (!read.ok) {
      expect(read.problems).toHaveLength(3);
      expect(read.problems[0]).toMatch(/^Set DISCORD_TOKEN/);
    }
    const secret = readScriptEnv({ DISCORD_TOKEN: 'secret-token', DISCORD_APPLICATION_ID: 'abc' }, true);
    expect(JSON.stringify(secret)).not.toContain('secret-token');
  });
});

describe('npm run discord:invite and discord:register', () => {
  let fake: FakeDiscord;
  const applicationId = '700000000000000009';
  beforeAll(async () => {
    fake = await FakeDiscord.start({ applicationId });
  });
  afterAll(async () => {
    await fake.close();
  });

  it('invite reads the application id from .env', async () => {
    const ok = await run('invite', `DISCORD_APPLICATION_ID=${applicationId}\n`);
    expect(ok.code).toBe(0);
    expect(ok.out.trim()).toBe(
      `https://discord.com/oauth2/authorize?client_id=${applicationId}&scope=bot%20applications.commands&permissions=84992`,
    );
  });

  it('invite says an invalid id is invalid, not missing', async () => {
    const bad = await run('invite', 'DISCORD_APPLICATION_ID=abc\n');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('DISCORD_APPLICATION_ID is "abc", which is not a Discord id');
    expect(bad.err).not.toContain('Set DISCORD_APPLICATION_ID');
    const missing = await run('invite', '');
    expect(missing.err).toContain('Set DISCORD_APPLICATION_ID');
  });

  it('register reads token, ids and API URL from .env', async () => {
    const guild = '730000000000000009';
    const done = await run(
      'register',
      `DISCORD_TOKEN=t\nDISCORD_APPLICATION_ID=${applicationId}\nDISCORD_GUILD_ID=${guild}\nDISCORD_API_URL=${fake.apiUrl}\n`,
    );
    expect(done.err).toBe('');
    expect(done.code).toBe(0);
    expect(done.out).toContain(`Registered ${commands.length} commands in guild ${guild} (available now).`);
    const bad = await run('register', 'DISCORD_TOKEN=t\nDISCORD_APPLICATION_ID=abc\n');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('which is not a Discord id');
  });
});
