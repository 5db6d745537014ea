/**
 * Events discord.js cannot build, and kinds thawbot never registered, through the fake gateway:
 * each is answered politely when it can be and dropped alone; the bot goes on serving.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNREADABLE } from '../../src/adapters/discord/guard.ts';
import { HealthMonitor } from '../../src/health/monitor.ts';
import { APPLICATION_ID, type Harness, startHarness } from './harness.ts';

let h: Harness;
const EPHEMERAL = 64;
const rejections: unknown[] = [];
const onRejection = (reason: unknown) => rejections.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onRejection);
  h = await startHarness();
});
afterAll(async () => {
  process.off('unhandledRejection', onRejection);
  await h?.stop();
});

let next = 0n;
function interaction(type: number, extra: Record<string, unknown>) {
  next++;
  return {
    id: String(990000000000000000n + next),
    application_id: APPLICATION_ID,
    token: `malformed-${next}`,
    version: 1,
    type,
    channel_id: h.guild.channels[0]?.id,
    guild_id: h.guild.id,
    locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: {},
    context: 0,
    member: {
      user: { id: h.users.member.id, username: 'mia', discriminator: '0', global_name: 'Mia', avatar: null },
      roles: [],
      joined_at: '2026-01-01T00:00:00.000Z',
      deaf: false,
      mute: false,
      flags: 0,
      permissions: '0',
    },
    ...extra,
  };
}

async function callbackTo(payload: { id: string; token: string }) {
  const call = await h.fake.waitForCall(
    (c) => c.path === `/interactions/${payload.id}/${payload.token}/callback`,
  );
  return call.body as { type: number; data: { content?: string; flags?: number } };
}

describe('malformed gateway interactions', () => {
  it.each([
    ['a command with no data', () => interaction(2, {})],
    ['a button with no message', () => interaction(3, { data: { custom_id: 'quiz:a', component_type: 2 } })],
    ['an autocomplete with no data', () => interaction(4, {})],
    ['a modal submit with no data', () => interaction(5, {})],
    [
      'a context menu with no resolved target',
      () => interaction(2, { data: { id: '1', name: 'Quote', type: 3 } }),
    ],
    [
      'a command with no user or member',
      () => ({ ...interaction(2, { data: { id: '1', name: 'thaw', type: 1 } }), member: undefined }),
    ],
  ])('%s is answered politely and dropped alone', async (_, make) => {
    const payload = make();
    h.fake.dispatchRaw('INTERACTION_CREATE', payload);
    const body = await callbackTo(payload);
    expect(body).toMatchObject({ type: 4, data: { content: UNREADABLE, flags: EPHEMERAL } });
    expect(h.logs.some((l) => l.msg === 'malformed interaction dropped' && l.obj?.id === payload.id)).toBe(
      true,
    );
  });

  it('one without a token is only dropped, and the bot keeps answering', async () => {
    const payload = { ...interaction(2, {}), token: undefined };
    h.fake.dispatchRaw('INTERACTION_CREATE', payload);
    await expect
      .poll(() => h.logs.some((l) => l.msg === 'malformed interaction dropped' && l.obj?.id === payload.id))
      .toBe(true);
    const thaw = h.fake.chatInput({ guild: h.guild, user: h.users.member, name: 'thaw' });
    expect((await h.fake.callback(thaw)).status).toBe(204);
    expect(rejections).toEqual([]);
  });
});

describe('interaction kinds thawbot does not register', () => {
  it.each([
    [
      'a user context menu',
      () =>
        interaction(2, {
          data: {
            id: '1',
            name: 'Profile',
            type: 2,
            target_id: h.users.member.id,
            resolved: {
              users: {
                [h.users.member.id]: {
                  id: h.users.member.id,
                  username: 'mia',
                  discriminator: '0',
                  avatar: null,
                },
              },
            },
          },
        }),
    ],
    [
      'a message context menu',
      () =>
        interaction(2, {
          data: {
            id: '1',
            name: 'Quote',
            type: 3,
            target_id: '991',
            resolved: {
              messages: {
                '991': {
                  id: '991',
                  channel_id: h.guild.channels[0]?.id,
                  content: 'hi',
                  author: { id: h.users.member.id, username: 'mia', discriminator: '0', avatar: null },
                  timestamp: '2026-01-01T00:00:00.000Z',
                  edited_timestamp: null,
                  tts: false,
                  mention_everyone: false,
                  mentions: [],
                  mention_roles: [],
                  attachments: [],
                  embeds: [],
                  pinned: false,
                  type: 0,
                },
              },
            },
          },
        }),
    ],
    ['a modal it never opened', () => interaction(5, { data: { custom_id: 'nobody:1', components: [] } })],
  ])('%s gets a polite ephemeral answer', async (_, make) => {
    const payload = make();
    h.fake.dispatchRaw('INTERACTION_CREATE', payload);
    const body = await callbackTo(payload);
    expect(body.type).toBe(4);
    expect(body.data.flags).toBe(EPHEMERAL);
    expect(body.data.content).toMatch(/does not handle this kind of request/);
    expect(rejections).toEqual([]);
  });
});

describe('a REST outage', () => {
  it('shows in readiness by name while calls fail, and clears at the first success', async () => {
    const health = new HealthMonitor({
      storage: { probe: async () => {}, health: () => ({ ok: true, detail: 'writable' }) },
      clock: { lastTick: new Date() },
    });
    health.phase = 'running';
    health.addAdapter(h.adapter);
    expect((await health.readiness()).status).toBe('ready');

    const channel = {
      platform: 'discord' as const,
      workspaceId: h.guild.id,
      channelId: h.guild.channels[1]?.id ?? '',
    };
    h.fake.failRest(500);
    for (let i = 0; i < 2; i++)
      await expect(h.adapter.poster.post(channel, { text: 'x', fallbackText: 'x' })).rejects.toThrow();
    const report = await health.readiness();
    expect(report.status).toBe('down');
    expect(report.checks.discord).toMatchObject({ ok: false });
    expect(report.checks.discord?.detail).toMatch(
      /^Discord REST API failing for \d+ s: \d+ calls in a row, last 500 on POST /,
    );

    h.fake.restoreRest();
    await h.adapter.poster.post(channel, { text: 'back', fallbackText: 'back' });
    expect((await health.readiness()).status).toBe('ready');
  });
});
