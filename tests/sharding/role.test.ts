import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Actor } from '../../src/core/command.ts';
import { owns, processRole, shardChild, shardOfGuild } from '../../src/sharding/role.ts';
import { memoryStorage } from '../../src/store/doc/index.ts';
import { reconcileWorkspaces } from '../../src/store/lifecycle.ts';
import { shardOf, spreadSnowflake } from '../fakes/discord/index.ts';
import { recordingQuizApp } from '../helpers/quiz-content.ts';

const shard1of2 = processRole({ kind: 'single' }, true, { ids: [1], count: 2 });

describe('process roles', () => {
  it('compute the shard of a guild as Discord does', () => {
    // 175928355163353088 >> 22 = 41944588461, and 41944588461 % 16 = 13
    expect(shardOfGuild('175928355163353088', 16)).toBe(13);
    for (let i = 0; i < 20; i++) {
      const id = spreadSnowflake();
      expect(shardOfGuild(id, 3)).toBe(shardOf(id, 3));
    }
  });

  it('know a shard process by what ShardingManager puts in its environment', () => {
    expect(shardChild({ SHARDING_MANAGER: 'true', SHARDS: '1', SHARD_COUNT: '2' }, true)).toEqual({
      ids: [1],
      count: 2,
    });
    expect(shardChild({ SHARDING_MANAGER: 'true', SHARDS: '[0,3]', SHARD_COUNT: '4' }, true)).toEqual({
      ids: [0, 3],
      count: 4,
    });
    // Not started by a manager (no IPC channel), or nonsense: an ordinary process.
    expect(shardChild({ SHARDING_MANAGER: 'true', SHARDS: '1', SHARD_COUNT: '2' }, false)).toBeUndefined();
    expect(shardChild({ SHARDS: '1', SHARD_COUNT: '2' }, true)).toBeUndefined();
    expect(shardChild({ SHARDING_MANAGER: 'true', SHARDS: 'x', SHARD_COUNT: '2' }, true)).toBeUndefined();
  });

  it('give a shard its own guilds, the manager everything but Discord, one process everything', () => {
    const [a, b] = [spreadSnowflake(), spreadSnowflake()];
    const mine = shardOf(a, 2) === 1 ? a : b;
    const other = mine === a ? b : a;
    expect(shard1of2.runsScheduledWork).toBe(false);
    expect(owns(shard1of2, 'discord', mine)).toBe(true);
    expect(owns(shard1of2, 'discord', other)).toBe(false);
    expect(owns(shard1of2, 'slack', 'T1')).toBe(false);
    const manager = processRole({ kind: 'manager', totalShards: 2, shardList: 'auto' }, true, undefined);
    expect(manager.runsScheduledWork).toBe(true);
    expect(owns(manager, 'discord', mine)).toBe(false);
    expect(owns(manager, 'slack', 'T1')).toBe(true);
    const single = processRole({ kind: 'single' }, false, undefined);
    expect(single.runsScheduledWork).toBe(false);
    expect(owns(single, 'discord', other)).toBe(true);
  });

  it("let a shard notice only its own guilds left while offline, not the other shards'", async () => {
    const storage = memoryStorage();
    const ids = Array.from({ length: 4 }, () => spreadSnowflake());
    for (const workspaceId of ids)
      await storage.settings.change({ platform: 'discord', workspaceId }, (s) => {
        s.hostUserIds = ['1'];
      });
    const mine = ids.filter((id) => shardOf(id, 2) === 1);
    const [left, ...still] = mine;
    const result = await reconcileWorkspaces(storage.workspaces, 'discord', still, new Date(), (id) =>
      owns(shard1of2, 'discord', id),
    );
    expect(result).toEqual({ added: [], removed: [left] });
  });
});

describe('quiz games after a restart of a shard', () => {
  beforeEach(() => vi.useFakeTimers({ now: new Date('2026-03-10T19:00:00Z') }));
  afterEach(() => vi.useRealTimers());

  it('are resumed by the shard that holds the guild, not by the others', async () => {
    const storage = memoryStorage();
    const [g0, g1] = [spreadSnowflake(), spreadSnowflake()].sort((x, y) => shardOf(x, 2) - shardOf(y, 2));
    const first = recordingQuizApp({ storage, seed: 3, quizPauseMs: 2000 });
    for (const workspaceId of [g0, g1] as string[]) {
      const actor: Actor = {
        user: { platform: 'discord', id: 'ann', displayName: 'Ann' },
        channel: { platform: 'discord', workspaceId, channelId: `c${workspaceId}` },
        isAdmin: false,
        isHost: true,
        inServer: true,
      };
      const started = await first.router.handle({
        ...actor,
        command: 'quiz',
        input: { kind: 'text', text: 'start questions:3' },
      });
      expect(started).toMatchObject({ title: 'Quiz time!' });
    }
    await vi.advanceTimersByTimeAsync(0);
    await first.deps.quiz.shutdown();

    const shard1 = recordingQuizApp({ storage, seed: 3, quizPauseMs: 2000 });
    expect(await shard1.deps.quiz.resume('discord', (c) => owns(shard1of2, 'discord', c.workspaceId))).toBe(
      1,
    );
    expect(shard1.poster.posts.map((p) => p.channel.workspaceId)).toEqual([g1]);
    await shard1.deps.quiz.shutdown();
  });
});
