import { DiscordAPIError, HTTPError } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postError } from '../../src/adapters/discord/poster.ts';
import { type ChannelRef, PostError } from '../../src/core/platform.ts';
import { reply } from '../../src/core/reply.ts';
import { memoryStorage } from '../../src/store/doc/index.ts';
import { type FakeDiscord, type FakeGuild, makeGuild, PERMISSIONS } from '../fakes/discord/index.ts';
import { type Running, startFake, startServices, studyGuild } from './services.ts';

let fake: FakeDiscord;
let app: Running;
let guild: FakeGuild;

beforeAll(async () => {
  guild = studyGuild().guild;
  fake = await startFake([guild]);
  app = await startServices(fake, { storage: memoryStorage(), guild });
});
afterAll(async () => {
  await app?.stop();
  await fake?.close();
});

function channel(index: number): ChannelRef {
  return { platform: 'discord', workspaceId: guild.id, channelId: guild.channels[index]?.id as string };
}

const card = reply({ title: 'On this day', text: 'Something happened.' });

describe('Discord poster', () => {
  it('sends the marker as nonce with enforce_nonce; a repeat returns the first message', async () => {
    const to = channel(0);
    const before = fake.messagesCreated;
    const first = await app.adapter.poster.post(to, card, { marker: 'd-marker-0001' });
    const again = await app.adapter.poster.post(to, card, { marker: 'd-marker-0001' });
    expect(again.messageId).toBe(first.messageId);
    expect(fake.messagesCreated - before).toBe(1);
    const posts = fake.calls.filter(
      (c) => c.method === 'POST' && c.path === `/channels/${to.channelId}/messages`,
    );
    expect(posts.at(-1)?.body).toMatchObject({
      nonce: 'd-marker-0001',
      enforce_nonce: true,
      allowed_mentions: { parse: [] },
    });
  });

  it('posts without a nonce when no marker is given, and refuses a marker Discord would reject', async () => {
    const to = channel(0);
    await app.adapter.poster.post(to, card);
    const last = fake.calls.filter((c) => c.method === 'POST' && c.path.startsWith('/channels/')).at(-1);
    expect(last?.body).not.toHaveProperty('nonce');
    await expect(app.adapter.poster.post(to, card, { marker: 'x'.repeat(26) })).rejects.toThrow(/25/);
  });

  it('finds a marked post in the recent history (limit 50), and nothing for another marker', async () => {
    const to = channel(1);
    const posted = await app.adapter.poster.post(to, card, { marker: 'd-find-me' });
    await app.adapter.poster.post(to, card, { marker: 'd-other' });
    const found = await app.adapter.poster.findPost?.(to, 'd-find-me');
    expect(found).toEqual({ channel: to, messageId: posted.messageId });
    expect(await app.adapter.poster.findPost?.(to, 'd-missing')).toBeUndefined();
    const get = fake.calls.filter(
      (c) => c.method === 'GET' && c.path === `/channels/${to.channelId}/messages`,
    );
    expect(get.at(-1)?.query.limit).toBe('50');
  });

  it('maps Unknown Channel to gone, Missing Access / Permissions to forbidden', async () => {
    const to = channel(2);
    const kinds: string[] = [];
    for (const failure of ['gone', 'no-access', 'forbidden'] as const) {
      fake.failChannel(to.channelId, failure);
      const error = await app.adapter.poster.post(to, card, { marker: 'd-fail' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PostError);
      kinds.push((error as PostError).kind);
      const editError = await app.adapter.poster
        .edit({ channel: to, messageId: '1' }, card)
        .catch((e: unknown) => e);
      expect((editError as PostError).kind).toBe((error as PostError).kind);
    }
    fake.clearChannelFailure(to.channelId);
    expect(kinds).toEqual(['gone', 'forbidden', 'forbidden']);
  });

  it('maps status codes: 401 auth, 5xx and network errors transient', () => {
    const api = (status: number, code: number) =>
      new DiscordAPIError({ message: 'x', code }, code, status, 'POST', '/x', {
        body: undefined,
        files: undefined,
      });
    expect(postError(api(401, 0)).kind).toBe('auth');
    expect(postError(api(404, 10003)).kind).toBe('gone');
    expect(postError(api(403, 50001)).kind).toBe('forbidden');
    expect(postError(api(403, 50013)).kind).toBe('forbidden');
    expect(
      postError(new HTTPError(502, 'Bad Gateway', 'POST', '/x', { body: undefined, files: undefined })).kind,
    ).toBe('transient');
    expect(postError(new TypeError('fetch failed')).kind).toBe('transient');
    expect(postError(new Error('Expected token to be set for this request, but none was present')).kind).toBe(
      'auth',
    );
  });
});

describe('mentions in posts', () => {
  it('pings only the configured role of a reminder; text mentions stay silent', async () => {
    const to = channel(1);
    const roleId = '720000000000000099';
    const text = '@everyone <@&720000000000000001> <@710000000000000001> quiz tonight';
    await app.adapter.poster.post(to, {
      ...reply({ title: 'Quiz night', text }),
      mention: { id: roleId, label: 'Quizzers' },
    });
    const withRole = fake.calls
      .filter((c) => c.method === 'POST' && c.path === `/channels/${to.channelId}/messages`)
      .at(-1);
    expect(withRole?.body).toMatchObject({
      content: `<@&${roleId}>`,
      allowed_mentions: { parse: [], roles: [roleId] },
    });

    // Anything but a role id is ignored rather than sent.
    await app.adapter.poster.post(to, { ...reply({ text }), mention: { id: '@everyone', label: 'x' } });
    const without = fake.calls
      .filter((c) => c.method === 'POST' && c.path === `/channels/${to.channelId}/messages`)
      .at(-1);
    expect(without?.body).not.toHaveProperty('content');
    expect(without?.body).toMatchObject({ allowed_mentions: { parse: [] } });
    expect(
      (without?.body as { allowed_mentions?: { roles?: unknown } } | undefined)?.allowed_mentions?.roles,
    ).toBeUndefined();
  });
});

describe('readiness and servers', () => {
  it('is ready while connected and lists every server it is in', () => {
    expect(app.adapter.ready?.()).toBe(true);
    expect(app.adapter.workspaces?.()).toContain(guild.id);
  });
});

describe('checkChannel', () => {
  it('says nothing when the bot has every permission it needs', async () => {
    expect(await app.adapter.poster.checkChannel?.(channel(0))).toBeUndefined();
  });

  it('names each missing permission and how to fix it, from the channel overwrites', async () => {
    const to = channel(2);
    fake.setOverwrites(guild, to.channelId, [
      {
        id: guild.botRoles?.[0] as string,
        type: 0,
        deny: PERMISSIONS.EmbedLinks | PERMISSIONS.ReadMessageHistory,
      },
    ]);
    await expect
      .poll(() => app.adapter.poster.checkChannel?.(to), { timeout: 5000 })
      .toMatch(/missing \*\*Embed Links\*\* and \*\*Read Message History\*\*/);
    const message = (await app.adapter.poster.checkChannel?.(to)) as string;
    expect(message).toMatch(/Permissions/);
    expect(message).not.toMatch(/Send Messages/);

    fake.setOverwrites(guild, to.channelId, [{ id: guild.id, type: 0, deny: PERMISSIONS.ViewChannel }]);
    await expect
      .poll(() => app.adapter.poster.checkChannel?.(to), { timeout: 5000 })
      .toMatch(/\*\*View Channel\*\*/);
    // A member overwrite for the bot wins over the @everyone deny.
    fake.setOverwrites(guild, to.channelId, [
      { id: guild.id, type: 0, deny: PERMISSIONS.ViewChannel },
      { id: fake.bot.id, type: 1, allow: PERMISSIONS.ViewChannel },
    ]);
    await expect.poll(() => app.adapter.poster.checkChannel?.(to), { timeout: 5000 }).toBeUndefined();
    fake.setOverwrites(guild, to.channelId, []);
  });

  it('cannot tell for an unknown server or channel, and says nothing', async () => {
    expect(
      await app.adapter.poster.checkChannel?.({ platform: 'discord', workspaceId: '1', channelId: '2' }),
    ).toBeUndefined();
    expect(await app.adapter.poster.checkChannel?.({ ...channel(0), channelId: '999' })).toBeUndefined();
  });
});

describe('server lifecycle', () => {
  it('reports a removal, not an outage, and a server joined after READY', async () => {
    const other = makeGuild({ name: 'Second Server' });
    fake.addGuild(other);
    await expect.poll(() => app.added, { timeout: 5000 }).toEqual([`discord:${other.id}`]);

    // An outage of one server reports nothing; the removal of another reports it alone.
    const third = makeGuild({ name: 'Third Server' });
    fake.addGuild(third);
    await expect.poll(() => app.added.length, { timeout: 5000 }).toBe(2);
    fake.removeGuild(other.id, { unavailable: true });
    fake.removeGuild(third.id);
    await expect.poll(() => app.removed, { timeout: 5000 }).toEqual([`discord:${third.id}`]);
    fake.addGuild(other);
    // Coming back from an outage is not a new server; events arrive in order, so a sentinel will do.
    const fourth = makeGuild({ name: 'Fourth Server' });
    fake.addGuild(fourth);
    await expect.poll(() => app.added.length, { timeout: 5000 }).toBe(3);
    expect(app.added).toEqual([`discord:${other.id}`, `discord:${third.id}`, `discord:${fourth.id}`]);
  });
});
