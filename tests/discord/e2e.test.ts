import type { APIEmbed } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscord } from '../../src/adapters/discord/index.ts';
import { DISCORD_LIMITS } from '../../src/adapters/discord/render.ts';
import { silentLogger } from '../../src/core/log.ts';
import { reply } from '../../src/core/reply.ts';
import { Router } from '../../src/core/router.ts';
import { FakeDiscord, type Injected, PERMISSIONS, type RestCall } from '../fakes/discord/index.ts';
import { APPLICATION_ID, type Harness, startHarness } from './harness.ts';
import { Gate, gates } from './test-commands.ts';

let h: Harness;
const EPHEMERAL = 64;
const NO_MENTIONS = { parse: [] };

beforeAll(async () => {
  h = await startHarness({ deferAfterMs: 1000 });
});
afterAll(async () => {
  await h?.stop();
});

interface CallbackBody {
  type: number;
  data: {
    embeds?: APIEmbed[];
    components?: { type: number; components: { custom_id: string; label: string; style: number }[] }[];
    flags?: number;
    allowed_mentions?: unknown;
    choices?: { name: string; value: string }[];
  };
}

async function callbackOf(injected: Injected): Promise<CallbackBody> {
  return (await h.fake.callback(injected)).body as CallbackBody;
}

function descriptionOf(body: CallbackBody): string {
  return (body.data.embeds ?? []).map((e) => e.description ?? '').join('\n');
}

