import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { splitCommandLine, UNSAFE_CHARS } from '../../src/core/parse.ts';
import type { Reply } from '../../src/core/reply.ts';
import { actor, testApp } from '../helpers/deps.ts';

const names = commands.flatMap((c) => [c.name, ...(c.subcommands ?? []).map((s) => `${c.name} ${s.name}`)]);
const optionNames = [
  ...new Set(
    commands
      .flatMap((c) => [...(c.options ?? []), ...(c.subcommands ?? []).flatMap((s) => s.options ?? [])])
      .map((o) => o.name),
  ),
];

const hostile = fc.constantFrom(
  '@everyone',
  '@here',
  '<@123456789012345678>',
  '<@&123456789012345678>',
  '<!channel>',
  '<!subteam^S123|@all>',
  '"',
  "'",
  '“',
  '\u0000\u0007\u001b[2J',
  '\u202eevil',
  '𝕿𝖍𝖆𝖜',
  'Хрущёв',
  '../../etc/passwd',
  '$' + '{process.exit()}',
  '__proto__',
  'constructor:x',
  'toString',
  '9:30 pm',
  '02-29',
  '-1',
  '1e309',
  'NaN',
  'x'.repeat(5000),
);

const word = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  hostile,
  fc.integer().map(String),
);
const option = fc.oneof(
  word,
  fc.tuple(fc.constantFrom(...optionNames), word).map(([k, v]) => `${k}:${v}`),
);
const line = fc.oneof(
  fc
    .tuple(fc.constantFrom(...names), fc.array(option, { maxLength: 6 }))
    .map(([n, opts]) => `/${n} ${opts.join(' ')}`),
  fc.tuple(word, fc.array(option, { maxLength: 4 })).map(([n, opts]) => `/${n} ${opts.join(' ')}`),
  fc.string({ maxLength: 200 }),
);

function wellFormed(reply: Reply): void {
  expect(typeof reply.fallbackText).toBe('string');
  expect(reply.fallbackText.length).toBeGreaterThan(0);
  expect(reply.text === undefined || typeof reply.text === 'string').toBe(true);
  for (const action of reply.actions ?? []) {
    expect(action.id.length).toBeLessThanOrEqual(100);
    expect(action.label.length).toBeLessThanOrEqual(40);
  }
  // Replies built from user input never carry raw control characters back out.
  const texts = [
    reply.title,
    reply.text,
    reply.fallbackText,
    ...(reply.fields ?? []).map((f) => f.value),
  ].join('\n');
  // Newlines are the replies' own; anything else unsafe must have been stripped.
  expect(texts.replace(/\n/g, '')).not.toMatch(new RegExp(UNSAFE_CHARS.source, 'u'));
}

describe('parser and router under random input', () => {
  it('answer 10,000 random command lines with well-formed replies and never throw', async () => {
    const { router } = testApp();
    await fc.assert(
      fc.asyncProperty(
        line,
        fc.constantFrom('member', 'host', 'admin') as fc.Arbitrary<'member' | 'host' | 'admin'>,
        async (text, who) => {
          const parsed = splitCommandLine(text);
          if (!parsed) return;
          const reply = await router.handle({
            ...actor(who),
            command: parsed.command,
            input: { kind: 'text', text: parsed.rest },
          });
          wellFormed(reply);
        },
      ),
      { numRuns: 10_000 },
    );
  });

  it('survive random button ids', async () => {
    const { router } = testApp();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 120 }),
          fc.tuple(fc.constantFrom('fact', 'learn', 'related'), word).map(([a, b]) => `${a}:${b}`),
        ),
        async (id) => {
          const result = await router.handleAction({ ...actor(), actionId: id });
          expect(['new', 'replace']).toContain(result.mode);
          wellFormed(result.reply);
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
