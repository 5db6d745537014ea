import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PlatformRefusedError, type RunningAdapter } from '../../src/core/adapter.ts';
import { PlatformSupervisor } from '../../src/platforms.ts';
import { recordingLogger } from '../discord/harness.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function adapter(platform: 'discord' | 'slack', stopped: string[] = []): RunningAdapter {
  return {
    platform,
    mode: 'test',
    poster: {
      post: async () => ({ channel: { platform, workspaceId: 'w', channelId: 'c' }, messageId: '1' }),
      edit: async () => {},
    },
    async stop() {
      stopped.push(platform);
    },
  };
}

function refused(): Error {
  return Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
}

describe('PlatformSupervisor', () => {
  it('serves a platform that connects while retrying one that cannot, with growing waits', async () => {
    const started: string[] = [];
    const allFailed = vi.fn();
    const sup = new PlatformSupervisor({
      log: recordingLogger(),
      onStarted: async (a) => {
        started.push(a.platform);
      },
      onAllFailed: allFailed,
      backoffMs: [1_000, 5_000],
    });
    let slackUp = false;
    const slackAttempts = vi.fn(async () => {
      if (!slackUp) throw refused();
      return adapter('slack');
    });
    await Promise.all([
      sup.start({ platform: 'discord', label: 'Discord', start: async () => adapter('discord') }),
      sup.start({ platform: 'slack', label: 'Slack', start: slackAttempts }),
    ]);
    expect(started).toEqual(['discord']);
    expect(sup.list().map((s) => [s.platform, s.status])).toEqual([
      ['discord', 'running'],
      ['slack', 'retrying'],
    ]);
    expect(sup.list()[1]?.detail).toBe(
      'Slack could not start: cannot reach Slack (connect ECONNREFUSED 127.0.0.1:1); retrying in 1 s (attempt 1)',
    );

    await vi.advanceTimersByTimeAsync(999);
    expect(slackAttempts).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(slackAttempts).toHaveBeenCalledTimes(2);
    expect(sup.list()[1]?.detail).toMatch(/retrying in 5 s \(attempt 2\)$/);
    // The last wait repeats.
    await vi.advanceTimersByTimeAsync(5_000);
    expect(slackAttempts).toHaveBeenCalledTimes(3);
    expect(sup.list()[1]?.detail).toMatch(/retrying in 5 s \(attempt 3\)$/);

    slackUp = true;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(started).toEqual(['discord', 'slack']);
    expect(sup.running().map((a) => a.platform)).toEqual(['discord', 'slack']);
    expect(allFailed).not.toHaveBeenCalled();
  });

  it('does not retry a refused token, and says when nothing can work', async () => {
    const allFailed = vi.fn();
    const sup = new PlatformSupervisor({
      log: recordingLogger(),
      onStarted: async () => {},
      onAllFailed: allFailed,
    });
    const start = vi.fn(async (): Promise<RunningAdapter> => {
      throw new PlatformRefusedError('discord', 'Discord refused DISCORD_TOKEN');
    });
    await sup.start({ platform: 'discord', label: 'Discord', start });
    await vi.advanceTimersByTimeAsync(600_000);
    expect(start).toHaveBeenCalledTimes(1);
    expect(sup.list()[0]).toMatchObject({ status: 'failed', detail: 'Discord refused DISCORD_TOKEN' });
    expect(allFailed).toHaveBeenCalledTimes(1);
  });

  it('a refusal while running fails that platform alone; the last one failing ends the process', async () => {
    const allFailed = vi.fn();
    const sup = new PlatformSupervisor({
      log: recordingLogger(),
      onStarted: async () => {},
      onAllFailed: allFailed,
    });
    await sup.start({ platform: 'discord', label: 'Discord', start: async () => adapter('discord') });
    await sup.start({ platform: 'slack', label: 'Slack', start: async () => adapter('slack') });
    sup.failed('discord', 'token reset');
    expect(sup.running().map((a) => a.platform)).toEqual(['slack']);
    expect(allFailed).not.toHaveBeenCalled();
    sup.failed('slack', 'token revoked');
    expect(allFailed).toHaveBeenCalledTimes(1);
  });

  it('stop cancels pending retries and stops what started, last first', async () => {
    const stopped: string[] = [];
    const sup = new PlatformSupervisor({
      log: recordingLogger(),
      onStarted: async () => {},
      onAllFailed: () => {},
    });
    const slack = vi.fn(async (): Promise<RunningAdapter> => {
      throw refused();
    });
    await sup.start({
      platform: 'discord',
      label: 'Discord',
      start: async () => adapter('discord', stopped),
    });
    await sup.start({ platform: 'slack', label: 'Slack', start: slack });
    await sup.stop(() => {});
    await vi.advanceTimersByTimeAsync(600_000);
    expect(slack).toHaveBeenCalledTimes(1);
    expect(stopped).toEqual(['discord']);
  });
});
