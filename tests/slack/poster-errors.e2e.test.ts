import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChannelRef, PostError, type PostFailure } from '../../src/core/platform.ts';
import { type Harness, startHarness } from './harness.ts';

let h: Harness;
const channel: ChannelRef = { platform: 'slack', workspaceId: 'T0TEST', channelId: 'C0POSTS' };

beforeAll(async () => {
  h = await startHarness('http');
});

afterAll(async () => {
  await h?.close();
});

async function failure(run: () => Promise<unknown>): Promise<PostError> {
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PostError);
  return error as PostError;
}

describe('Slack Poster failures become PostErrors', () => {
  const cases: [string, PostFailure][] = [
    ['channel_not_found', 'gone'],
    ['is_archived', 'gone'],
    ['not_in_channel', 'forbidden'],
    ['restricted_action', 'forbidden'],
    ['missing_scope', 'forbidden'],
    ['invalid_auth', 'auth'],
    ['token_revoked', 'auth'],
    ['account_inactive', 'auth'],
    ['not_authed', 'auth'],
    ['ratelimited', 'rate'],
    ['internal_error', 'transient'],
    ['fatal_error', 'transient'],
  ];

  for (const [code, kind] of cases) {
    it(`maps ${code} to ${kind}, after one call`, async () => {
      const before = h.fake.callsTo('chat.postMessage').length;
      h.fake.failNext('chat.postMessage', code);
      const error = await failure(() => h.adapter.poster.post(channel, { fallbackText: 'x' }));
      expect(error.kind).toBe(kind);
      expect(error.message).toContain(code);
      expect(h.fake.callsTo('chat.postMessage').length - before).toBe(1);
    });
  }

  it('hands a 429 back at once as rate, with Retry-After in milliseconds', async () => {
    const before = h.fake.callsTo('chat.postMessage').length;
    h.fake.rateLimitNext('chat.postMessage', 30);
    const started = performance.now();
    const error = await failure(() => h.adapter.poster.post(channel, { fallbackText: 'x' }));
    expect(error.kind).toBe('rate');
    expect(error.retryAfterMs).toBe(30_000);
    // Not waited out inside the Web API client: the scheduler decides.
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(h.fake.callsTo('chat.postMessage').length - before).toBe(1);
  });

  it('reports a lost connection as transient without retrying it inside the client', async () => {
    const before = h.fake.callsTo('chat.postMessage').length;
    h.fake.dropNext('chat.postMessage');
    const error = await failure(() => h.adapter.poster.post(channel, { fallbackText: 'x' }));
    expect(error.kind).toBe('transient');
    expect(h.fake.callsTo('chat.postMessage').length - before).toBe(1);
  });

  it('maps edit failures too', async () => {
    h.fake.failNext('chat.update', 'channel_not_found');
    const error = await failure(() =>
      h.adapter.poster.edit({ channel, messageId: '1700000001.000100' }, { fallbackText: 'x' }),
    );
    expect(error.kind).toBe('gone');
  });

  it('never puts the token in an error message', async () => {
    h.fake.failNext('chat.postMessage', 'invalid_auth');
    const error = await failure(() => h.adapter.poster.post(channel, { fallbackText: 'x' }));
    expect(`${error.message} ${error.stack}`).not.toContain('xoxb-test-token');
  });
});

describe('Slack Poster channel checks', () => {
  it('says an archived channel cannot take posts', async () => {
    h.fake.addChannel({ id: 'C0OLD', name: 'old', isMember: true, isArchived: true });
    const problem = await h.adapter.poster.checkChannel({ ...channel, channelId: 'C0OLD' });
    expect(problem).toContain('archived');
    const error = await failure(() =>
      h.adapter.poster.post({ ...channel, channelId: 'C0OLD' }, { fallbackText: 'x' }),
    );
    expect(error.kind).toBe('gone');
  });
});

describe('Slack Poster markers', () => {
  const marked = { platform: 'slack' as const, workspaceId: 'T0TEST', channelId: 'C0MARKED' };

  it('posts a marker as message metadata and finds the message by it', async () => {
    const ref = await h.adapter.poster.post(marked, { fallbackText: 'daily' }, { marker: 'dABC' });
    expect(h.fake.callsTo('chat.postMessage').at(-1)?.body.metadata).toEqual({
      event_type: 'thawbot_post',
      event_payload: { marker: 'dABC' },
    });
    await h.adapter.poster.post(marked, { fallbackText: 'no marker' });
    expect(h.fake.callsTo('chat.postMessage').at(-1)?.body.metadata).toBeUndefined();
    expect(await h.adapter.poster.findPost(marked, 'dABC')).toEqual(ref);
    expect(await h.adapter.poster.findPost(marked, 'dOTHER')).toBeUndefined();
    expect(h.fake.callsTo('conversations.history').at(-1)?.body).toMatchObject({
      channel: 'C0MARKED',
      include_all_metadata: 'true',
      limit: '50',
    });
  });

  it("trusts only its own messages' markers, and looks back 50 messages", async () => {
    const other = { ...marked, channelId: 'C0BUSY' };
    h.fake.addMessage('C0BUSY', {
      text: 'look-alike',
      botId: 'B0OTHER',
      metadata: { event_type: 'thawbot_post', event_payload: { marker: 'dFAKE' } },
    });
    expect(await h.adapter.poster.findPost(other, 'dFAKE')).toBeUndefined();

    const old = await h.adapter.poster.post(other, { fallbackText: 'old' }, { marker: 'dOLD' });
    for (let i = 0; i < 49; i++) h.fake.addMessage('C0BUSY', { text: `chat ${i}` });
    expect(await h.adapter.poster.findPost(other, 'dOLD')).toEqual(old);
    h.fake.addMessage('C0BUSY', { text: 'one more' });
    expect(await h.adapter.poster.findPost(other, 'dOLD')).toBeUndefined();
  });

  it('fails as PostError when it cannot read the history', async () => {
    h.fake.failNext('conversations.history', 'missing_scope');
    const error = await failure(() => h.adapter.poster.findPost(marked, 'dABC'));
    expect(error.kind).toBe('forbidden');
  });
});
