import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { type ChannelRef, channelKey } from '../../src/core/platform.ts';
import { dailyPost } from '../../src/schedule/post.ts';
import { postMarker } from '../../src/schedule/scheduler.ts';
import { memoryStorage } from '../../src/store/doc/index.ts';
import type { Subscription } from '../../src/store/schema.ts';
import { FakeSlack, type RecordedCall } from '../fakes/slack/server.ts';
import { send, signedRequest, slashCommandBody } from '../fakes/slack/signed.ts';
import { fixtureContent } from '../helpers/deps.ts';
import { type Harness, SECRET, startHarness } from './harness.ts';

/** 25 February 2026: the fixture library has events that day. 08:00 in Berlin is 07:00 UTC. */
const DATE = '2026-02-25';
const BEFORE = Date.parse('2026-02-25T06:59:00Z');
const DUE = Date.parse('2026-02-25T07:00:30Z');

const channel = (id: string): ChannelRef => ({ platform: 'slack', workspaceId: 'T0TEST', channelId: id });

class Clock {
  constructor(public t: number) {}
  now = () => new Date(this.t);
}

let running: Harness[] = [];
let fakes: FakeSlack[] = [];

afterEach(async () => {
  for (const h of running) await h.close();
  for (const f of fakes) await f.close();
  running = [];
  fakes = [];
});

async function start(clock: Clock, fake: FakeSlack, storage = memoryStorage()): Promise<Harness> {
  const h = await startHarness('http', {
    fakeSlack: fake,
    storage,
    content: fixtureContent(),
    services: { now: clock.now },
  });
  running.push(h);
  return h;
}

async function newFake(): Promise<FakeSlack> {
  const fake = await new FakeSlack().start();
  fakes.push(fake);
  return fake;
}

async function slash(h: Harness, text: string, channelId: string, userId = 'U0ADMIN') {
  const id = randomUUID();
  const answered = h.fake.nextResponse(id);
  const ack = await send(
    h.url,
    signedRequest(
      SECRET,
      slashCommandBody({ command: '/daily', text, userId, channelId, responseUrl: h.fake.responseUrl(id) }),
    ),
  );
  expect(ack.status).toBe(200);
  const { body } = await answered;
  return { body, text: JSON.stringify(body.blocks).replaceAll('\u200b', '') };
}

function subscription(id: string, createdAt = '2026-02-01T00:00:00Z'): [string, Subscription] {
  const ch = channel(id);
  return [
    channelKey(ch),
    {
      channel: ch,
      time: '08:00',
      timezone: 'Europe/Berlin',
      days: 'every',
      createdAt,
      createdBy: { id: 'U0ADMIN', displayName: 'Ada' },
    },
  ];
}

function postsIn(fake: FakeSlack, id: string): RecordedCall[] {
  return fake.callsTo('chat.postMessage').filter((c) => c.body.channel === id);
}

