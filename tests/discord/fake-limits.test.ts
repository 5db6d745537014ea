import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscord, makeGuild } from '../fakes/discord/index.ts';

/** The fake's global limit, which the daily benchmark relies on to be honest. */
let fake: FakeDiscord;
const guild = makeGuild({ channels: 1 });

beforeAll(async () => {
  fake = await FakeDiscord.start({ guilds: [guild], globalRateLimit: 5 });
});
afterAll(async () => {
  await fake?.close();
});

describe('fake Discord global rate limit', () => {
  it('answers requests beyond the limit within a second with a global 429 and retry-after', async () => {
    const url = `${fake.apiUrl}/v10/channels/${guild.channels[0]?.id}/messages`;
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"content":"x"}',
        }),
      ),
    );
    const limited = answers.filter((r) => r.status === 429);
    expect(answers.filter((r) => r.status === 200)).toHaveLength(5);
    expect(limited).toHaveLength(3);
    expect(limited[0]?.headers.get('x-ratelimit-global')).toBe('true');
    expect(Number(limited[0]?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await limited[0]?.json()) as { global?: boolean } | undefined)?.global).toBe(true);
    expect(fake.globalRateLimited).toBe(3);
  });

  it('counts the posts each channel received', async () => {
    const channel = guild.channels[0]?.id as string;
    const before = fake.postsPerChannel.get(channel) ?? 0;
    // A new window of the limit.
    await expect
      .poll(
        async () =>
          (
            await fetch(`${fake.apiUrl}/v10/channels/${channel}/messages`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: '{"content":"y"}',
            })
          ).status,
        { timeout: 3_000, interval: 200 },
      )
      .toBe(200);
    expect(fake.postsPerChannel.get(channel)).toBe(before + 1);
    expect(fake.channelMessages(channel)).toHaveLength(before + 1);
  });
});
