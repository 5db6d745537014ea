import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { APIEmbed } from 'discord.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/log.ts';
import { type ChannelRef, channelKey } from '../../src/core/platform.ts';
import { reply } from '../../src/core/reply.ts';
import { postMarker } from '../../src/schedule/scheduler.ts';
import { openFileStorage } from '../../src/store/open.ts';
import { type FakeDiscord, type FakeGuild, type FakeUser, PERMISSIONS } from '../fakes/discord/index.ts';
import { type Running, startFake, startServices, studyGuild } from './services.ts';

/**
 * Daily posts end to end: subscribed through /daily on the fake Discord, ticked with an injected
 * clock, posted by the real adapter with a nonce, and recovered after a restart on the same file.
 */

const EPHEMERAL = 64;
const DATE = '2026-03-10';
let clock = Date.parse('2026-03-10T06:00:00Z');
const now = () => new Date(clock);

let dir: string;
const running: Running[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'thawbot-daily-'));
});
afterEach(async () => {
  for (const app of running.splice(0)) await app.stop().catch(() => {});
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function start(fake: FakeDiscord, guild: FakeGuild, host: FakeUser, file: string): Promise<Running> {
  const storage = await openFileStorage({ file, log: silentLogger, now });
  const app = await startServices(fake, { storage, guild, host, now });
  running.push(app);
  return app;
}

async function stop(app: Running): Promise<void> {
  running.splice(running.indexOf(app), 1);
  await app.stop();
}

function ref(guild: FakeGuild, index: number): ChannelRef {
  return { platform: 'discord', workspaceId: guild.id, channelId: guild.channels[index]?.id as string };
}

async function daily(
  fake: FakeDiscord,
  guild: FakeGuild,
  user: FakeUser,
  channelId: string,
  subcommand: string,
  options: Record<string, string> = {},
) {
  const injected = fake.chatInput({ guild, channelId, user, name: 'daily', subcommand, options });
  const body = (await fake.callback(injected)).body as { data: { embeds?: APIEmbed[]; flags?: number } };
  return {
    text: (body.data.embeds ?? []).map((e) => e.description ?? '').join('\n'),
    flags: body.data.flags,
  };
}

const postsTo = (fake: FakeDiscord, channelId: string) =>
  fake.calls.filter((c) => c.method === 'POST' && c.path === `/channels/${channelId}/messages`);

describe('daily posts on Discord', () => {
  it('posts once with its nonce, pauses on a 403 with the reason, refuses a channel it cannot use', async () => {
    clock = Date.parse('2026-03-10T06:00:00Z');
    const { guild, host, players } = studyGuild();
    const fake = await startFake([guild]);
    try {
      const app = await start(fake, guild, host, path.join(dir, 'a.json'));
      const [ok, lost, closed] = [ref(guild, 0), ref(guild, 1), ref(guild, 2)];
      for (const channel of [ok, lost]) {
        const answer = await daily(fake, guild, host, channel.channelId, 'subscribe', {
          time: '08:00',
          timezone: 'Europe/Berlin',
        });
        expect(answer.text).toMatch(/every day at 08:00 Europe\/Berlin/);
      }

      // A channel the bot cannot embed or read history in: subscribing says what to allow.
      fake.setOverwrites(guild, closed.channelId, [
        {
          id: guild.botRoles?.[0] as string,
          type: 0,
          deny: PERMISSIONS.EmbedLinks | PERMISSIONS.ReadMessageHistory,
        },
      ]);
      await expect
        .poll(() => app.adapter.poster.checkChannel?.(closed), { timeout: 5000 })
        .toBeTypeOf('string');
      const refused = await daily(fake, guild, host, closed.channelId, 'subscribe', {
        time: '08:00',
        timezone: 'Europe/Berlin',
      });
      expect(refused.flags).toBe(EPHEMERAL);
      expect(refused.text).toMatch(/Embed Links\*\* and \*\*Read Message History/);
      expect(await app.deps.storage.daily.subscription(closed)).toBeUndefined();

      // 08:00 in Berlin is 07:00 UTC in March. The bot lost the second channel meanwhile.
      fake.failChannel(lost.channelId, 'forbidden');
      clock = Date.parse('2026-03-10T07:00:20Z');
      const report = await app.deps.daily.tick();
      expect(report).toMatchObject({ sent: 1, paused: 1, failed: 0 });

      const [post] = postsTo(fake, ok.channelId);
      expect(post?.body).toMatchObject({
        nonce: postMarker(channelKey(ok), DATE),
        enforce_nonce: true,
        allowed_mentions: { parse: [] },
      });
      expect(String((post?.body as { nonce?: string } | undefined)?.nonce).length).toBeLessThanOrEqual(25);
      const delivery = await app.deps.storage.daily.delivery(ok, DATE);
      expect(delivery?.status).toBe('sent');
      expect(fake.channelMessages(ok.channelId).map((m) => m.id)).toEqual([delivery?.messageId]);

      const paused = (await app.deps.storage.daily.subscription(lost))?.paused;
      expect(paused?.reason).toMatch(/lost permission to post/);
      expect(paused?.byUser).toBe(false);
      const status = await daily(fake, guild, players[2] as FakeUser, lost.channelId, 'status');
      expect(status.text).toMatch(/\*\*Paused:\*\* the bot lost permission to post in this channel/);

      // The next minute sends nothing more.
      clock += 60_000;
      expect(await app.deps.daily.tick()).toMatchObject({ sent: 0, paused: 0 });
      expect(postsTo(fake, ok.channelId)).toHaveLength(1);
    } finally {
      for (const app of running.splice(0)) await app.stop().catch(() => {});
      await fake.close();
    }
  });

  for (const historyNonces of [true, false]) {
    it(`resolves a pending delivery whose message exists without a second post (history ${historyNonces ? 'with' : 'without'} nonces)`, async () => {
      clock = Date.parse('2026-03-10T06:00:00Z');
      const { guild, host } = studyGuild();
      const fake = await startFake([guild], { historyNonces });
      try {
        const file = path.join(dir, `pending-${historyNonces}.json`);
        const first = await start(fake, guild, host, file);
        const channel = ref(guild, 0);
        await daily(fake, guild, host, channel.channelId, 'subscribe', {
          time: '08:00',
          timezone: 'Europe/Berlin',
        });

        // The previous run claimed the post and sent it, then stopped before recording "sent".
        clock = Date.parse('2026-03-10T07:00:10Z');
        expect(await first.deps.storage.daily.claimDelivery(channel, DATE, now())).toBe(true);
        const marker = postMarker(channelKey(channel), DATE);
        const sent = await first.adapter.poster.post(channel, reply({ title: 'On this day', text: 'x' }), {
          marker,
        });
        await stop(first);

        clock = Date.parse('2026-03-10T07:03:00Z');
        const before = postsTo(fake, channel.channelId).length;
        const second = await start(fake, guild, host, file);
        expect(await second.deps.daily.recover()).toBe(1);
        const delivery = await second.deps.storage.daily.delivery(channel, DATE);
        expect(delivery).toMatchObject({ status: 'sent', messageId: sent.messageId });
        expect(fake.channelMessages(channel.channelId)).toHaveLength(1);
        // With nonces in history the message is found and nothing is sent; without, the resend
        // carries the same nonce and Discord answers it with the message already there.
        expect(postsTo(fake, channel.channelId).length - before).toBe(historyNonces ? 0 : 1);
        expect(postsTo(fake, channel.channelId).at(-1)?.body).toMatchObject({
          nonce: marker,
          enforce_nonce: true,
        });

        clock += 60_000;
        expect(await second.deps.daily.tick()).toMatchObject({ sent: 0 });
        expect(fake.channelMessages(channel.channelId)).toHaveLength(1);
      } finally {
        for (const app of running.splice(0)) await app.stop().catch(() => {});
        await fake.close();
      }
    });
  }
});
