import { randomUUID } from 'node:crypto';
import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boltLogger } from '../../src/adapters/slack/logger.ts';
import { SlackPoster } from '../../src/adapters/slack/poster.ts';
import { silentLogger } from '../../src/core/log.ts';
import type { RecordedResponse } from '../fakes/slack/server.ts';
import {
  type BlockActionFields,
  blockActionBody,
  type SlashCommandFields,
  send,
  signedRequest,
  slashCommandBody,
} from '../fakes/slack/signed.ts';
import { type Harness, SECRET, startHarness } from './harness.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness('http');
});

afterAll(async () => {
  await h?.close();
});

/** Sends a signed slash command and waits for what the app posts to its response_url. */
async function command(fields: Omit<SlashCommandFields, 'responseUrl'>) {
  const id = randomUUID();
  const waiting = h.fake.nextResponse(id);
  const ack = await send(
    h.url,
    signedRequest(SECRET, slashCommandBody({ ...fields, responseUrl: h.fake.responseUrl(id) })),
  );
  const response = await waiting;
  return { ack, response, body: response.body as Record<string, unknown> & { blocks?: Block[] } };
}

async function click(fields: Omit<BlockActionFields, 'responseUrl'>) {
  const id = randomUUID();
  const waiting = h.fake.nextResponse(id);
  const ack = await send(
    h.url,
    signedRequest(SECRET, blockActionBody({ ...fields, responseUrl: h.fake.responseUrl(id) })),
  );
  const response = await waiting;
  return { ack, body: response.body as Record<string, unknown> & { blocks?: Block[] } };
}

interface Block {
  type: string;
  text?: { type: string; text: string };
  fields?: { text: string }[];
  elements?: { type: string; text?: unknown; action_id?: string; value?: string }[];
}

/** Sends a valid command after a refused request; once its answer is in, the refused one had its chance. */
async function settle(): Promise<RecordedResponse> {
  return (await command({ command: '/echo', text: 'marker' })).response;
}

