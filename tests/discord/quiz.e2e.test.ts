import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { APIEmbed } from 'discord.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/log.ts';
import { DECK_LINE } from '../../src/quiz/service.ts';
import { type DocStorage, memoryStorage } from '../../src/store/doc/index.ts';
import { openFileStorage } from '../../src/store/open.ts';
import type { FakeDiscord, FakeGuild, FakeUser, Injected, RestCall } from '../fakes/discord/index.ts';
import { quizContent } from '../helpers/quiz-content.ts';
import { type Running, startFake, startServices, studyGuild } from './services.ts';

/**
 * Quiz nights end to end: the real discord.js client against the fake Discord, the real quiz service
 * and store. Rounds end by a host's /quiz skip or, in learner mode, when every player has answered,
 * so no test waits for a question's time to run out.
 */

const EPHEMERAL = 64;
let fake: FakeDiscord;
let guild: FakeGuild;
let players: FakeUser[];
let host: FakeUser;
let channelId: string;
const running: Running[] = [];

interface Body {
  embeds?: APIEmbed[];
  components?: { components: { custom_id: string; label: string }[] }[];
  flags?: number;
}

beforeAll(async () => {
  ({ guild, players, host } = studyGuild());
  fake = await startFake([guild]);
});
afterEach(async () => {
  for (const app of running.splice(0)) await app.stop().catch(() => {});
});
afterAll(async () => {
  await fake?.close();
});

async function start(storage: DocStorage): Promise<Running> {
  const app = await startServices(fake, { storage, guild, host, content: quizContent(), quizPauseMs: 20 });
  running.push(app);
  return app;
}

const channelPosts = (title: RegExp) => (c: RestCall) =>
  c.method === 'POST' &&
  c.path === `/channels/${channelId}/messages` &&
  title.test((c.body as Body).embeds?.[0]?.title ?? '');

/** The stored message of the newest post titled like `title`, once it has arrived. */
async function posted(title: RegExp, after = 0): Promise<{ id: string; body: Body }> {
  await fake.waitForCall((c) => c.at > after && channelPosts(title)(c));
  const message = fake
    .channelMessages(channelId)
    .reverse()
    .find((m) => title.test((m.body as Body).embeds?.[0]?.title ?? ''));
  if (!message) throw new Error(`no message titled ${title}`);
  return { id: message.id, body: message.body as Body };
}

async function command(user: FakeUser, subcommand: string, options: Record<string, string | number> = {}) {
  const injected = fake.chatInput({ guild, channelId, user, name: 'quiz', subcommand, options });
  return (await fake.callback(injected)).body as { type: number; data: Body };
}

/** Clicks an option of a question message; returns the private answer's text. */
async function click(user: FakeUser, question: { id: string; body: Body }, option: number): Promise<string> {
  const button = question.body.components?.[0]?.components[option];
  if (!button) throw new Error('question has no such button');
  const injected: Injected = fake.button({
    guild,
    channelId,
    user,
    customId: button.custom_id,
    messageId: question.id,
  });
  const body = (await fake.callback(injected)).body as { type: number; data: Body };
  expect(body.type).toBe(4);
  expect(body.data.flags).toBe(EPHEMERAL);
  return body.data.embeds?.[0]?.description ?? '';
}

/** Index of the button whose option is right (quizContent's right options start with "right"). */
function rightOption(question: { body: Body }): number {
  const lines = (question.body.embeds?.[0]?.description ?? '')
    .split('\n')
    .filter((l) => /^\*\*[A-D]\.\*\*/.test(l));
  return lines.findIndex((l) => l.includes('right '));
}

const edits = (messageId: string) =>
  fake.calls.filter((c) => c.method === 'PATCH' && c.path === `/channels/${channelId}/messages/${messageId}`);