describe('daily posts on Slack', () => {
  it('subscribes with a signed command and posts once when due, marked with metadata', async () => {
    const clock = new Clock(BEFORE);
    const fake = await newFake();
    fake.addChannel({ id: 'C0DAILY', name: 'history', isMember: true });
    const h = await start(clock, fake);

    const { body, text } = await slash(h, 'subscribe time:08:00 timezone:Europe/Berlin', 'C0DAILY');
    expect(body.response_type).toBe('in_channel');
    expect(text).toContain('08:00 Europe/Berlin');
    expect(await h.deps.daily.tick()).toMatchObject({ sent: 0 });

    clock.t = DUE;
    expect(await h.deps.daily.tick()).toMatchObject({ sent: 1, paused: 0, failed: 0 });
    const [post] = postsIn(fake, 'C0DAILY');
    const key = channelKey(channel('C0DAILY'));
    expect(post?.body.metadata).toEqual({
      event_type: 'thawbot_post',
      event_payload: { marker: postMarker(key, DATE) },
    });
    expect(JSON.stringify(post?.blocks)).toContain('On this day: 25 February');
    expect(String(post?.body.text)).toContain('25 February');
    expect(post?.body.unfurl_links).toBe('false');
    const delivery = await h.storage.daily.delivery(channel('C0DAILY'), DATE);
    expect(delivery).toMatchObject({ status: 'sent', messageId: fake.messagesIn('C0DAILY')[0]?.ts });

    // Later ticks the same day post nothing more.
    clock.t += 60_000;
    expect(await h.deps.daily.tick()).toMatchObject({ sent: 0 });
    expect(postsIn(fake, 'C0DAILY')).toHaveLength(1);
  });

  it('after a restart, resolves a pending delivery whose marked message exists without posting again', async () => {
    const clock = new Clock(DUE);
    const fake = await newFake();
    fake.addChannel({ id: 'C0DAILY', name: 'history', isMember: true });
    const storage = memoryStorage();
    const [key, sub] = subscription('C0DAILY');
    await storage.daily.subscribe(sub);

    // The first run claims the day and posts, then dies before recording "sent".
    const first = await start(clock, fake, storage);
    expect(await storage.daily.claimDelivery(sub.channel, DATE, clock.now())).toBe(true);
    const ref = await first.adapter.poster.post(sub.channel, dailyPost(fixtureContent(), DATE), {
      marker: postMarker(key, DATE),
    });
    await first.close();
    running = [];
    // Other messages arrive in the channel after it.
    for (let i = 0; i < 10; i++) fake.addMessage('C0DAILY', { text: `chat ${i}` });
    expect((await storage.daily.delivery(sub.channel, DATE))?.status).toBe('pending');

    const second = await start(clock, fake, storage);
    const before = postsIn(fake, 'C0DAILY').length;
    expect(await second.deps.daily.recover()).toBe(1);
    const history = fake.callsTo('conversations.history').at(-1);
    expect(history?.body).toMatchObject({ channel: 'C0DAILY', include_all_metadata: 'true', limit: '50' });
    expect(await storage.daily.delivery(sub.channel, DATE)).toMatchObject({
      status: 'sent',
      messageId: ref.messageId,
    });
    expect(await second.deps.daily.tick()).toMatchObject({ sent: 0 });
    expect(postsIn(fake, 'C0DAILY')).toHaveLength(before);
  });

  it('after a restart, sends a pending delivery whose message never went out, once', async () => {
    const clock = new Clock(DUE);
    const fake = await newFake();
    fake.addChannel({ id: 'C0DAILY', name: 'history', isMember: true });
    const storage = memoryStorage();
    const [key, sub] = subscription('C0DAILY');
    await storage.daily.subscribe(sub);
    expect(await storage.daily.claimDelivery(sub.channel, DATE, clock.now())).toBe(true);

    const h = await start(clock, fake, storage);
    expect(await h.deps.daily.recover()).toBe(1);
    expect(await h.deps.daily.tick()).toMatchObject({ sent: 0 });
    const posts = postsIn(fake, 'C0DAILY');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.body.metadata).toMatchObject({ event_payload: { marker: postMarker(key, DATE) } });
    expect((await storage.daily.delivery(sub.channel, DATE))?.status).toBe('sent');
  });

  it('pauses a channel the bot was removed from, with the reason, and still posts elsewhere', async () => {
    const clock = new Clock(DUE);
    const fake = await newFake();
    fake.addChannel({ id: 'C0DAILY', name: 'history', isMember: true });
    fake.addChannel({ id: 'C0KICKED', name: 'old-club', isMember: false });
    const storage = memoryStorage();
    for (const id of ['C0DAILY', 'C0KICKED']) await storage.daily.subscribe(subscription(id)[1]);
    const h = await start(clock, fake, storage);
    expect(await h.deps.daily.tick()).toMatchObject({ sent: 1, paused: 1, failed: 0 });

    const kicked = await storage.daily.subscription(channel('C0KICKED'));
    expect(kicked?.paused).toMatchObject({
      reason: 'the bot lost permission to post in this channel',
      byUser: false,
    });
    expect((await storage.daily.subscription(channel('C0DAILY')))?.paused).toBeUndefined();
    // One attempt, no retries inside the Web API client.
    expect(postsIn(fake, 'C0KICKED')).toHaveLength(1);
    expect(fake.messagesIn('C0KICKED')).toHaveLength(0);
    expect(fake.messagesIn('C0DAILY')).toHaveLength(1);

    const status = await slash(h, 'status', 'C0KICKED', 'U0MARIA');
    expect(status.body.response_type).toBe('ephemeral');
    expect(status.text).toContain('Paused:');
    expect(status.text).toContain('the bot lost permission to post in this channel');

    // Paused subscriptions are left alone on later ticks.
    clock.t += 60_000;
    await h.deps.daily.tick();
    expect(postsIn(fake, 'C0KICKED')).toHaveLength(1);
  });

  it('pauses on a revoked token as an auth failure', async () => {
    const clock = new Clock(DUE);
    const fake = await newFake();
    fake.addChannel({ id: 'C0DAILY', name: 'history', isMember: true });
    const storage = memoryStorage();
    const [, sub] = subscription('C0DAILY');
    await storage.daily.subscribe(sub);
    const h = await start(clock, fake, storage);
    fake.failNext('chat.postMessage', 'token_revoked');
    expect(await h.deps.daily.tick()).toMatchObject({ sent: 0, paused: 1 });
    expect((await storage.daily.subscription(sub.channel))?.paused?.reason).toBe(
      'the bot token was revoked or expired',
    );
    expect(await storage.daily.delivery(sub.channel, DATE)).toMatchObject({
      status: 'failed',
      note: 'the bot token was revoked or expired',
    });
    expect(postsIn(fake, 'C0DAILY')).toHaveLength(1);
  });

  it('answers /daily subscribe in a channel the bot is not in with how to invite it', async () => {
    const clock = new Clock(BEFORE);
    const fake = await newFake();
    fake.addChannel({ id: 'C0SECRET', name: 'history-club', isMember: false, isPrivate: true });
    const h = await start(clock, fake);
    const { body, text } = await slash(h, 'subscribe time:08:00 timezone:Europe/Berlin', 'C0SECRET');
    expect(body.response_type).toBe('ephemeral');
    expect(text).toContain('#history-club');
    expect(text).toContain('/invite @thawbot');
    expect(await h.storage.daily.subscriptions('0000-01-01')).toEqual([]);
    expect(fake.callsTo('conversations.info').at(-1)?.body.channel).toBe('C0SECRET');
  });
});