describe('slash commands over HTTP', () => {
  it('acks at once and answers publicly with Block Kit and fallback text', async () => {
    const { ack, body } = await command({ command: '/learn', text: 'alpha' });
    expect(ack.status).toBe(200);
    expect(ack.text).toBe('');
    expect(ack.ms).toBeLessThan(3000);
    expect(body.response_type).toBe('in_channel');
    expect(typeof body.text).toBe('string');
    expect((body.text as string).length).toBeGreaterThan(10);
    const types = body.blocks?.map((b) => b.type);
    expect(types?.[0]).toBe('header');
    expect(types).toContain('section');
    expect(types).toContain('context'); // sources
  });

  it('acks before the slow part of the work is done', async () => {
    const release = h.fake.hold('users.info');
    try {
      const id = randomUUID();
      const body = slashCommandBody({
        command: '/echo',
        text: 'slow',
        userId: 'U0SLOW',
        responseUrl: h.fake.responseUrl(id),
      });
      const ack = await send(h.url, signedRequest(SECRET, body));
      expect(ack.status).toBe(200);
      await h.fake.waitFor(() => h.fake.callsTo('users.info').some((c) => c.body.user === 'U0SLOW'));
      expect(h.fake.responsesTo(id)).toHaveLength(0);
      const answered = h.fake.nextResponse(id);
      release();
      expect(JSON.stringify((await answered).body)).toContain('You said: slow');
    } finally {
      release();
    }
  });

  it('answers an ephemeral reply ephemerally', async () => {
    const { body } = await command({ command: '/help' });
    expect(body.response_type).toBe('ephemeral');
    expect(body.blocks?.[0]?.type).toBe('header');
  });

  it('parses options from the text with the shared parser', async () => {
    const { body } = await command({ command: '/echo', text: 'text:"the secret speech"' });
    expect(JSON.stringify(body.blocks)).toContain('You said: the secret speech');
  });

  it('names people in plain text and never pings', async () => {
    const { body } = await command({
      command: '/echo',
      text: 'hi <!channel> <!here> <!everyone> <@U0BOB|bob> <!subteam^S0TEACH|@teachers> @here',
    });
    const all = JSON.stringify(body);
    for (const ping of [
      '<!channel>',
      '<!here>',
      '<!everyone>',
      '<@U0BOB',
      '<!subteam',
      '@here',
      '@channel',
    ]) {
      expect(all).not.toContain(ping);
    }
    expect(all).toContain('Echo for Maria');
    expect(all).toContain('@bob');
    expect(all).toContain('@teachers');
  });

  it('reads user options from escaped mentions', async () => {
    const { body } = await command({ command: '/greet', text: '<@U0BOB|bob>' });
    expect(JSON.stringify(body.blocks)).toContain('Hello, bob!');
    expect(JSON.stringify(body)).not.toContain('<@U0BOB');
  });

  it('answers unreadable options politely and privately', async () => {
    const { body } = await command({ command: '/echo', text: 'text:"never closed' });
    expect(body.response_type).toBe('ephemeral');
    expect(JSON.stringify(body.blocks)).toContain("I couldn't read that");
  });

  it('survives an expired response_url and keeps answering', async () => {
    h.fake.responseStatus = 404;
    try {
      const { ack } = await command({ command: '/echo', text: 'lost' });
      expect(ack.status).toBe(200);
    } finally {
      h.fake.responseStatus = 200;
    }
    const { body } = await command({ command: '/echo', text: 'still here' });
    expect(JSON.stringify(body.blocks)).toContain('still here');
  });

  it('answers an unknown command politely and privately', async () => {
    const { body } = await command({ command: '/thw' });
    expect(body.response_type).toBe('ephemeral');
    expect(JSON.stringify(body.blocks)).toContain("I don't know the command");
  });

  it('refuses a host command to a member, allows admins, owners and listed hosts', async () => {
    const member = await command({ command: '/hostonly', userId: 'U0MARIA' });
    expect(member.body.response_type).toBe('ephemeral');
    expect(JSON.stringify(member.body.blocks)).toContain('Only hosts can do that');

    const admin = await command({ command: '/hostonly', userId: 'U0ADMIN' });
    expect(JSON.stringify(admin.body.blocks)).toContain('Welcome, host Ada.');
    const owner = await command({ command: '/hostonly', userId: 'U0OWNER' });
    expect(JSON.stringify(owner.body.blocks)).toContain('Welcome, host Olga Owner.');

    await h.storage.settings.change({ platform: 'slack', workspaceId: 'T0TEST' }, (settings) => {
      settings.hostUserIds = ['U0HOST'];
    });
    const host = await command({ command: '/hostonly', userId: 'U0HOST' });
    expect(JSON.stringify(host.body.blocks)).toContain('Welcome, host Hal.');
  });

  it('caches users.info per user', async () => {
    const before = h.fake.callsTo('users.info').filter((c) => c.body.user === 'U0ADMIN').length;
    await command({ command: '/echo', text: 'one', userId: 'U0ADMIN' });
    await command({ command: '/echo', text: 'two', userId: 'U0ADMIN' });
    const after = h.fake.callsTo('users.info').filter((c) => c.body.user === 'U0ADMIN').length;
    expect(before).toBe(1);
    expect(after).toBe(1);
  });
});

describe('buttons over HTTP', () => {
  it('renders buttons with action ids', async () => {
    const { body } = await command({ command: '/pager' });
    const actions = body.blocks?.find((b) => b.type === 'actions');
    expect(actions?.elements?.map((e) => e.action_id)).toEqual(['page:2', 'note:private', 'loud:public']);
  });

  it('replaces the original message for a replace result', async () => {
    const { ack, body } = await click({ actionId: 'page:2' });
    expect(ack.status).toBe(200);
    expect(body.replace_original).toBe(true);
    expect(body.blocks?.[0]?.text?.text).toBe('Page 2');
    expect(body.text).toBe('Page 2: Page 2 text');
  });

  it('sends a new ephemeral message for a private answer', async () => {
    const { body } = await click({ actionId: 'note:private' });
    expect(body.replace_original).toBe(false);
    expect(body.response_type).toBe('ephemeral');
    expect(JSON.stringify(body.blocks)).toContain('Only for Maria');
  });

  it('sends a new public message for a public answer', async () => {
    const { body } = await click({ actionId: 'loud:public' });
    expect(body.replace_original).toBe(false);
    expect(body.response_type).toBe('in_channel');
  });

  it('answers a stale button politely', async () => {
    const { body } = await click({ actionId: 'gone:1' });
    expect(body.response_type).toBe('ephemeral');
    expect(JSON.stringify(body.blocks)).toContain('That button no longer works');
  });
});