describe('slash commands', () => {
  it('answers /echo with the exact callback body, mentions disabled', async () => {
    const injected = h.fake.chatInput({
      guild: h.guild,
      user: h.users.member,
      name: 'echo',
      options: { text: '@everyone look <@&720000000000000001> **now**' },
    });
    const body = await callbackOf(injected);
    expect(body).toEqual({
      type: 4,
      data: {
        tts: false,
        enforce_nonce: false,
        embeds: [
          { color: 0x8e2c2c, title: 'Echo', description: '@everyone look <@&720000000000000001> **now**' },
        ],
        components: [],
        allowed_mentions: NO_MENTIONS,
      },
    });
    expect(h.fake.callsFor(injected)).toHaveLength(1);
  });

  it('treats an option sent as null as left out, not as a failure', async () => {
    const body = await callbackOf(
      h.fake.chatInput({ guild: h.guild, user: h.users.member, name: 'fact', options: { topic: null } }),
    );
    expect(body.type).toBe(4);
    expect(body.data.embeds?.[0]?.description ?? '').not.toContain('something went wrong');
    expect(body.data.embeds?.[0]?.title).toMatch(/fact/i);
  });

  it('answers /learn with a topic card: title, summary, Sources field of links, buttons, no ping', async () => {
    const topic = h.deps.content.topics[0];
    if (!topic) throw new Error('no topics loaded');
    const body = await callbackOf(
      h.fake.chatInput({
        guild: h.guild,
        user: h.users.member,
        name: 'learn',
        options: { topic: topic.title },
      }),
    );
    expect(body.type).toBe(4);
    expect(body.data.flags).toBeUndefined();
    expect(body.data.allowed_mentions).toEqual(NO_MENTIONS);
    const embed = body.data.embeds?.[0];
    expect(embed?.title).toBe(topic.title);
    expect(embed?.description).toBe(topic.summary);
    expect(embed?.footer).toBeUndefined();
    const sources = body.data.embeds?.flatMap((e) => e.fields ?? []).find((f) => f.name === 'Sources');
    const first = topic.sources[0];
    if (first?.url) expect(sources?.value).toContain(`](${first.url})`);
    expect(sources?.value.split('\n').every((line) => line.startsWith('- '))).toBe(true);
    const buttons = (body.data.components ?? []).flatMap((r) => r.components);
    expect(buttons.map((b) => b.custom_id)).toContain(`related:${topic.id}`);
    for (const b of buttons) expect(b.custom_id.length).toBeLessThanOrEqual(100);
  });

  it('answers /thaw from the command list (a card, or a polite note while the topic is missing)', async () => {
    const body = await callbackOf(h.fake.chatInput({ guild: h.guild, user: h.users.member, name: 'thaw' }));
    expect(body.type).toBe(4);
    expect(body.data.allowed_mentions).toEqual(NO_MENTIONS);
    const topic = h.deps.content.topic('thaw');
    if (topic) {
      expect(body.data.flags).toBeUndefined();
      expect(body.data.embeds?.[0]?.title).toBe(topic.title);
    } else {
      expect(body.data.flags).toBe(EPHEMERAL);
      expect(descriptionOf(body)).toMatch(/missing from the library/);
    }
  });

  it('passes subcommands, integers and the member name; renders the countdown as <t:unix:R>', async () => {
    const body = await callbackOf(
      h.fake.chatInput({
        guild: h.guild,
        user: h.users.host,
        name: 'drill',
        subcommand: 'start',
        options: { topic: 'hungary-1956', questions: 10 },
      }),
    );
    expect(body.type).toBe(4);
    expect(body.data.flags ?? 0).toBe(0);
    expect(descriptionOf(body)).toBe(
      `Topic: hungary-1956, 10 questions, by Hana Host.\n\nFirst question <t:${Date.UTC(2026, 1, 25, 9, 0, 30) / 1000}:R>`,
    );
    expect(body.data.components).toEqual([
      {
        type: 1,
        components: [
          { type: 2, style: 1, label: 'Join', custom_id: 'count:join' },
          { type: 2, style: 4, label: 'Stop', custom_id: 'hostonly:stop' },
        ],
      },
    ]);
  });

  it('refuses a host-only subcommand to a plain member with an ephemeral error', async () => {
    const body = await callbackOf(
      h.fake.chatInput({ guild: h.guild, user: h.users.member, name: 'drill', subcommand: 'start' }),
    );
    expect(body.type).toBe(4);
    expect(body.data.flags).toBe(EPHEMERAL);
    expect(descriptionOf(body)).toMatch(/Only hosts can do that/);
    expect(body.data.allowed_mentions).toEqual(NO_MENTIONS);
  });

  it('treats the host role, the host list, Manage Server and a Manage Server role as hosts', async () => {
    const who = async (spec: { user: typeof h.users.member; roles?: string[]; permissions?: bigint }) =>
      descriptionOf(await callbackOf(h.fake.chatInput({ guild: h.guild, name: 'whoami', ...spec })));
    expect(await who({ user: h.users.hostByRole, roles: [h.hostRoleId] })).toMatch(
      /admin=false host=true server=true/,
    );
    expect(await who({ user: h.users.host })).toMatch(/admin=false host=true/);
    expect(
      await who({ user: h.users.admin, permissions: PERMISSIONS.ManageGuild | PERMISSIONS.ViewChannel }),
    ).toMatch(/admin=true host=true/);
    expect(await who({ user: h.users.other, roles: ['720000000000000002'] })).toMatch(
      /^otto admin=true host=true/,
    );
    expect(await who({ user: h.users.member })).toMatch(
      /^Mia \(nick\) admin=false host=false server=true in 730000000000000001\//,
    );
  });

  it('knows a direct message is not in a server', async () => {
    const body = await callbackOf(h.fake.chatInput({ user: h.users.member, name: 'whoami' }));
    expect(descriptionOf(body)).toMatch(/^Mia Member admin=false host=false server=false in @me\//);
  });

  it('passes user and role options as plain names; admins change hosts', async () => {
    const admin = { user: h.users.admin, permissions: PERMISSIONS.ManageGuild };
    const added = await callbackOf(
      h.fake.chatInput({
        guild: h.guild,
        ...admin,
        name: 'manage',
        subcommand: 'host-add',
        options: { user: { user: h.users.member } },
      }),
    );
    expect(added.data.flags).toBe(EPHEMERAL);
    expect(descriptionOf(added)).toBe('Mia (nick) is now a host.');
    const role = await callbackOf(
      h.fake.chatInput({
        guild: h.guild,
        ...admin,
        name: 'manage',
        subcommand: 'host-role',
        options: { role: { role: h.hostRoleId } },
      }),
    );
    expect(descriptionOf(role)).toBe('Members with Teachers are now hosts.');
    const settings = await h.deps.storage.settings.get({ platform: 'discord', workspaceId: h.guild.id });
    expect(settings?.hostUserIds).toContain(h.users.member.id);
    // Mia is a host now.
    const started = await callbackOf(
      h.fake.chatInput({ guild: h.guild, user: h.users.member, name: 'drill', subcommand: 'start' }),
    );
    expect(started.data.flags ?? 0).toBe(0);
    // A non-admin cannot.
    const refused = await callbackOf(
      h.fake.chatInput({
        guild: h.guild,
        user: h.users.host,
        name: 'manage',
        subcommand: 'host-add',
        options: { user: { user: h.users.other } },
      }),
    );
    expect(refused.data.flags).toBe(EPHEMERAL);
    expect(descriptionOf(refused)).toMatch(/Only server admins/);
  });

  it('answers bad input and unexpected failures with polite ephemeral errors', async () => {
    const unknown = await callbackOf(
      h.fake.chatInput({
        guild: h.guild,
        user: h.users.member,
        name: 'learn',
        options: { topic: 'zzzz no such topic' },
      }),
    );
    expect(unknown.data.flags).toBe(EPHEMERAL);
    expect(descriptionOf(unknown)).toMatch(/I have no topic called "zzzz no such topic"/);
    const boom = await callbackOf(h.fake.chatInput({ guild: h.guild, user: h.users.member, name: 'boom' }));
    expect(boom.data.flags).toBe(EPHEMERAL);
    expect(descriptionOf(boom)).toMatch(/^Sorry, something went wrong/);
    const missing = await callbackOf(
      h.fake.chatInput({ guild: h.guild, user: h.users.member, name: 'nope' }),
    );
    expect(missing.data.flags).toBe(EPHEMERAL);
    expect(descriptionOf(missing)).toMatch(/I don't know the command `\/nope`/);
  });
});

describe('autocomplete', () => {
  it('suggests topics for /learn topic from the option suggest', async () => {
    const first = h.deps.content.topics[0];
    if (!first) throw new Error('no topics loaded');
    const prefix = first.id.slice(0, 3);
    const body = await callbackOf(
      h.fake.autocomplete({
        guild: h.guild,
        user: h.users.member,
        name: 'learn',
        focused: 'topic',
        options: { topic: prefix },
      }),
    );
    expect(body.type).toBe(8);
    const choices = body.data.choices ?? [];
    expect(choices.length).toBeGreaterThan(0);
    expect(choices.length).toBeLessThanOrEqual(25);
    expect(choices.map((c) => c.value)).toContain(first.id);
    for (const c of choices) {
      expect(c.name.length).toBeLessThanOrEqual(100);
      expect(c.value.length).toBeLessThanOrEqual(100);
    }
  });

  it('suggests within a subcommand, and falls back to choices', async () => {
    const sub = await callbackOf(
      h.fake.autocomplete({
        guild: h.guild,
        user: h.users.host,
        name: 'drill',
        subcommand: 'start',
        focused: 'topic',
        options: { topic: 'hung', questions: 5 },
      }),
    );
    const expected = h.deps.content.topics
      .filter((t) => t.id.startsWith('hung'))
      .map((t) => ({ name: t.title, value: t.id }));
    expect(sub.data.choices).toEqual(expected);
    const none = await callbackOf(
      h.fake.autocomplete({
        guild: h.guild,
        user: h.users.host,
        name: 'echo',
        focused: 'text',
        options: { text: 'x' },
      }),
    );
    expect(none).toEqual({ type: 8, data: { choices: [] } });
  });
});

describe('buttons', () => {
  it('updates the message in place for several users, counting each', async () => {
    const messageId = h.fake.addBotMessage(h.guild.channels[0]?.id ?? '');
    const click = (user: typeof h.users.member) =>
      callbackOf(h.fake.button({ guild: h.guild, user, customId: 'count:join', messageId }));
    const one = await click(h.users.member);
    expect(one.type).toBe(7);
    expect(descriptionOf(one)).toBe('1 joined; last: Mia (nick).');
    expect(one.data.flags).toBeUndefined();
    expect(one.data.allowed_mentions).toEqual(NO_MENTIONS);
    const two = await click(h.users.host);
    expect(descriptionOf(two)).toBe('2 joined; last: Hana Host.');
    const three = await click(h.users.other);
    expect(descriptionOf(three)).toBe('3 joined; last: otto.');
    expect(h.fake.messages.get(messageId)?.body.embeds).toEqual(three.data.embeds);
  });

  it('lets hosts use host buttons and tells others privately', async () => {
    const member = await callbackOf(
      h.fake.button({ guild: h.guild, user: h.users.other, customId: 'hostonly:stop' }),
    );
    expect(member).toMatchObject({ type: 4, data: { flags: EPHEMERAL, allowed_mentions: NO_MENTIONS } });
    expect(descriptionOf(member)).toBe('Only hosts can stop the quiz.');
    const byRole = await callbackOf(
      h.fake.button({
        guild: h.guild,
        user: h.users.hostByRole,
        roles: [h.hostRoleId],
        customId: 'hostonly:stop',
      }),
    );
    expect(byRole.type).toBe(4);
    expect(byRole.data.flags ?? 0).toBe(0);
    expect(descriptionOf(byRole)).toBe('Stopped by Rolf Role.');
  });

  it('runs a real command button: related topics arrive as a new private message', async () => {
    const topic = h.deps.content.topics.find((t) => t.related.length > 0);
    if (!topic) throw new Error('no topic with related topics');
    const body = await callbackOf(
      h.fake.button({ guild: h.guild, user: h.users.member, customId: `related:${topic.id}` }),
    );
    expect(body.type).toBe(4);
    expect(body.data.flags).toBe(EPHEMERAL);
    expect(body.data.embeds?.[0]?.title).toBe(`Related to ${topic.title}`);
  });

  it('answers stale buttons with a short ephemeral notice', async () => {
    const body = await callbackOf(
      h.fake.button({ guild: h.guild, user: h.users.member, customId: 'finished-quiz:42' }),
    );
    expect(body.type).toBe(4);
    expect(body.data.flags).toBe(EPHEMERAL);
    expect(descriptionOf(body)).toMatch(/no longer works/);
  });

  it('never turns a private replace into an edit of the public message', async () => {
    const body = await callbackOf(
      h.fake.button({ guild: h.guild, user: h.users.member, customId: 'private:x' }),
    );
    expect(body.type).toBe(4);
    expect(body.data.flags).toBe(EPHEMERAL);
  });
});

describe('limits', () => {
  it('splits a long reply cleanly into messages within every Discord limit', async () => {
    const injected = h.fake.chatInput({
      guild: h.guild,
      user: h.users.member,
      name: 'long',
      options: { paragraphs: 40 },
    });
    const first = await callbackOf(injected);
    expect(first.type).toBe(4);
    const followUpPath = `/webhooks/${APPLICATION_ID}/${injected.token}`;
    // 40 paragraphs of ~330 characters and 30 fields of 300: three messages.
    await h.fake.waitForCall(
      (c) => c.method === 'POST' && c.path === followUpPath && h.fake.callsFor(injected).length >= 3,
    );
    const followUps = h.fake.callsFor(injected).filter((c) => c.path === followUpPath);
    const messages = [first.data, ...followUps.map((c) => c.body as CallbackBody['data'])];
    expect(messages).toHaveLength(3);
    let text = '';
    for (const [i, message] of messages.entries()) {
      expect(message.allowed_mentions).toEqual(NO_MENTIONS);
      const embeds = message.embeds ?? [];
      expect(embeds.length).toBeGreaterThan(0);
      expect(embeds.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedsPerMessage);
      let chars = 0;
      for (const embed of embeds) {
        expect((embed.title ?? '').length).toBeLessThanOrEqual(DISCORD_LIMITS.title);
        expect((embed.description ?? '').length).toBeLessThanOrEqual(DISCORD_LIMITS.description);
        expect((embed.fields ?? []).length).toBeLessThanOrEqual(DISCORD_LIMITS.fields);
        for (const f of embed.fields ?? [])
          expect(f.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
        chars +=
          (embed.title ?? '').length +
          (embed.description ?? '').length +
          (embed.footer?.text ?? '').length +
          (embed.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
        if (embed.description) text += `${embed.description}\n\n`;
      }
      expect(chars).toBeLessThanOrEqual(DISCORD_LIMITS.charsPerMessage);
      // Buttons ride on the last message only: 7 buttons in rows of 5 and 2.
      const rows = message.components ?? [];
      if (i < messages.length - 1) expect(rows).toEqual([]);
      else expect(rows.map((r) => r.components.length)).toEqual([5, 2]);
    }
    // Every paragraph arrives whole and in order: splits happen between paragraphs.
    const paragraphs = text.trim().split('\n\n');
    expect(paragraphs).toHaveLength(40);
    paragraphs.forEach((p, i) => {
      expect(p).toMatch(
        new RegExp(`^Paragraph ${i + 1}: .*\\[source ${i + 1}\\]\\(https://example.org/p/${i + 1}\\).*\\.$`),
      );
    });
  });
});

describe('timing and failures', () => {
  it('defers a slow public answer and edits it in', async () => {
    gates.current = new Gate();
    const injected = h.fake.chatInput({ guild: h.guild, user: h.users.member, name: 'slow' });
    const deferred = await callbackOf(injected);
    expect(deferred).toEqual({ type: 5, data: { flags: 0 } });
    await gates.current.reached;
    gates.current.open();
    const edit = await h.fake.waitForCall(
      (c) =>
        c.method === 'PATCH' && c.path === `/webhooks/${APPLICATION_ID}/${injected.token}/messages/@original`,
    );
    expect(edit.body).toMatchObject({
      embeds: [{ title: 'Finally', description: 'Done after a while.' }],
      allowed_mentions: NO_MENTIONS,
    });
    expect(edit.headers.authorization).toBeUndefined();
  });

  it('defers a slow private answer and sends it as an ephemeral follow-up', async () => {
    gates.current = new Gate();
    const injected = h.fake.chatInput({
      guild: h.guild,
      user: h.users.member,
      name: 'slow',
      options: { private: true },
    });
    expect((await callbackOf(injected)).type).toBe(5);
    await gates.current.reached;
    gates.current.open();
    const follow = await h.fake.waitForCall(
      (c) => c.method === 'POST' && c.path === `/webhooks/${APPLICATION_ID}/${injected.token}`,
    );
    expect(follow.body).toMatchObject({
      flags: EPHEMERAL,
      embeds: [{ title: 'Finally' }],
      allowed_mentions: NO_MENTIONS,
    });
    expect(h.fake.callsFor(injected).some((c) => c.method === 'DELETE')).toBe(true);
  });

  it('defers a slow button, then edits the message it sits on', async () => {
    gates.current = new Gate();
    const injected = h.fake.button({ guild: h.guild, user: h.users.member, customId: 'slowbutton:replace' });
    expect(await callbackOf(injected)).toEqual({ type: 6 });
    await gates.current.reached;
    gates.current.open();
    const edit = await h.fake.waitForCall(
      (c) =>
        c.method === 'PATCH' && c.path === `/webhooks/${APPLICATION_ID}/${injected.token}/messages/@original`,
    );
    expect(edit.body).toMatchObject({
      embeds: [{ title: 'Updated late' }],
      components: [{ type: 1, components: [{ custom_id: 'count:join' }] }],
      allowed_mentions: NO_MENTIONS,
    });
  });

  it('defers a slow button whose answer is new, and sends it as a private follow-up', async () => {
    gates.current = new Gate();
    const injected = h.fake.button({ guild: h.guild, user: h.users.member, customId: 'slowbutton:new' });
    expect(await callbackOf(injected)).toEqual({ type: 6 });
    await gates.current.reached;
    gates.current.open();
    const follow = await h.fake.waitForCall(
      (c) => c.method === 'POST' && c.path === `/webhooks/${APPLICATION_ID}/${injected.token}`,
    );
    expect(follow.body).toMatchObject({ flags: EPHEMERAL, embeds: [{ description: 'Your late answer.' }] });
    expect(h.fake.callsFor(injected).some((c) => c.method === 'PATCH')).toBe(false);
  });

  it('logs an expired interaction instead of crashing, and keeps answering', async () => {
    const injected = h.fake.chatInput({
      guild: h.guild,
      user: h.users.member,
      name: 'echo',
      options: { text: 'late' },
    });
    h.fake.expire(injected);
    const refused = await h.fake.waitForCall(
      (c) => c.path === `/interactions/${injected.id}/${injected.token}/callback`,
    );
    expect(refused.status).toBe(404);
    await expect
      .poll(() =>
        h.logs.some((l) => l.msg === 'interaction expired or already answered' && l.obj?.id === injected.id),
      )
      .toBe(true);
    const next = await callbackOf(
      h.fake.chatInput({
        guild: h.guild,
        user: h.users.member,
        name: 'echo',
        options: { text: 'still here' },
      }),
    );
    expect(descriptionOf(next)).toBe('still here');
  });

  it('honours a 429 with retry-after before retrying the callback', async () => {
    h.fake.rateLimitOnce('POST', /^\/interactions\/.*\/callback$/, 0.4);
    const injected = h.fake.chatInput({
      guild: h.guild,
      user: h.users.member,
      name: 'echo',
      options: { text: 'patience' },
    });
    const ok = await h.fake.callback(injected);
    const calls = h.fake.callsFor(injected);
    expect(calls.map((c) => c.status)).toEqual([429, 204]);
    expect(ok.at - (calls[0] as RestCall).at).toBeGreaterThanOrEqual(400);
    expect(descriptionOf(ok.body as CallbackBody)).toBe('patience');
  });

  it('resumes after a dropped gateway connection and after op 7, without a new IDENTIFY', async () => {
    const identifies = h.fake.identifies;
    const resumed = h.fake.nextGateway('resume');
    h.fake.dropConnections();
    await resumed;
    const after = await callbackOf(
      h.fake.chatInput({ guild: h.guild, user: h.users.member, name: 'echo', options: { text: 'back' } }),
    );
    expect(descriptionOf(after)).toBe('back');
    const again = h.fake.nextGateway('resume');
    h.fake.requestReconnect();
    await again;
    const later = await callbackOf(
      h.fake.chatInput({ guild: h.guild, user: h.users.member, name: 'echo', options: { text: 'again' } }),
    );
    expect(descriptionOf(later)).toBe('again');
    expect(h.fake.identifies).toBe(identifies);
    expect(h.fake.resumes).toBeGreaterThanOrEqual(2);
    await expect
      .poll(() => h.logs.filter((l) => l.level === 'info' && l.msg === 'gateway resumed').length)
      .toBeGreaterThanOrEqual(2);
  });

  it('logs each interaction at debug with its latency', () => {
    const handled = h.logs.filter((l) => l.level === 'debug' && l.msg === 'interaction handled');
    expect(handled.length).toBeGreaterThan(10);
    for (const entry of handled) expect(typeof entry.obj?.ms).toBe('number');
  });
});

describe('poster', () => {
  it('posts into a channel and edits the same message, mentions disabled', async () => {
    const channelId = h.guild.channels[1]?.id ?? '';
    const to = { platform: 'discord' as const, workspaceId: h.guild.id, channelId };
    const ref = await h.adapter.poster.post(
      to,
      reply({ title: 'On this day', text: '25 February 1956 @everyone', ephemeral: true }),
    );
    expect(ref.channel).toEqual(to);
    const posted = await h.fake.waitForCall(
      (c) => c.method === 'POST' && c.path === `/channels/${channelId}/messages`,
    );
    expect(posted.body).toEqual({
      embeds: [{ color: 0x8e2c2c, title: 'On this day', description: '25 February 1956 @everyone' }],
      components: [],
      allowed_mentions: NO_MENTIONS,
    });
    expect(posted.headers.authorization).toBe('Bot test-token');
    await h.adapter.poster.edit(
      ref,
      reply({ title: 'On this day', text: 'Edited', actions: [{ id: 'count:x', label: 'Go' }] }),
    );
    const edited = await h.fake.waitForCall(
      (c) => c.method === 'PATCH' && c.path === `/channels/${channelId}/messages/${ref.messageId}`,
    );
    expect(edited.body).toMatchObject({
      embeds: [{ description: 'Edited' }],
      components: [{ type: 1, components: [{ custom_id: 'count:x', label: 'Go' }] }],
      allowed_mentions: NO_MENTIONS,
    });
  });

  it('cuts a long post to one message so it can be edited later', async () => {
    const channelId = h.guild.channels[2]?.id ?? '';
    const to = { platform: 'discord' as const, workspaceId: h.guild.id, channelId };
    const before = h.fake.calls.length;
    await h.adapter.poster.post(to, reply({ text: 'word '.repeat(5000) }));
    const posts = h.fake.calls.slice(before).filter((c) => c.path === `/channels/${channelId}/messages`);
    expect(posts).toHaveLength(1);
    const embeds = (posts[0]?.body as { embeds: APIEmbed[] } | undefined)?.embeds ?? [];
    const chars = embeds.reduce(
      (n, e) => n + (e.description ?? '').length + (e.footer?.text ?? '').length,
      0,
    );
    expect(chars).toBeLessThanOrEqual(6000);
    expect(embeds.at(-1)?.footer?.text).toBe('Shortened to fit Discord.');
  });

  it('rejects a post to an unknown channel without crashing', async () => {
    const to = { platform: 'discord' as const, workspaceId: h.guild.id, channelId: '1' };
    await expect(h.adapter.poster.post(to, reply({ text: 'x' }))).rejects.toThrow(/Unknown Channel/);
  });
});

describe('login', () => {
  it('rejects a bad token with a clear error', async () => {
    const fake = await FakeDiscord.start({ applicationId: APPLICATION_ID, token: 'right' });
    try {
      const deps = { ...h.deps, log: silentLogger };
      await expect(
        startDiscord(
          { router: new Router(deps), deps, log: silentLogger },
          { token: 'wrong', applicationId: APPLICATION_ID, apiUrl: fake.apiUrl },
        ),
      ).rejects.toThrow(/token/i);
    } finally {
      await fake.close();
    }
  });
});