describe('a quiz night on Discord', () => {
  it('five players click A-D: private locks, refused double clicks, throttled live counts, reveal, scores', async () => {
    channelId = guild.channels[0]?.id as string;
    await start(memoryStorage());
    const started = await command(host, 'start', { questions: 3, seconds: 20, mode: 'learner' });
    expect(started.type).toBe(4);
    expect(started.data.embeds?.[0]?.title).toBe('Quiz time!');

    const q1 = await posted(/^Question 1 of 3$/);
    const buttons = q1.body.components?.flatMap((r) => r.components) ?? [];
    expect(buttons.map((b) => b.label)).toEqual(['A', 'B', 'C', 'D']);
    expect(q1.body.embeds?.[0]?.description).toMatch(/<t:\d+:R>/);
    const firstPost = fake.calls.find(channelPosts(/^Question 1/));
    expect(firstPost?.body).toMatchObject({ allowed_mentions: { parse: [] } });

    const right = rightOption(q1);
    const choices = [right, right, (right + 1) % 4, (right + 2) % 4, right];
    const clickAll = (from: number, to: number) =>
      Promise.all(players.slice(from, to).map((p, i) => click(p, q1, choices[from + i] as number)));
    // Two answers, then the first live count edit; three more within the next second.
    const answers = await clickAll(0, 2);
    await expect.poll(() => edits(q1.id).length, { timeout: 5000 }).toBeGreaterThan(0);
    answers.push(...(await clickAll(2, 5)));
    // First answers to a question: each acknowledgement says privately that it goes into the deck.
    expect(answers).toEqual(choices.map((c) => `Locked in: **${'ABCD'[c]}**. ${DECK_LINE}`));

    const again = await Promise.all([
      click(players[0] as FakeUser, q1, 3),
      click(players[0] as FakeUser, q1, 2),
    ]);
    for (const text of again) expect(text).toMatch(/already answered/);

    // The count reaches 5 in a later edit, at least a second after the first.
    await expect
      .poll(() => edits(q1.id).some((c) => JSON.stringify(c.body).includes('5 answered')), { timeout: 5000 })
      .toBe(true);
    const countEdits = edits(q1.id);
    expect(countEdits.length).toBeGreaterThanOrEqual(2);
    expect(countEdits.length).toBeLessThanOrEqual(3);
    for (let i = 1; i < countEdits.length; i++)
      expect((countEdits[i] as RestCall).at - (countEdits[i - 1] as RestCall).at).toBeGreaterThan(900);
    for (const edit of countEdits) expect((edit.body as Body).components?.length).toBe(1);

    // A host ends the round: the question closes (no buttons) and the answer is revealed.
    const revealAt = performance.now();
    const skipped = await command(host, 'skip');
    expect(skipped.data.flags).toBe(EPHEMERAL);
    const reveal1 = await posted(/^Answer: /, revealAt);
    expect(reveal1.body.embeds?.[0]?.title).toMatch(new RegExp(`^Answer: ${'ABCD'[right]}\\. right`));
    expect(JSON.stringify(reveal1.body)).toContain('Sources');
    const closing = edits(q1.id).at(-1)?.body as Body;
    expect(closing.components ?? []).toEqual([]);
    expect(JSON.stringify(closing)).toContain('5 answered. Skipped.');

    // Learner mode from the second question: the round ends as soon as all five have answered.
    for (const n of [2, 3]) {
      const q = await posted(new RegExp(`^Question ${n} of 3$`));
      const r = rightOption(q);
      const at = performance.now();
      const texts = await Promise.all(players.map((p, i) => click(p, q, i < 3 ? r : (r + 1) % 4)));
      for (const text of texts) expect(text).toMatch(/^Locked in/);
      await posted(/^Answer: /, at);
    }

    const final = await posted(/^Final scores$/);
    const lines = (final.body.embeds?.[0]?.description ?? '').split('\n').filter((l) => /^\d+\. /.test(l));
    expect(lines).toHaveLength(5);
    // Ada and Boris were right three times; Clara and Elena twice; Dmitri never.
    expect(lines[0]).toMatch(/^1\. \*\*(Ada|Boris)\*\*.*\(3\/3 right\)/);
    expect(lines[1]).toMatch(/^1\. \*\*(Ada|Boris)\*\*.*\(3\/3 right\)/);
    expect(lines.at(-1)).toMatch(/^5\. \*\*Dmitri\*\*: 0 points \(0\/3 right\)/);

    // The ended game's buttons now answer with a short notice.
    expect(await click(players[1] as FakeUser, q1, 0)).toMatch(/quiz has ended/);
  });
});

