import { describe, expect, it } from 'vitest';
import { type ConfigError, loadConfig } from '../../src/config.ts';
import { shardPlan } from '../../src/sharding/config.ts';

const DISCORD = { DISCORD_TOKEN: 'token', DISCORD_APPLICATION_ID: '123456789012345678' };
const PG = { DATABASE_URL: 'postgres://bot@127.0.0.1:5432/thawbot' };

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    return (error as ConfigError).problems;
  }
}

describe('sharding config', () => {
  it('runs one shard in this process by default, and with DISCORD_SHARDS=1', () => {
    expect(shardPlan(loadConfig({ ...DISCORD }))).toEqual({ kind: 'single' });
    expect(shardPlan(loadConfig({ ...DISCORD, DISCORD_SHARDS: '1' }))).toEqual({ kind: 'single' });
    // One shard needs no PostgreSQL: the data files serve one process, as always.
    expect(problems({ ...DISCORD, DISCORD_SHARDS: '1' })).toEqual([]);
  });

  it('plans a manager for a number of shards or auto', () => {
    expect(shardPlan(loadConfig({ ...DISCORD, ...PG, DISCORD_SHARDS: '4' }))).toEqual({
      kind: 'manager',
      totalShards: 4,
      shardList: 'auto',
    });
    expect(shardPlan(loadConfig({ ...DISCORD, ...PG, DISCORD_SHARDS: 'Auto' }))).toEqual({
      kind: 'manager',
      totalShards: 'auto',
      shardList: 'auto',
    });
  });

  it('plans some shards of a total, to spread them over machines', () => {
    const config = loadConfig({
      ...DISCORD,
      ...PG,
      DISCORD_SHARD_IDS: '2, 3',
      DISCORD_SHARD_COUNT: '4',
      SCHEDULED_WORK: 'off',
    });
    expect(shardPlan(config)).toEqual({ kind: 'manager', totalShards: 4, shardList: [2, 3] });
    expect(config.SCHEDULED_WORK).toBe(false);
    expect(loadConfig({}).SCHEDULED_WORK).toBe(true);
  });

  it('refuses shard counts that are not whole numbers in range', () => {
    for (const value of ['0', '-1', '2.5', 'many', '5000'])
      expect(problems({ ...DISCORD, ...PG, DISCORD_SHARDS: value })).toEqual([
        'DISCORD_SHARDS must be auto or a whole number of shards from 1 to 4096',
      ]);
    expect(problems({ ...DISCORD, ...PG, DISCORD_SHARD_IDS: '0', DISCORD_SHARD_COUNT: '0' })).toEqual([
      'DISCORD_SHARD_COUNT must be a whole number of shards from 1 to 4096',
    ]);
  });

  it('refuses shard ids that are malformed, repeated or out of range', () => {
    const env = { ...DISCORD, ...PG, DISCORD_SHARD_COUNT: '4' };
    expect(problems({ ...env, DISCORD_SHARD_IDS: '0;1' })).toEqual([
      'DISCORD_SHARD_IDS must be shard ids separated by commas, such as 0,1',
    ]);
    expect(problems({ ...env, DISCORD_SHARD_IDS: '1,,2' })).toEqual([
      'DISCORD_SHARD_IDS must be shard ids separated by commas, such as 0,1',
    ]);
    expect(problems({ ...env, DISCORD_SHARD_IDS: '1,1' })).toEqual([
      'DISCORD_SHARD_IDS names shard 1 more than once',
    ]);
    expect(problems({ ...env, DISCORD_SHARD_IDS: '3,4,7' })).toEqual([
      'DISCORD_SHARD_IDS names shard 4, 7, but with DISCORD_SHARD_COUNT=4 the ids run from 0 to 3',
    ]);
  });

  it('needs the count with the ids, and the ids with the count', () => {
    expect(problems({ ...DISCORD, ...PG, DISCORD_SHARD_IDS: '0,1' })).toEqual([
      'DISCORD_SHARD_COUNT is required when DISCORD_SHARD_IDS is set (the total over all machines)',
    ]);
    expect(problems({ ...DISCORD, ...PG, DISCORD_SHARD_COUNT: '2' })).toEqual([
      'DISCORD_SHARD_IDS is required when DISCORD_SHARD_COUNT is set (which of the shards this process runs, such as 0,1); to run every shard here, set DISCORD_SHARDS instead',
    ]);
  });

  it('refuses DISCORD_SHARDS together with shard ids', () => {
    expect(
      problems({ ...DISCORD, ...PG, DISCORD_SHARDS: '2', DISCORD_SHARD_IDS: '0', DISCORD_SHARD_COUNT: '2' }),
    ).toEqual([
      'DISCORD_SHARDS cannot be combined with DISCORD_SHARD_IDS or DISCORD_SHARD_COUNT: set DISCORD_SHARDS to run every shard here, or DISCORD_SHARD_IDS with DISCORD_SHARD_COUNT to run some of them',
    ]);
  });

  it('refuses sharding without PostgreSQL or without a Discord token', () => {
    expect(problems({ ...DISCORD, DISCORD_SHARDS: 'auto' })).toEqual([
      'DATABASE_URL is required when DISCORD_SHARDS is set: each shard runs in a process of its own, and the data files serve one process only. Point DATABASE_URL at PostgreSQL (docs/storage.md), or leave DISCORD_SHARDS unset to run one shard in this process',
    ]);
    expect(problems({ ...DISCORD, DISCORD_SHARD_IDS: '0', DISCORD_SHARD_COUNT: '2' })[0]).toMatch(
      /^DATABASE_URL is required when DISCORD_SHARD_IDS is set/,
    );
    expect(problems({ ...PG, DISCORD_SHARDS: '2' })).toEqual([
      'DISCORD_TOKEN is required when DISCORD_SHARDS is set',
    ]);
  });

  it('refuses SCHEDULED_WORK other than on or off', () => {
    expect(problems({ SCHEDULED_WORK: 'sometimes' })).toEqual(['SCHEDULED_WORK must be on or off']);
  });
});
