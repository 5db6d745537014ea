/**
 * Reports of problems with questions on the fake Discord: "Report a problem" opens a modal (type 9),
 * its MODAL_SUBMIT files the report, a host sees it inert in /disputes, rejects one with a note (a
 * second modal) and accepts another, and the reporter sees both outcomes once in /progress.
 */
import type { APIEmbed } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryStorage } from '../../src/store/doc/index.ts';
import type { FakeDiscord, FakeGuild, FakeUser, Injected } from '../fakes/discord/index.ts';
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
  content?: string;
  allowed_mentions?: unknown;
}
interface Callback {
  type: number;
  data: Body;
}
interface Modal {
  custom_id: string;
  title: string;
  components: {
    type: number;
    label: string;
    component: {
      type: number;
      custom_id: string;
      max_length?: number;
      required?: boolean;
      options?: { value: string; label: string }[];
    };
  }[];
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
const description = (body: Body) => (body.embeds ?? []).map((e) => e.description ?? '').join('\n');

const HOSTILE = '@everyone <@123> <!channel> **bold** [click](https://evil.example) `x`\u0007\u202e done';

describe('disputes on Discord', () => {
  it('opens the report form, files the report, and a host rejects and accepts; the reporter is told once', async () => {
    app = await startServices(fake, { storage: memoryStorage(), guild, host, content: quizContent() });
    const channelId = guild.channels[0]?.id as string;
    const learner = players[1] as FakeUser;
    const press = async (user: FakeUser, customId: string) => {
      const interaction = fake.button({ guild, channelId, user, customId });
      return { interaction, body: (await fake.callback(interaction)).body as Callback };
    };
    const submit = async (user: FakeUser, customId: string, fields: Record<string, string | string[]>) =>
      (await fake.callback(fake.modalSubmit({ guild, channelId, user, customId, fields }))).body as Callback;
    const slash = async (user: FakeUser, name: string) =>
      (await fake.callback(fake.chatInput({ guild, channelId, user, name }))).body as Callback;
    const modal = (interaction: Injected) => fake.modalFor(interaction) as unknown as Modal;

    // The button opens a modal: a reason select and a text of at most 500 characters.
    const opened = await press(learner, 'dispute:q-easy-5');
    expect(opened.body.type).toBe(9);
    const form = modal(opened.interaction);
    expect(form.custom_id).toBe('dispute:q-easy-5');
    expect(form.title).toBe('Report a problem');
    const [select, text] = form.components;
    expect(select?.type).toBe(18);
    expect(select?.component.options?.map((o) => o.label)).toEqual([
      'Wrong answer',
      'Ambiguous',
      'Source does not say this',
      'Typo',
      'Other',
    ]);
    expect(text?.component).toMatchObject({ type: 4, custom_id: 'text', max_length: 500, required: false });

    const filed = await submit(learner, 'dispute:q-easy-5', { choice: ['wrong-answer'], text: HOSTILE });
    expect(filed.type).toBe(4);
    expect(filed.data.flags).toBe(EPHEMERAL);
    expect(filed.data.embeds?.[0]?.title).toBe('Thank you: your report is filed');
    const stored = await app.storage.disputes.open({ platform: 'discord', workspaceId: guild.id });
    expect(stored).toHaveLength(1);
    expect(stored[0]?.text).toBe(
      '@everyone <@123> <!channel> **bold** [click](https://evil.example) `x` done',
    );
    expect(stored[0]?.userName).toBe('Boris');

    // A second report, on another question, from another learner.
    await press(players[2] as FakeUser, 'dispute:q-easy-6');
    await submit(players[2] as FakeUser, 'dispute:q-easy-6', { choice: ['typo'], text: 'Speling.' });

    // Not for learners.
    const refused = await slash(learner, 'disputes');
    expect(refused.data.flags).toBe(EPHEMERAL);
    expect(description(refused.data)).toMatch(/Only hosts can do that/);

    // The host's list: the question, its answer, sources and the report, shown inert.
    const list = await slash(host, 'disputes');
    expect(list.data.flags).toBe(EPHEMERAL);
    expect(list.data.allowed_mentions).toEqual({ parse: [] });
    const shown = description(list.data);
    expect(list.data.embeds?.[0]?.title).toBe('Reports on q-easy-5 (1 of 2)');
    expect(shown).toContain('easy question 5?');
    expect(shown).toContain('**Answer:** right 5');
    expect(shown).toContain(
      "- *Wrong answer*, Boris: `@everyone <@123> <!channel> **bold** [click](https://evil.example) 'x' done`",
    );
    expect(shown).not.toContain('\u0007');
    expect(shown).not.toContain('\u202e');
    expect(JSON.stringify(list.data.embeds)).toContain('Fixture Encyclopedia');
    expect(buttons(list.data).map((b) => b.label)).toEqual(['Accept', 'Reject', 'Next']);

    // Reject with a note: a second modal, whose submission closes the reports.
    const reject = buttons(list.data).find((b) => b.label === 'Reject')?.custom_id as string;
    const notHost = await press(learner, reject);
    expect(notHost.body.type).toBe(4);
    expect(description(notHost.body.data)).toBe('Only hosts can act on reports.');
    const rejecting = await press(host, reject);
    expect(rejecting.body.type).toBe(9);
    expect(modal(rejecting.interaction).components[0]?.component).toMatchObject({
      custom_id: 'text',
      required: true,
    });
    const rejected = await submit(host, 'dispute-reject:q-easy-5', { text: 'The source gives @here 1956.' });
    expect(rejected.data.flags).toBe(EPHEMERAL);
    expect(description(rejected.data)).toContain('Rejected: 1 report on **q-easy-5** closed.');
    expect(rejected.data.embeds?.[0]?.title).toBe('Reports on q-easy-6 (1 of 1)');

    // Accept the other: hidden in this server.
    const accept = buttons(rejected.data).find((b) => b.label === 'Accept')?.custom_id as string;
    const accepted = await press(host, accept);
    expect(description(accepted.body.data)).toContain('Accepted: **q-easy-6** is hidden in this server');
    expect(description(accepted.body.data)).toContain('No open reports in this server.');
    const settings = await app.storage.settings.get({ platform: 'discord', workspaceId: guild.id });
    expect(Object.keys(settings?.hiddenQuestions ?? {})).toEqual(['q-easy-6']);

    // The reporters see the outcome in /progress, once.
    const progress = description((await slash(learner, 'progress')).data);
    expect(progress).toContain('**Your reports**');
    expect(progress).toContain("was not accepted. The host's note: `The source gives @here 1956.`");
    expect(description((await slash(learner, 'progress')).data)).not.toContain('Your reports');
    expect(description((await slash(players[2] as FakeUser, 'progress')).data)).toContain(
      'was accepted: the question is no longer asked in this server',
    );
  });

  it('keeps refusing modals it never opened', async () => {
    const channelId = guild.channels[0]?.id as string;
    const answer = (
      await fake.callback(
        fake.modalSubmit({
          guild,
          channelId,
          user: players[1] as FakeUser,
          customId: 'nobody:1',
          fields: { text: 'x' },
        }),
      )
    ).body as Callback;
    expect(answer.data.content).toMatch(/does not handle this kind of request/);
  });
});
