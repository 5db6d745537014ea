import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { topicCommand } from '../../commands/topic-command.ts';
import { Playground } from '../../src/adapters/console/playground.ts';
import { plainStyle, renderReply } from '../../src/adapters/console/render.ts';
import type { ContentIndex } from '../../src/content/index.ts';
import { loadContent } from '../../src/content/load.ts';
import { silentLogger } from '../../src/core/log.ts';
import { reply } from '../../src/core/reply.ts';
import { memoryStorage } from '../../src/store/doc/index.ts';
import { CHANNEL, REAL_CONTENT, testApp } from '../helpers/deps.ts';

function playground(options: { interactive?: boolean; content?: ContentIndex } = {}) {
  const store = memoryStorage();
  const app = testApp({
    storage: store,
    content: options.content,
    commands: [topicCommand('alpha', 'alpha', 'alpha'), ...commands],
  });
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (c) => {
    text += String(c);
  });
  const pg = new Playground(
    { ...app, log: silentLogger },
    { input, output, interactive: options.interactive ?? false, timeZone: 'UTC' },
  );
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

  it('never echoes control characters from an /as name', async () => {
    const { pg, read } = playground();
    await pg.handleLine('/as \u001b[2J\u001b[HMal\u202eory\u0007');
    const out = read();
    const unsafe = [...out].filter((c) => {
      const code = c.charCodeAt(0);
      return (code < 0x20 && c !== '\n' && c !== '\t') || code === 0x7f || code === 0x202e;
    });
    expect(unsafe).toEqual([]);
    expect(out).toContain('Now acting as [2J [HMal ory (not an admin)');
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

  it('shows an update as the message new text under its title, keeping the numbers of buttons it still has', async () => {
    const { pg, read, clear } = playground();
    const ref = await pg.post(CHANNEL, {
      ...reply({
        title: 'Question 1 of 3',
        text: 'Who?',
        fields: [{ label: 'Answers', value: 'No answers yet' }],
      }),
      actions: [
        { id: 'x:a', label: 'A' },
        { id: 'x:b', label: 'B' },
      ],
    });
    expect(read()).toContain('[1] A   [2] B');
    clear();
    await pg.edit(ref, {
      ...reply({
        title: 'Question 1 of 3',
        text: 'Who?',
        fields: [{ label: 'Answers', value: '1 answered' }],
      }),
      actions: [
        { id: 'x:a', label: 'A' },
        { id: 'x:b', label: 'B' },
      ],
    });
    expect(read()).toBe('Question 1 of 3 (updated)\nWho?\nAnswers: 1 answered\n[1] A   [2] B\n\n');
    clear();
    await pg.edit(
      ref,
      reply({ title: 'Question 1 of 3', text: 'Who?', fields: [{ label: 'Answers', value: 'Skipped.' }] }),
    );
    expect(read()).not.toMatch(/message \d+/);
    clear();
    await pg.handleLine('2');
    expect(read()).toBe('Button 2 is gone: its message was answered or has changed since.\n\n');
  });

  it('refuses the other buttons of an answered "Quiz me on this" question', async () => {
    const { pg, read, clear } = playground({ content: loadContent(REAL_CONTENT) });
    await pg.handleLine('/onthisday date:02-25');
    const quizMe = /\[(\d+)\] Quiz me on this/.exec(read())?.[1] as string;
    clear();
    await pg.handleLine(quizMe);
    const buttons = [...read().matchAll(/\[(\d+)\] ([A-D])/g)].map((m) => m[1] as string);
    expect(buttons).toHaveLength(4);
    clear();
    await pg.handleLine(buttons[0] as string);
    expect(read()).toMatch(/^\(only you can see this\)\n(Right!|Not quite: .+) \(updated\)\n/);
    clear();
    await pg.handleLine(buttons[3] as string);
    expect(read()).toBe(`Button ${buttons[3]} is gone: its message was answered or has changed since.\n\n`);
  });

  it('prints the clock time a countdown ends', async () => {
    const { pg, read } = playground();
    await pg.post(
      CHANNEL,
      reply({
        title: 'Quiz night in 10 minutes',
        countdown: { endsAt: Date.parse('2026-02-25T09:10:00Z'), label: 'Starts' },
      }),
    );
    expect(read()).toContain('Starts at 09:10:00, in 600s');
  });

  it('draws the prompt again, with what was typed, below output that arrives while it waits', async () => {
    const { pg, input, read, clear } = playground({ interactive: true });
    await new Promise((resolve) => setImmediate(resolve));
    input.write('/qu');
    await new Promise((resolve) => setImmediate(resolve));
    clear();
    await pg.post(CHANNEL, reply({ title: 'On this day: 25 February', text: 'A post.' }));
    const out = read();
    expect(out.startsWith('\x1b[2K')).toBe(true);
    expect(out).toContain('On this day: 25 February');
    expect(out.indexOf('thawbot> /qu')).toBeGreaterThan(out.indexOf('A post.'));
  });
});