describe('request verification', () => {
  async function refusedChangesNothing(request: ReturnType<typeof signedRequest>, id: string): Promise<void> {
    const callsBefore = h.fake.calls.length;
    const res = await send(h.url, request);
    expect(res.status).toBe(401);
    await settle();
    expect(h.fake.responsesTo(id)).toHaveLength(0);
    // Each refused request names a user not seen before, so handling it would have called users.info.
    expect(h.fake.calls.length).toBe(callsBefore);
  }

  it('refuses a wrong signature', async () => {
    const id = randomUUID();
    const body = slashCommandBody({
      command: '/echo',
      text: 'forged',
      userId: 'U0FORGE',
      responseUrl: h.fake.responseUrl(id),
    });
    await refusedChangesNothing(signedRequest('not-the-secret', body), id);
  });

  it('refuses a tampered body', async () => {
    const id = randomUUID();
    const body = slashCommandBody({
      command: '/echo',
      text: 'original',
      userId: 'U0TAMPER',
      responseUrl: h.fake.responseUrl(id),
    });
    const signed = signedRequest(SECRET, body);
    await refusedChangesNothing({ ...signed, body: body.replace('original', 'tampered') }, id);
  });

  it('refuses a stale timestamp (over 5 minutes)', async () => {
    const id = randomUUID();
    const body = slashCommandBody({
      command: '/echo',
      text: 'old',
      userId: 'U0STALE',
      responseUrl: h.fake.responseUrl(id),
    });
    await refusedChangesNothing(
      signedRequest(SECRET, body, { timestamp: Math.floor(Date.now() / 1000) - 301 }),
      id,
    );
  });

  it('refuses a replayed request', async () => {
    const id = randomUUID();
    const body = slashCommandBody({ command: '/echo', text: 'once', responseUrl: h.fake.responseUrl(id) });
    const signed = signedRequest(SECRET, body);
    const first = h.fake.nextResponse(id);
    expect((await send(h.url, signed)).status).toBe(200);
    await first;
    await refusedChangesNothing(signed, `${id}-none`);
    expect(h.fake.responsesTo(id)).toHaveLength(1);
  });

  it('acknowledges signed payloads with nothing to do, and serves on', async () => {
    for (const payload of [
      'null',
      '"text"',
      '{"type":"block_actions","actions":[]}',
      '{"type":"block_actions"}',
      '{"type":"view_submission"}',
      '{not json',
    ]) {
      const body = new URLSearchParams({ payload }).toString();
      expect((await send(h.url, signedRequest(SECRET, body))).status, payload).toBe(200);
    }
    const id = randomUUID();
    const first = h.fake.nextResponse(id);
    const body = slashCommandBody({
      command: '/echo',
      text: 'still here',
      responseUrl: h.fake.responseUrl(id),
    });
    expect((await send(h.url, signedRequest(SECRET, body))).status).toBe(200);
    expect(JSON.stringify(await first)).toContain('still here');
  });

  it('refuses a replay whose signature has something appended to the hash', async () => {
    const id = randomUUID();
    const body = slashCommandBody({ command: '/echo', text: 'once', responseUrl: h.fake.responseUrl(id) });
    const signed = signedRequest(SECRET, body);
    const signature = String(signed.headers['x-slack-signature']);
    const first = h.fake.nextResponse(id);
    expect((await send(h.url, signed)).status).toBe(200);
    await first;
    for (const suffix of ['=1', '=2', ' ', 'ab']) {
      const altered = {
        ...signed,
        headers: { ...signed.headers, 'x-slack-signature': `${signature}${suffix}` },
      };
      expect((await send(h.url, altered)).status, suffix).toBe(401);
    }
    const upper = {
      ...signed,
      headers: { ...signed.headers, 'x-slack-signature': `v0=${signature.slice(3).toUpperCase()}` },
    };
    expect((await send(h.url, upper)).status).toBe(401);
    await settle();
    expect(h.fake.responsesTo(id)).toHaveLength(1);
  });

  it('refuses a replayed button click', async () => {
    const id = randomUUID();
    const signed = signedRequest(
      SECRET,
      blockActionBody({ actionId: 'loud:public', responseUrl: h.fake.responseUrl(id) }),
    );
    const first = h.fake.nextResponse(id);
    expect((await send(h.url, signed)).status).toBe(200);
    await first;
    expect((await send(h.url, signed)).status).toBe(401);
    await settle();
    expect(h.fake.responsesTo(id)).toHaveLength(1);
  });

  it('answers 404 elsewhere', async () => {
    const res = await fetch(h.url.replace('/slack/events', '/other'), { method: 'POST', body: 'x' });
    expect(res.status).toBe(404);
  });
});

