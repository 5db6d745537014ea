import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';

const root = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const read = (path: string) => readFileSync(root(path), 'utf8');

describe('docs/discord.md', () => {
  it('shows a registration sample with the real number of commands, naming each once', () => {
    const doc = read('docs/discord.md');
    const sample = /```\n(Registered (\d+) commands[^`]*)```/.exec(doc);
    expect(Number(sample?.[2])).toBe(commands.length);
    const named = [...(sample?.[1] ?? '').matchAll(/\/([a-z-]+)/g)].map((m) => m[1]);
    expect(named.sort()).toEqual(commands.map((c) => c.name).sort());
  });
});

describe('docs/architecture.md', () => {
  it('names only folders and files that exist, and no layers still to come', () => {
    const doc = read('docs/architecture.md');
    const paths = [...doc.matchAll(/\b(?:src|commands)\/[A-Za-z0-9_./-]*[A-Za-z0-9_]/g)].map((m) => m[0]);
    expect(paths.length).toBeGreaterThan(10);
    for (const path of paths) expect(existsSync(root(path)), path).toBe(true);
    expect(doc).not.toMatch(/and later/i);
  });
});
