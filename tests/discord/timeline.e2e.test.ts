import type { APIEmbed } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { loadContent } from '../../src/content/load.ts';
import { REAL_CONTENT } from '../helpers/deps.ts';
import { type Harness, startHarness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ commands });
});
afterAll(async () => {
  await h?.stop();
});

interface Body {
  type: number;
  data: { embeds?: APIEmbed[]; components?: { components: { custom_id: string; label: string }[] }[] };
}

describe('/timeline on Discord', () => {
  it('pages with Previous/Next buttons that update the same message', async () => {
    const total = loadContent(REAL_CONTENT).library.events.filter((e) => e.year === 1956).length;
    const first = (
      await h.fake.callback(
        h.fake.chatInput({
          guild: h.guild,
          user: h.users.member,
          name: 'timeline',
          options: { from: 1956, to: 1956 },
        }),
      )
    ).body as Body;
    expect(first.type).toBe(4);
    expect(first.data.embeds?.[0]?.title).toBe('Timeline 1956');
    const fields = first.data.embeds?.flatMap((e) => e.fields ?? []) ?? [];
    expect(fields.find((f) => f.name === 'Page')?.value).toBe(
      `1 of ${Math.ceil(total / 8)} (${total} events)`,
    );
    const buttons = first.data.components?.flatMap((row) => row.components) ?? [];
    expect(buttons.map((b) => [b.label, b.custom_id])).toEqual([
      ['Next', 'tl:1956:1956:*:1'],
      ['More sources', 'tlsrc:1956:1956:*:0'],
    ]);

    const next = (
      await h.fake.callback(
        h.fake.button({ guild: h.guild, user: h.users.other, customId: 'tl:1956:1956:*:1' }),
      )
    ).body as Body;
    expect(next.type).toBe(7); // UPDATE_MESSAGE: the page replaces the message it came from
    const nextFields = next.data.embeds?.flatMap((e) => e.fields ?? []) ?? [];
    expect(nextFields.find((f) => f.name === 'Page')?.value).toMatch(/^2 of /);
    expect(next.data.components?.flatMap((row) => row.components).map((b) => b.label)).toEqual([
      'Previous',
      'Next',
      'More sources',
    ]);
  });
});