describe('a restart in the middle of a game', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'thawbot-quiz-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('posts a question once when its answer is lost and discord.js sends it again', async () => {
    channelId = guild.channels[2]?.id as string;
    await start(memoryStorage());
    fake.loseNextAnswer(channelId);
    await command(host, 'start', { questions: 3, seconds: 20 });
    const q1 = await posted(/^Question 1 of 3$/);
    // The POST created the message and lost its answer. Any retry carries the same nonce (which
    // Discord enforces), and the game finds the message by it instead of posting again.
    const posts = fake.calls.filter(channelPosts(/^Question 1 of 3$/));
    expect(new Set(posts.map((c) => (c.body as { nonce?: string }).nonce)).size).toBe(1);
    expect(posts[0]?.body).toHaveProperty('nonce');
    expect(posts.every((c) => (c.body as { enforce_nonce?: boolean }).enforce_nonce === true)).toBe(true);
    const questions = fake
      .channelMessages(channelId)
      .filter((m) => /^Question 1 of 3$/.test((m.body as Body).embeds?.[0]?.title ?? ''));
    expect(questions.map((m) => m.id)).toEqual([q1.id]);
    // And the game knows which message to edit.
    expect(await click(players[1] as FakeUser, q1, rightOption(q1))).toMatch(/^Locked in/);
  });

  it('reposts the current question on the same data file, and earlier answers still count', async () => {
    channelId = guild.channels[1]?.id as string;
    const file = path.join(dir, 'data.json');
    const first = await start(await openFileStorage({ file, log: silentLogger }));
    await command(host, 'start', { questions: 3, seconds: 20, mode: 'learner' });
    const q1 = await posted(/^Question 1 of 3$/);
    const r1 = rightOption(q1);
    await Promise.all(players.map((p) => click(p, q1, r1)));
    const skipAt = performance.now();
    await command(host, 'skip');
    const q2 = await posted(/^Question 2 of 3$/, skipAt);
    const r2 = rightOption(q2);
    // Two players answer question 2 before the restart.
    expect(await click(players[0] as FakeUser, q2, r2)).toMatch(/^Locked in/);
    expect(await click(players[1] as FakeUser, q2, (r2 + 1) % 4)).toMatch(/^Locked in/);

    await first.stop();
    running.splice(running.indexOf(first), 1);
    const restartAt = performance.now();
    const second = await start(await openFileStorage({ file, log: silentLogger }));
    expect(await second.deps.quiz.resume()).toBe(1);

    const reposted = await posted(/^Question 2 of 3$/, restartAt);
    expect(reposted.id).not.toBe(q2.id);
    expect(rightOption(reposted)).toBe(r2);
    // Answers given before the restart count: a second click is refused.
    expect(await click(players[0] as FakeUser, reposted, (r2 + 2) % 4)).toMatch(/already answered/);
    const at = performance.now();
    await Promise.all(players.slice(2).map((p) => click(p, reposted, r2)));
    // Every player of question 1 has now answered: learner mode reveals at once.
    const reveal = await posted(/^Answer: /, at);
    expect(JSON.stringify(reveal.body)).toMatch(/Not quite:\*\* Boris/);

    const q3 = await posted(/^Question 3 of 3$/, at);
    await Promise.all(players.map((p) => click(p, q3, rightOption(q3))));
    const final = await posted(/^Final scores$/, at);
    const text = final.body.embeds?.[0]?.description ?? '';
    expect(text).toMatch(/\*\*Ada\*\*: [\d,]+ points \(3\/3 right\)/);
    expect(text).toMatch(/\*\*Boris\*\*: [\d,]+ points \(2\/3 right\)/);

    const results = Object.values((await second.storage.dump()).results.results);
    expect(results).toHaveLength(1);
    expect(results[0]?.rounds.map((r) => r.answers.length)).toEqual([5, 5, 5]);
  });
});
