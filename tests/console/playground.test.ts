import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { topicCommand } from '../../commands/topic-command.ts';
import { Playground } from '../../src/adapters/console/playground.ts';
import { plainStyle, renderReply } from '../../src/adapters/console/render.ts';
import { silentLogger } from '../../src/core/log.ts';
import { reply } from '../../src/core/reply.ts';
import { memoryStorage } from '../../src/store/doc/index.ts';
import { testApp } from '../helpers/deps.ts';

function playground() {
  const store = memoryStorage();
  const app = testApp({ storage: store, commands: [topicCommand('alpha', 'alpha', 'alpha'), ...commands] });
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (c) => {
    text += String(c);
  });
  const pg = new Playground({ ...app, log: silentLogger }, { input, output, interactive: false });
  pg.start();
  return { pg, input, storage: store, read: () => text, clear: () => (text = '') };
}

describe('terminal playground', () => {
  it('answers commands and presses buttons by number', async () => {
    const { pg, read, clear } = playground();
    await pg.handleLine('/alpha');
    expect(read()).toContain('The Alpha Topic\nAlpha is the first fixture topic.');
    expect(read()).toContain('[1] Another fun fact   [2] Related topics');
    clear();
    await pg.handleLine('2');
    expect(read()).toContain('(only you can see this)\nRelated to The Alpha Topic');
    expect(read()).toContain('[3] Beta Matters');
    clear();
    await pg.handleLine('3');
    expect(read()).toContain('Beta Matters\nBeta is the second fixture topic.');
    clear();
    await pg.handleLine('99');
    expect(read()).toContain('There is no button 99.');
  });

  it('keeps going after bad input', async () => {
    const { pg, read } = playground();
    await pg.handleLine('hello');
    await pg.handleLine('/nonsense');
    await pg.handleLine('/learn topic:"unclosed');
    await pg.handleLine('/');
    await pg.handleLine('/thaw');
    const out = read();
    expect(out).toContain('Commands start with a slash');
    expect(out).toContain("I don't know the command /nonsense. Try /help to see every command.");
    expect(out).toContain('a quote (") is not closed');
  });

  it('switches the acting user with /as; such users are not admins', async () => {
    const { pg, read } = playground();
    await pg.handleLine('/as Maria');
    expect(read()).toContain('Now acting as Maria (not an admin)');
    await pg.handleLine('/as');
    expect(read()).toContain('Back to yourself.');
  });

  it('finishes when piped input ends', async () => {
    const { pg, input, read } = playground();
    input.end('/alpha\n/help\n');
    await pg.closed;
    expect(read()).toContain('The Alpha Topic');
    expect(read()).toContain('`/learn`'.replaceAll('`', ''));
  });

  it('renders countdowns, fields, sources and links as text', () => {
    const out = renderReply(
      reply({
        title: 'Q',
        text: '**Bold** and *soft* with [a link](https://example.org)\n- item',
        fields: [{ label: 'F', value: 'v' }],
        countdown: { endsAt: 30_000, label: 'Time is up' },
        sources: [{ label: 'Src', url: 'https://example.org/s' }],
      }),
      [],
      plainStyle,
      10_000,
    );
    expect(out).toBe(
      'Q\nBold and soft with a link <https://example.org>\n  • item\nF: v\nTime is up in 20s\nSources:\n  - Src <https://example.org/s>',
    );
  });
});