describe('poster', () => {
  const channel = { platform: 'slack' as const, workspaceId: 'T0TEST', channelId: 'C0QUIZ' };

  it('posts with chat.postMessage and edits with chat.update', async () => {
    const ref = await h.adapter.poster.post(channel, {
      title: 'Round 1',
      text: 'Who *wrote* it?',
      fallbackText: 'Round 1',
    });
    const post = h.fake.callsTo('chat.postMessage').at(-1);
    expect(post?.body.channel).toBe('C0QUIZ');
    expect(post?.body.text).toBe('Round 1');
    expect(post?.authorized).toBe(true);
    expect((post?.blocks?.[0] as Block | undefined)?.type).toBe('header');
    expect(ref.messageId).toMatch(/^\d+\.\d+$/);

    await h.adapter.poster.edit(ref, { title: 'Round 1', text: 'Closed', fallbackText: 'Round 1 closed' });
    const update = h.fake.callsTo('chat.update').at(-1);
    expect(update?.body.ts).toBe(ref.messageId);
    expect(update?.body.text).toBe('Round 1 closed');
  });

  it('checks that it can post and says how to invite the bot', async () => {
    h.fake.addChannel({ id: 'C0IN', name: 'in', isMember: true });
    h.fake.addChannel({ id: 'C0OUT', name: 'history-club', isMember: false, isPrivate: true });
    expect(await h.adapter.poster.canPost({ ...channel, channelId: 'C0IN' })).toEqual({ ok: true });
    const out = await h.adapter.poster.canPost({ ...channel, channelId: 'C0OUT' });
    expect(out.ok).toBe(false);
    expect(!out.ok && out.message).toContain('/invite @thawbot');
    expect(!out.ok && out.message).toContain('#history-club');
    const unknown = await h.adapter.poster.canPost({ ...channel, channelId: 'C0NONE' });
    expect(!unknown.ok && unknown.message).toContain('private');
  });

  it('can post in a public channel it has not joined with chat:write.public', async () => {
    h.fake.addChannel({ id: 'C0PUB', name: 'public', isMember: false });
    h.fake.scopes = ['commands', 'chat:write', 'chat:write.public'];
    try {
      expect(await h.adapter.poster.canPost({ ...channel, channelId: 'C0PUB' })).toEqual({ ok: true });
    } finally {
      h.fake.scopes = ['commands', 'chat:write', 'users:read'];
    }
    expect((await h.adapter.poster.canPost({ ...channel, channelId: 'C0PUB' })).ok).toBe(false);
  });

  it('waits out a rate limit when retries are allowed', async () => {
    const client = new webApi.WebClient('xoxb-test-token', {
      slackApiUrl: h.fake.apiUrl,
      retryConfig: { retries: 1, minTimeout: 0, maxTimeout: 0 },
      logger: boltLogger(silentLogger),
    });
    const poster = new SlackPoster(client);
    const before = h.fake.callsTo('chat.update').length;
    h.fake.rateLimitNext('chat.update', 0);
    await poster.edit({ channel, messageId: '1700000001.000100' }, { fallbackText: 'count: 3' });
    expect(h.fake.callsTo('chat.update').length - before).toBe(2);
  });

  it('surfaces a rate limit to the caller when retries are off', async () => {
    h.fake.rateLimitNext('chat.update', 0);
    await expect(
      h.adapter.poster.edit({ channel, messageId: '1700000001.000100' }, { fallbackText: 'x' }),
    ).rejects.toThrow();
    await h.adapter.poster.edit({ channel, messageId: '1700000001.000100' }, { fallbackText: 'y' });
  });

  it('refuses a channel of another platform', async () => {
    await expect(
      h.adapter.poster.post({ ...channel, platform: 'discord' }, { fallbackText: 'x' }),
    ).rejects.toThrow(/discord/);
  });
});
