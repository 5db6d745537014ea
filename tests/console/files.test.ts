import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Playground } from '../../src/adapters/console/playground.ts';
import { silentLogger } from '../../src/core/log.ts';
import { reply } from '../../src/core/reply.ts';
import { memoryStorage } from '../../src/store/doc/index.ts';
import { testApp } from '../helpers/deps.ts';
import { CHART_ALT, CSV, csvFile, filesCommand, PNG } from '../helpers/files.ts';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'thawbot-files-test-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function playground() {
  const app = testApp({ storage: memoryStorage(), commands: [filesCommand()] });
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (c) => {
    text += String(c);
  });
  const filesDir = join(dir, 'out');
  const pg = new Playground(
    { ...app, log: silentLogger },
    { input, output, interactive: false, timeZone: 'UTC', filesDir },
  );
  pg.start();
  return { pg, filesDir, read: () => text };
}

describe('files in the terminal', () => {
  it('writes each file under the files directory and prints its path; an image keeps its alt text', async () => {
    const { pg, filesDir, read } = playground();
    await pg.handleLine('/attach');
    const png = join(filesDir, 'progress.png');
    const csv = join(filesDir, 'export.csv');
    expect(Buffer.from(await readFile(png)).equals(Buffer.from(PNG))).toBe(true);
    expect(Buffer.from(await readFile(csv)).equals(Buffer.from(CSV))).toBe(true);
    const out = read();
    expect(out).toContain('Your progress\nMastery by topic, and your export.');
    expect(out).toContain(
      `File: progress.png (${PNG.byteLength} bytes) saved to ${png}\n  Image: ${CHART_ALT}`,
    );
    expect(out).toContain(`File: export.csv (${CSV.byteLength} bytes) saved to ${csv}`);
    // No temporary files are left behind.
    expect((await readdir(filesDir)).sort()).toEqual(['export.csv', 'progress.png']);
  });

  it('never overwrites an earlier file: the new one gets a number', async () => {
    const { pg, filesDir, read } = playground();
    await pg.handleLine('/attach');
    await writeFile(join(filesDir, 'export-2.csv'), 'mine');
    await pg.handleLine('/attach');
    expect(await readFile(join(filesDir, 'export-2.csv'), 'utf8')).toBe('mine');
    expect(Buffer.from(await readFile(join(filesDir, 'export-3.csv'))).equals(Buffer.from(CSV))).toBe(true);
    expect(read()).toContain(`saved to ${join(filesDir, 'export-3.csv')}`);
  });

  it('keeps a file name from leaving the files directory', async () => {
    const { pg, filesDir } = playground();
    await pg.post(
      { platform: 'console', workspaceId: 'local', channelId: 'terminal' },
      reply({ text: 'x', files: [{ ...csvFile(), name: '../../escape.csv' }] }),
    );
    expect(await readdir(filesDir)).toEqual(['escape.csv']);
    expect(await readdir(dir)).toEqual(['out']);
  });

  it('prints a private message under "(private message to NAME)", files included', async () => {
    const { pg, filesDir, read } = playground();
    const ref = await pg.dm(
      { platform: 'console', workspaceId: 'local', id: 'as:maria' },
      reply({ text: '3 cards are due today.', files: [csvFile()] }),
    );
    expect(ref.channel.channelId).toBe('dm:as:maria');
    expect(read()).toContain(
      `(private message to maria)\n3 cards are due today.\nFile: export.csv (${CSV.byteLength} bytes) saved to ${join(filesDir, 'export.csv')}`,
    );
  });

  it('says so when the directory cannot be written, and still prints the reply', async () => {
    const { pg, filesDir, read } = playground();
    await writeFile(filesDir, 'a file where the directory should be');
    await pg.handleLine('/attach');
    expect(read()).toContain('Mastery by topic, and your export.');
    expect(read()).toContain('Could not save progress.png, export.csv:');
  });
});
