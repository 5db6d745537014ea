/**
 * The sharding variables (DISCORD_SHARDS, DISCORD_SHARD_IDS, DISCORD_SHARD_COUNT, SCHEDULED_WORK):
 * their parsers for the config schema, the checks across variables, and the plan they add up to.
 */
import { z } from 'zod';

/** Discord's largest bots run a few thousand shards; a bigger number is a typo. */
export const MAX_SHARDS = 4096;

const text = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v === '' ? undefined : v));

const wholeShards = (v: string) => /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= MAX_SHARDS;

/** `auto` (Discord's recommendation) or a number of shards. */
export const shardsVar = text.pipe(
  z
    .string()
    .refine((v) => v.toLowerCase() === 'auto' || wholeShards(v), {
      error: `must be auto or a whole number of shards from 1 to ${MAX_SHARDS}`,
      abort: true,
    })
    .transform((v): number | 'auto' => (v.toLowerCase() === 'auto' ? 'auto' : Number(v)))
    .optional(),
);

export const shardCountVar = text.pipe(
  z
    .string()
    .refine(wholeShards, {
      error: `must be a whole number of shards from 1 to ${MAX_SHARDS}`,
      abort: true,
    })
    .transform(Number)
    .optional(),
);

/** "0,1" or "0, 1": the shard ids this process runs. */
export const shardIdsVar = text.pipe(
  z
    .string()
    .transform((v, ctx) => {
      const parts = v.split(',').map((p) => p.trim());
      if (parts.some((p) => !/^\d+$/.test(p))) {
        ctx.addIssue({ code: 'custom', message: 'must be shard ids separated by commas, such as 0,1' });
        return z.NEVER;
      }
      const ids = parts.map(Number);
      const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
      if (repeated.length > 0) {
        ctx.addIssue({ code: 'custom', message: `names shard ${repeated[0]} more than once` });
        return z.NEVER;
      }
      return ids;
    })
    .optional(),
);

export const onOffVar = text.pipe(
  z
    .enum(['on', 'off'], { error: 'must be on or off' })
    .transform((v) => v === 'on')
    .optional(),
);

interface ShardingEnv {
  DISCORD_SHARDS?: number | 'auto';
  DISCORD_SHARD_IDS?: number[];
  DISCORD_SHARD_COUNT?: number;
  DISCORD_TOKEN?: string;
  DATABASE_URL?: string;
}

/** What this process does about shards: none (one gateway connection in this process, as always), or a manager. */
export type ShardPlan =
  | { kind: 'single' }
  | { kind: 'manager'; totalShards: number | 'auto'; shardList: number[] | 'auto' };

export function shardPlan(env: ShardingEnv): ShardPlan {
  if (env.DISCORD_SHARD_IDS && env.DISCORD_SHARD_COUNT)
    return { kind: 'manager', totalShards: env.DISCORD_SHARD_COUNT, shardList: env.DISCORD_SHARD_IDS };
  const shards = env.DISCORD_SHARDS;
  if (shards === 'auto' || (shards !== undefined && shards > 1))
    return { kind: 'manager', totalShards: shards, shardList: 'auto' };
  return { kind: 'single' };
}

/** The checks across variables, as issues on the variable to change. */
export function checkSharding(env: ShardingEnv, ctx: z.RefinementCtx): void {
  const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  const ids = env.DISCORD_SHARD_IDS;
  const count = env.DISCORD_SHARD_COUNT;
  if (env.DISCORD_SHARDS !== undefined && (ids || count)) {
    issue(
      'DISCORD_SHARDS',
      'cannot be combined with DISCORD_SHARD_IDS or DISCORD_SHARD_COUNT: set DISCORD_SHARDS to run every shard here, or DISCORD_SHARD_IDS with DISCORD_SHARD_COUNT to run some of them',
    );
    return;
  }
  if (ids && count === undefined)
    issue('DISCORD_SHARD_COUNT', 'is required when DISCORD_SHARD_IDS is set (the total over all machines)');
  if (count !== undefined && !ids)
    issue(
      'DISCORD_SHARD_IDS',
      'is required when DISCORD_SHARD_COUNT is set (which of the shards this process runs, such as 0,1); to run every shard here, set DISCORD_SHARDS instead',
    );
  if (ids && count !== undefined) {
    const outside = ids.filter((id) => id >= count);
    if (outside.length > 0)
      issue(
        'DISCORD_SHARD_IDS',
        `names shard ${outside.join(', ')}, but with DISCORD_SHARD_COUNT=${count} the ids run from 0 to ${count - 1}`,
      );
  }
  if (shardPlan(env).kind === 'single') return;
  const which = ids ? 'DISCORD_SHARD_IDS' : 'DISCORD_SHARDS';
  if (!env.DISCORD_TOKEN) issue('DISCORD_TOKEN', `is required when ${which} is set`);
  if (!env.DATABASE_URL)
    issue(
      'DATABASE_URL',
      `is required when ${which} is set: each shard runs in a process of its own, and the data files serve one process only. Point DATABASE_URL at PostgreSQL (docs/storage.md), or leave ${which} unset to run one shard in this process`,
    );
}
