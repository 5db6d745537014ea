import { describe, expect, it } from 'vitest';
import {
  FILE_LIMITS,
  fitFiles,
  formatBytes,
  MAX_ALT,
  prepareFiles,
  safeFileName,
} from '../../src/core/files.ts';
import { reply } from '../../src/core/reply.ts';

const file = (name: string, bytes = 3, alt?: string) => ({
  name,
  data: new Uint8Array(bytes),
  contentType: 'text/csv',
  ...(alt ? { alt } : {}),
});

describe('safeFileName', () => {
  it('keeps a plain name and its extension', () => {
    expect(safeFileName('progress-2026_03.png')).toBe('progress-2026_03.png');
  });
  it('drops directories, dots in front, spaces and control characters', () => {
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('..\\evil.csv')).toBe('evil.csv');
    expect(safeFileName('.hidden.csv')).toBe('hidden.csv');
    expect(safeFileName('my export\u0007 (term 1).csv')).toBe('my_export_term_1_.csv');
    expect(safeFileName('Мастерство.csv')).toBe('file.csv');
    expect(safeFileName('')).toBe('file');
  });
  it('stays within 100 characters, extension kept', () => {
    const name = safeFileName(`${'a'.repeat(300)}.csv`);
    expect(name.length).toBe(100);
    expect(name.endsWith('.csv')).toBe(true);
  });
});

describe('fitFiles', () => {
  it('refuses a file over the limit with a line naming it, its size and the limit', () => {
    const { files, refused } = fitFiles(
      [file('a.csv'), { ...file('big.csv'), data: new Uint8Array(FILE_LIMITS.discord.maxBytes + 1) }],
      FILE_LIMITS.discord,
    );
    expect(files.map((f) => f.name)).toEqual(['a.csv']);
    expect(refused).toEqual([
      "The file big.csv (8 MiB) is over Discord's 8 MiB upload limit and was not attached.",
    ]);
  });
  it('accepts a file of exactly the limit', () => {
    const { files } = fitFiles(
      [{ ...file('edge.csv'), data: new Uint8Array(FILE_LIMITS.discord.maxBytes) }],
      FILE_LIMITS.discord,
    );
    expect(files).toHaveLength(1);
  });
  it('refuses files beyond the number a reply carries', () => {
    const many = Array.from({ length: 12 }, (_, i) => file(`f${i}.csv`));
    const { files, refused } = fitFiles(many, FILE_LIMITS.slack);
    expect(files).toHaveLength(10);
    expect(refused).toEqual([
      'The file f10.csv was not attached: a reply carries at most 10 files.',
      'The file f11.csv was not attached: a reply carries at most 10 files.',
    ]);
  });
  it('numbers repeated names and cuts long alt text', () => {
    const { files } = fitFiles([file('a.csv'), file('a.csv', 3, 'x'.repeat(2000))], FILE_LIMITS.slack);
    expect(files.map((f) => f.name)).toEqual(['a.csv', 'a-2.csv']);
    expect(files[1]?.alt?.length).toBe(MAX_ALT);
  });
});

describe('prepareFiles', () => {
  it('takes the files out of the reply and notes refusals in its text and fallback', () => {
    const big = { ...file('big.csv'), data: new Uint8Array(FILE_LIMITS.discord.maxBytes * 2) };
    const { reply: out, files } = prepareFiles(
      reply({ text: 'Export', files: [file('a.csv'), big] }),
      'discord',
    );
    expect(files.map((f) => f.name)).toEqual(['a.csv']);
    expect(out.files).toBeUndefined();
    expect(out.text).toBe(
      "Export\n\nThe file big.csv (16 MiB) is over Discord's 8 MiB upload limit and was not attached.",
    );
    expect(out.fallbackText).toContain('big.csv (16 MiB)');
  });
  it('leaves a reply without files as it is', () => {
    const original = reply({ text: 'Hello' });
    expect(prepareFiles(original, 'slack').reply).toBe(original);
  });
});

describe('formatBytes', () => {
  it('reads naturally', () => {
    expect([formatBytes(1), formatBytes(70), formatBytes(2048), formatBytes(1.5 * 1024 * 1024)]).toEqual([
      '1 byte',
      '70 bytes',
      '2 KB',
      '1.5 MiB',
    ]);
  });
});
