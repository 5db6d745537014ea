/**
 * /assign end to end on the fake Discord: a host sets an assignment (a public card with Start), a
 * learner does it privately with buttons and gets their score, and the host's status comes with
 * the CSV attached as a multipart upload.
 */

import { parse } from 'csv-parse/sync';
import type { APIEmbed } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryStorage } from '../../src/store/doc/index.ts';
import type { FakeDiscord, FakeGuild, FakeUser } from '../fakes/discord/index.ts';
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
  allowed_mentions?: unknown;
  attachments?: { id: string | number; filename?: string }[];
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
const rightOption = (body: Body) =>
  description(body)
    .split('\n')
    .filter((l) => /^\*\*[A-D]\.\*\*/.test(l))
    .findIndex((l) => l.includes('right '));

describe('/assign on Discord', () => {
  it('sets an assignment, lets a learner do it privately, and exports the status as a CSV attachment', async () => {
    const now = new Date('2026-03-09T10:00:00Z');
    app = await startServices(fake, {
      storage: memoryStorage(),
      guild,
      host,
      content: quizContent(),
      now: () => now,
    });
    const channelId = guild.channels[0]?.id as string;
    const learner = players[1] as FakeUser;
    const slash = async (
      user: FakeUser,
      subcommand: string,
      options: Record<string, string | number | boolean> = {},
    ) => await fake.callback(fake.chatInput({ guild, channelId, user, name: 'assign', subcommand, options }));
    const press = async (user: FakeUser, customId: string) =>
      ((await fake.callback(fake.button({ guild, channelId, user, customId }))).body as Callback).data;

    const refused = ((await slash(learner, 'create', { topic: 'alpha', due: 'tomorrow' })).body as Callback)
      .data;
    expect(refused.flags).toBe(EPHEMERAL);

    const bad = ((await slash(host, 'create', { topic: 'alpha', due: '2026-01-01' })).body as Callback).data;
    expect(bad.flags).toBe(EPHEMERAL);
    expect(description(bad)).toContain('has already passed');

    const card = (
      (await slash(host, 'create', { topic: 'alpha', questions: 2, due: 'tomorrow', time: '18:00' }))
        .body as Callback
    ).data;
    expect(card.flags).toBeUndefined();
    expect(card.allowed_mentions).toEqual({ parse: [] });
    expect(card.embeds?.[0]?.title).toMatch(/^Assignment \w{4}: Alpha$/);
    expect(description(card)).toContain('Due Tuesday 10 March 2026 at 18:00 (UTC)');
    const start = buttons(card).find((b) => b.label === 'Start')?.custom_id as string;
    expect(start).toMatch(/^assign:s:\w{4}$/);

    let q = await press(learner, start);
    expect(q.flags).toBe(EPHEMERAL);
    expect(q.embeds?.[0]?.title).toMatch(/question 1 of 2$/);
    expect(buttons(q).map((b) => b.label)).toEqual(['A', 'B', 'C', 'D']);
    const intruder = await press(players[2] as FakeUser, buttons(q)[0]?.custom_id as string);
    expect(description(intruder)).toContain('belong to someone else');

    const first = await press(learner, buttons(q)[rightOption(q)]?.custom_id as string);
    expect(first.flags).toBe(EPHEMERAL);
    expect(first.embeds?.[0]?.title).toMatch(/^Right! [A-D]\. right \d+$/);
    q = await press(learner, buttons(first).find((b) => b.label === 'Next')?.custom_id as string);
    expect(q.embeds?.[0]?.title).toMatch(/question 2 of 2$/);
    const last = await press(learner, buttons(q)[(rightOption(q) + 1) % 4]?.custom_id as string);
    expect(description(last)).toContain('You finished assignment');
    expect(description(last)).toContain('**1 of 2 right**');
    expect(description(await press(learner, start))).toContain('**1 of 2 right**');

    const call = await slash(host, 'status', { export: true });
    const status = (call.body as Callback).data;
    expect(status.flags).toBe(EPHEMERAL);
    expect(description(status)).toContain('**Finished (1)**\n- Boris: 1/2');
    expect(call.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    const file = call.files?.[0];
    expect(file?.name).toMatch(/^assignment-\w{4}\.csv$/);
    const rows = parse(Buffer.from(file!.data), { bom: true }) as string[][];
    expect(rows[1]).toEqual(['Boris', learner.id, 'yes', 'yes', '1/2', '1', '2', '2026-03-09T10:00:00.000Z']);

    const id = start.split(':')[2] as string;
    const closed = ((await slash(host, 'close', { id })).body as Callback).data;
    expect(description(closed)).toContain(`Assignment ${id} is closed`);
    expect(description(await press(players[3] as FakeUser, start))).toContain('was closed by a host');
  });
});
