/**
 * /review end to end on the fake Discord: a player misses three questions in a quiz, and the next
 * day (an injected clock) gets them back privately, answers, grades themselves, and is all caught up.
 */
import type { APIEmbed } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryStorage } from '../../src/store/doc/index.ts';
import type { FakeDiscord, FakeGuild, FakeUser, RestCall } from '../fakes/discord/index.ts';
import { quizContent } from '../helpers/quiz-content.ts';
import { type Running, startFake, startServices, studyGuild } from './services.ts';

const EPHEMERAL = 64;
let fake: FakeDiscord;
let guild: FakeGuild;
let players: FakeUser[];
let host: FakeUser;
let app: Running | undefined;

interface Body {
  embeds?: APIEmbed[];
  components?: { components: { custom_id: string; label: string }[] }[];
  flags?: number;
}
interface Callback {
  type: number;
  data: Body;
}

beforeAll(async () => {
  ({ guild, players, host } = studyGuild());
  fake = await startFake([guild]);
});
afterAll(async () => {
  await app?.stop().catch(() => {});
  await fake?.close();
});

const buttons = (body: Body) => body.components?.flatMap((r) => r.components) ?? [];
const description = (body: Body) => body.embeds?.[0]?.description ?? '';
/** The index of the right option (quizContent's right options start with "right"). */
const rightOption = (body: Body) =>
  description(body)
    .split('\n')
    .filter((l) => /^\*\*[A-D]\.\*\*/.test(l))
    .findIndex((l) => l.includes('right '));

describe('/review on Discord', () => {
  it('brings back three quiz misses the next day, privately, to all caught up', async () => {
    let now = new Date('2026-03-10T19:00:00Z');
    app = await startServices(fake, {
      storage: memoryStorage(),
      guild,
      host,
      content: quizContent(),
      now: () => now,
    });
    const channelId = guild.channels[0]?.id as string;
    const learner = players[0] as FakeUser;
    const slash = async (
      user: FakeUser,
      name: string,
      subcommand: string,
      options: Record<string, string | number> = {},
    ) =>
      (await fake.callback(fake.chatInput({ guild, channelId, user, name, subcommand, options })))
        .body as Callback;
    const press = async (user: FakeUser, customId: string) =>
      (await fake.callback(fake.button({ guild, channelId, user, customId }))).body as Callback;
    const questionPost = async (n: number, after: number) => {
      const title = `Question ${n} of 3`;
      await fake.waitForCall(
        (c: RestCall) => c.at > after && c.method === 'POST' && (c.body as Body).embeds?.[0]?.title === title,
      );
      const message = fake
        .channelMessages(channelId)
        .reverse()
        .find((m) => (m.body as Body).embeds?.[0]?.title === title);
      return { id: message?.id as string, body: message?.body as Body };
    };

    let at = performance.now();
    await slash(host, 'quiz', 'start', { questions: 3, seconds: 30 });
    for (let n = 1; n <= 3; n++) {
      const q = await questionPost(n, at);
      const wrong = buttons(q.body)[(rightOption(q.body) + 1) % 4]?.custom_id as string;
      const ack = (
        await fake.callback(
          fake.button({ guild, channelId, user: learner, customId: wrong, messageId: q.id }),
        )
      ).body as Callback;
      expect(ack.data.flags).toBe(EPHEMERAL);
      expect(description(ack.data)).toContain('This question goes into your review deck');
      at = performance.now();
      await slash(host, 'quiz', 'skip');
    }
    await fake.waitForCall(
      (c: RestCall) =>
        c.at > at && c.method === 'POST' && (c.body as Body).embeds?.[0]?.title === 'Final scores',
    );
    expect(description((await slash(learner, 'review', 'new-cards', { count: 0 })).data)).toContain(
      'No new cards',
    );

    now = new Date('2026-03-11T19:30:00Z');
    const first = await slash(learner, 'review', 'start');
    expect(first.type).toBe(4);
    expect(first.data.flags).toBe(EPHEMERAL);
    expect(first.data.embeds?.[0]?.title).toBe('Review: card 1');
    expect(description(first.data)).toContain('**3 cards are due**');
    expect(buttons(first.data).map((b) => b.label)).toEqual(['A', 'B', 'C', 'D']);

    // Someone else cannot press the learner's buttons.
    const intruder = await press(players[1] as FakeUser, buttons(first.data)[0]?.custom_id as string);
    expect(intruder.type).toBe(4);
    expect(intruder.data.flags).toBe(EPHEMERAL);
    expect(description(intruder.data)).toContain('belongs to someone else');

    const missed = await press(
      learner,
      buttons(first.data)[(rightOption(first.data) + 1) % 4]?.custom_id as string,
    );
    // Each step is a new private message: the adapter never lets a private reply replace a message.
    expect(missed.type).toBe(4);
    expect(missed.data.flags).toBe(EPHEMERAL);
    expect(missed.data.embeds?.[0]?.title).toMatch(/^Not quite: the answer is [A-D]\. right \d+$/);
    expect(JSON.stringify(missed.data)).toContain('Fixture Encyclopedia');
    let card = (
      await press(learner, buttons(missed.data).find((b) => b.label === 'Next')?.custom_id as string)
    ).data;
    for (const [n, grade] of [
      [2, 'Easy'],
      [3, 'Next'],
    ] as const) {
      expect(card.embeds?.[0]?.title).toBe(`Review: card ${n}`);
      const right = await press(learner, buttons(card)[rightOption(card)]?.custom_id as string);
      expect(buttons(right.data).map((b) => b.label)).toEqual([
        'Again',
        'Hard',
        'Good',
        'Easy',
        'Next',
        'Report a problem',
      ]);
      card = (await press(learner, buttons(right.data).find((b) => b.label === grade)?.custom_id as string))
        .data;
    }
    expect(card.embeds?.[0]?.title).toBe('All caught up');
    expect(description(card)).toMatch(/All caught up: next review tomorrow at \d\d:\d\d \(UTC\)\./);
    const logs = await app.storage.study.logs(
      { platform: 'discord', workspaceId: guild.id },
      learner.id,
      new Date('2026-03-11T00:00:00Z'),
    );
    expect(logs.map((l) => [l.rating, l.source])).toEqual([
      [1, 'review'],
      [4, 'review'],
      [3, 'review'],
    ]);
  });
});
