import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buttonRows,
  countdownText,
  DISCORD_LIMITS,
  MAX_MESSAGES,
  type RenderedMessage,
  renderReply,
  renderSingle,
  splitText,
} from '../../src/adapters/discord/render.ts';
import { type Reply, reply } from '../../src/core/reply.ts';

function messageChars(message: RenderedMessage): number {
  return message.embeds.reduce(
    (n, e) =>
      n +
      (e.title ?? '').length +
      (e.description ?? '').length +
      (e.footer?.text ?? '').length +
      (e.fields ?? []).reduce((m, f) => m + f.name.length + f.value.length, 0),
    0,
  );
}

function expectWithinLimits(messages: RenderedMessage[]): void {
  expect(messages.length).toBeGreaterThan(0);
  expect(messages.length).toBeLessThanOrEqual(MAX_MESSAGES);
  for (const message of messages) {
    expect(message.allowed_mentions).toEqual({ parse: [] });
    expect(message.embeds.length).toBeGreaterThan(0);
    expect(message.embeds.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedsPerMessage);
    expect(messageChars(message)).toBeLessThanOrEqual(DISCORD_LIMITS.charsPerMessage);
    for (const embed of message.embeds) {
      expect((embed.title ?? '').length).toBeLessThanOrEqual(DISCORD_LIMITS.title);
      expect((embed.description ?? '').length).toBeLessThanOrEqual(DISCORD_LIMITS.description);
      expect((embed.fields ?? []).length).toBeLessThanOrEqual(DISCORD_LIMITS.fields);
      for (const field of embed.fields ?? []) {
        expect(field.name.length).toBeGreaterThan(0);
        expect(field.name.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldName);
        expect(field.value.length).toBeGreaterThan(0);
        expect(field.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
      }
    }
    expect(message.components.length).toBeLessThanOrEqual(DISCORD_LIMITS.rows);
    for (const row of message.components) {
      expect(row.components.length).toBeGreaterThan(0);
      expect(row.components.length).toBeLessThanOrEqual(DISCORD_LIMITS.buttonsPerRow);
      for (const button of row.components) {
        expect(button.label?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.buttonLabel);
        expect(button.custom_id.length).toBeLessThanOrEqual(DISCORD_LIMITS.customId);
      }
    }
  }
  const ids = messages.flatMap((m) => m.components.flatMap((r) => r.components.map((b) => b.custom_id)));
  expect(new Set(ids).size).toBe(ids.length);
}

describe('renderReply', () => {
  it('renders a small card as one embed with exactly the given parts', () => {
    const messages = renderReply(
      reply({
        title: 'The Secret Speech',
        text: 'On **25 February 1956** Khrushchev spoke.',
        fields: [{ label: 'Fun fact', value: 'It was not secret for long.', inline: true }],
        sources: [{ label: 'Taubman (2003)', url: 'https://example.org/a(b)' }, { label: 'Archive [box 3]' }],
        actions: [
          { id: 'fact:secret', label: 'Another fun fact', style: 'primary' },
          { id: 'related:secret', label: 'Related' },
        ],
      }),
    );
    expect(messages).toEqual([
      {
        embeds: [
          {
            color: 0x8e2c2c,
            title: 'The Secret Speech',
            description: 'On **25 February 1956** Khrushchev spoke.',
            fields: [
              { name: 'Fun fact', value: 'It was not secret for long.', inline: true },
              {
                name: 'Sources',
                value: '- [Taubman (2003)](https://example.org/a%28b%29)\n- Archive (box 3)',
              },
            ],
          },
        ],
        components: [
          {
            type: 1,
            components: [
              { type: 2, style: 1, label: 'Another fun fact', custom_id: 'fact:secret' },
              { type: 2, style: 2, label: 'Related', custom_id: 'related:secret' },
            ],
          },
        ],
        allowed_mentions: { parse: [] },
      },
    ]);
  });

  it('marks ephemeral replies on every message', () => {
    const messages = renderReply(reply({ text: 'a '.repeat(5000), ephemeral: true }));
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) expect(m.flags).toBe(64);
  });

  it('uses the fallback text when a reply has nothing else', () => {
    expect(renderReply({ fallbackText: 'Plain words' })[0]?.embeds).toEqual([
      { color: 0x8e2c2c, description: 'Plain words' },
    ]);
  });

  it('renders a countdown as a relative Discord timestamp', () => {
    expect(countdownText('Time is up', 1_771_995_630_999)).toBe('Time is up <t:1771995630:R>');
    const [message] = renderReply(
      reply({ text: 'Question 1', countdown: { endsAt: 1_771_995_630_000, label: 'Answers close' } }),
    );
    expect(message?.embeds[0]?.description).toBe('Question 1\n\nAnswers close <t:1771995630:R>');
  });

  it('trims a long title and long button labels, and drops bad or duplicate ids', () => {
    const [message] = renderReply(
      reply({
        title: 'T'.repeat(300),
        text: 'x',
        actions: [
          { id: 'a:1', label: 'L'.repeat(120) },
          { id: 'a:1', label: 'duplicate' },
          { id: `a:${'9'.repeat(120)}`, label: 'too long an id' },
          { id: '', label: 'empty id' },
        ],
      }),
    );
    expect(message?.embeds[0]?.title).toHaveLength(256);
    expect(message?.embeds[0]?.title?.endsWith('…')).toBe(true);
    const buttons = message?.components.flatMap((r) => r.components) ?? [];
    expect(buttons.map((b) => b.custom_id)).toEqual(['a:1']);
    expect(buttons[0]?.label).toHaveLength(80);
  });

  it('cuts a long button label after a whole word, with an ellipsis, within 80 characters', () => {
    const label =
      "The Cuban Missile Crisis (October 1962) as Khrushchev's Crisis, seen from Moscow, Havana and Washington";
    const [button] = buttonRows([{ id: 'learn:cuba', label }])[0]?.components ?? [];
    expect(button?.label).toBe("The Cuban Missile Crisis (October 1962) as Khrushchev's Crisis, seen from…");
    expect(button?.label?.length).toBeLessThanOrEqual(DISCORD_LIMITS.buttonLabel);
    const [whole] =
      buttonRows([{ id: 'learn:x', label: 'The death and funeral of Stalin (March 1953)' }])[0]?.components ??
      [];
    expect(whole?.label).toBe('The death and funeral of Stalin (March 1953)');
  });

  it('puts at most 25 buttons in rows of five', () => {
    const rows = buttonRows(Array.from({ length: 30 }, (_, i) => ({ id: `b:${i}`, label: `${i}` })));
    expect(rows.map((r) => r.components.length)).toEqual([5, 5, 5, 5, 5]);
  });

  it('continues long fields and many fields in further fields and embeds', () => {
    const messages = renderReply(
      reply({
        title: 'Many',
        fields: [
          { label: 'Long', value: `${'line of text\n'.repeat(200)}` },
          ...Array.from({ length: 30 }, (_, i) => ({ label: `F${i}`, value: 'v' })),
        ],
      }),
    );
    expectWithinLimits(messages);
    const fields = messages.flatMap((m) => m.embeds.flatMap((e) => e.fields ?? []));
    expect(fields.filter((f) => f.name === 'Long (continued)').length).toBeGreaterThan(0);
    expect(fields.filter((f) => /^F\d+$/.test(f.name))).toHaveLength(30);
    expect(
      fields
        .filter((f) => f.name.startsWith('Long'))
        .map((f) => f.value)
        .join('\n'),
    ).toBe('line of text\n'.repeat(200).trim());
  });

  it('cuts what exceeds three messages and says so', () => {
    const messages = renderReply(reply({ text: 'word '.repeat(10_000) }));
    expect(messages).toHaveLength(MAX_MESSAGES);
    expectWithinLimits(messages);
    expect(messages.at(-1)?.embeds.at(-1)?.footer?.text).toBe('Shortened to fit Discord.');
  });

  it('renders a single message for posts', () => {
    const message = renderSingle(
      reply({ text: 'word '.repeat(10_000), actions: [{ id: 'x:1', label: 'Go' }] }),
    );
    expect(messageChars(message)).toBeLessThanOrEqual(6000);
    expect(message.components).toHaveLength(1);
  });

  it('stays within every limit for arbitrary replies', () => {
    const text = fc.string({
      maxLength: 9000,
      unit: fc.constantFrom('a', 'b', ' ', '\n', '\n\n', '[x](https://e.org/y)', '**', 'é'),
    });
    const arbitraryReply: fc.Arbitrary<Reply> = fc.record({
      title: fc.option(fc.string({ maxLength: 400 }), { nil: undefined }),
      text: fc.option(text, { nil: undefined }),
      fields: fc.option(
        fc.array(fc.record({ label: fc.string({ maxLength: 300 }), value: fc.string({ maxLength: 2500 }) }), {
          maxLength: 40,
        }),
        { nil: undefined },
      ),
      sources: fc.option(
        fc.array(
          fc.record({
            label: fc.string({ maxLength: 200 }),
            url: fc.option(fc.webUrl(), { nil: undefined }),
          }),
          {
            maxLength: 30,
          },
        ),
        { nil: undefined },
      ),
      actions: fc.option(
        fc.array(fc.record({ id: fc.string({ maxLength: 120 }), label: fc.string({ maxLength: 100 }) }), {
          maxLength: 30,
        }),
        { nil: undefined },
      ),
      ephemeral: fc.boolean(),
      fallbackText: fc.string({ maxLength: 300 }),
    });
    fc.assert(
      fc.property(arbitraryReply, (r) => {
        expectWithinLimits(renderReply(r));
      }),
      { numRuns: 150 },
    );
  });
});

