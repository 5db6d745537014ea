import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UpdateBudget } from '../../src/adapters/slack/budget.ts';
import { SlackPoster } from '../../src/adapters/slack/poster.ts';
import type { MessageRef } from '../../src/core/platform.ts';

function fakeClient() {
  const updates: { channel: string; ts: string; text: string }[] = [];
  const client = {
    chat: {
      update: async (args: { channel: string; ts: string; text: string }) => {
        updates.push(args);
        return { ok: true };
      },
    },
    conversations: {
      info: async ({ channel }: { channel: string }) => {
        if (channel === 'C0SCOPE')
          throw Object.assign(new Error('missing_scope'), { data: { error: 'missing_scope' } });
        return {
          ok: true,
          channel: { id: channel, name: 'quiz', is_member: channel === 'C0IN', is_private: true },
        };
      },
    },
  };
  return { client: client as unknown as ConstructorParameters<typeof SlackPoster>[0], updates };
}

const ref = (ws: string, ts: string): MessageRef => ({
  channel: { platform: 'slack', workspaceId: ws, channelId: 'C0QUIZ' },
  messageId: ts,
});

describe('SlackPoster edits within the chat.update budget', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends at once while the budget lasts, then defers and sends only the newest content', async () => {
    const { client, updates } = fakeClient();
    const budget = new UpdateBudget({ perMinute: 3, minIntervalMs: 0, now: () => Date.now() });
    const poster = new SlackPoster(client, { budget });
    await Promise.all(
      ['1', '2', '3'].map((ts) => poster.edit(ref('T1', ts), { fallbackText: `first ${ts}` })),
    );
    expect(updates).toHaveLength(3);

    let settled = 0;
    const later = [1, 2, 3].map((n) =>
      poster.edit(ref('T1', '1'), { fallbackText: `count ${n}` }).then(() => {
        settled++;
      }),
    );
    const otherWorkspace = poster.edit(ref('T2', '1'), { fallbackText: 'elsewhere' });
    await otherWorkspace;
    expect(updates.map((u) => u.text)).toContain('elsewhere');
    await vi.advanceTimersByTimeAsync(59_000);
    expect(settled).toBe(0);
    expect(updates).toHaveLength(4);
    await vi.advanceTimersByTimeAsync(1_100);
    await Promise.all(later);
    expect(settled).toBe(3);
    expect(updates.slice(4).map((u) => u.text)).toEqual(['count 3']);
  });

  it('rejects deferred edits when closed', async () => {
    const { client } = fakeClient();
    const poster = new SlackPoster(client, { budget: new UpdateBudget({ perMinute: 1, minIntervalMs: 0 }) });
    await poster.edit(ref('T1', '1'), { fallbackText: 'a' });
    const deferred = poster.edit(ref('T1', '1'), { fallbackText: 'b' });
    poster.close();
    await expect(deferred).rejects.toThrow(/stopped/);
  });

  it('refuses another platform without throwing synchronously', async () => {
    const { client } = fakeClient();
    const poster = new SlackPoster(client);
    const other: MessageRef = {
      channel: { platform: 'discord', workspaceId: 'g', channelId: 'c' },
      messageId: '1',
    };
    await expect(poster.edit(other, { fallbackText: 'x' })).rejects.toThrow(/discord/);
  });
});

describe('SlackPoster.checkChannel', () => {
  it('says how to invite the bot, and stays out of the way when it cannot tell', async () => {
    const { client } = fakeClient();
    const poster = new SlackPoster(client, { botName: 'thawbot' });
    const channel = { platform: 'slack' as const, workspaceId: 'T1', channelId: 'C0IN' };
    expect(await poster.checkChannel(channel)).toBeUndefined();
    expect(await poster.checkChannel({ ...channel, channelId: 'C0OUT' })).toMatch(/\/invite @thawbot/);
    expect(await poster.checkChannel({ ...channel, channelId: 'C0SCOPE' })).toBeUndefined();
  });
});