describe('splitText', () => {
  it('prefers paragraph breaks, then lines, then spaces', () => {
    expect(splitText('aaaa bbbb\n\ncccc dddd', 12)).toEqual(['aaaa bbbb', 'cccc dddd']);
    expect(splitText('aaaa aaaa\nbbbb cccc', 14)).toEqual(['aaaa aaaa', 'bbbb cccc']);
    expect(splitText('aaaa bbbb cccc', 10)).toEqual(['aaaa bbbb', 'cccc']);
    expect(splitText('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
  });

  it('never cuts inside a Markdown link when a space before it exists', () => {
    const text = 'intro text here [a link](https://e.org/x) tail';
    const pieces = splitText(text, 30);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(30);
    expect(pieces.some((p) => p.includes('[a link'))).toBe(true);
    const joined = pieces.join(' ');
    expect(joined).toBe(text);
    const withLink = pieces.find((p) => p.includes('[a link')) ?? '';
    expect(withLink.startsWith('[a link')).toBe(true);
  });

  it('keeps every character except the whitespace at the cuts', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 3000, unit: fc.constantFrom('a', ' ', '\n', 'xyz', '[l](u)') }),
        fc.integer({ min: 8, max: 500 }),
        (text, max) => {
          const pieces = splitText(text, max);
          for (const p of pieces) expect(p.length).toBeLessThanOrEqual(max);
          expect(pieces.join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
        },
      ),
      { numRuns: 200 },
    );
  });
});
