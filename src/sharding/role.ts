/**
 * What this process does: everything (one process, the default), manage Discord shard processes
 * (and run Slack and the scheduled work), or be one of those shard processes (Discord only).
 */
import type { Platform } from '../core/platform.ts';
import type { ShardPlan } from './config.ts';

export interface ShardSet {
  ids: number[];
  count: number;
}

export type ProcessRole =
  | { kind: 'single'; runsScheduledWork: boolean }
  | { kind: 'manager'; plan: Extract<ShardPlan, { kind: 'manager' }>; runsScheduledWork: boolean }
  | { kind: 'shard'; shards: ShardSet; runsScheduledWork: false };

/** The shard a guild belongs to: `(guild_id >> 22) % count`, as Discord assigns them. */
export function shardOfGuild(guildId: string, count: number): number {
  if (!/^\d+$/.test(guildId)) return 0;
  return Number((BigInt(guildId) >> 22n) % BigInt(count));
}

/**
 * The shards this process runs when a ShardingManager started it: discord.js passes them as
 * SHARDS (JSON: a number or a list) and SHARD_COUNT, with SHARDING_MANAGER set.
 */
export function shardChild(env: NodeJS.ProcessEnv, hasParent = Boolean(process.send)): ShardSet | undefined {
  if (!hasParent || !env.SHARDING_MANAGER || env.SHARDS === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(env.SHARDS);
  } catch {
    return undefined;
  }
  const ids = Array.isArray(parsed) ? parsed : [parsed];
  const count = Number(env.SHARD_COUNT);
  if (!ids.every((id) => Number.isInteger(id) && id >= 0) || !Number.isInteger(count) || count < 1)
    return undefined;
  return { ids: ids as number[], count };
}

export function processRole(
  plan: ShardPlan,
  scheduledWork: boolean,
  child: ShardSet | undefined,
): ProcessRole {
  if (child) return { kind: 'shard', shards: child, runsScheduledWork: false };
  if (plan.kind === 'manager') return { kind: 'manager', plan, runsScheduledWork: scheduledWork };
  return { kind: 'single', runsScheduledWork: scheduledWork };
}

/**
 * Whether this process serves a workspace's live work (running games, noticing servers it left):
 * a shard serves its own guilds, the manager everything but Discord, a single process everything.
 */
export function owns(role: ProcessRole, platform: Platform, workspaceId: string): boolean {
  if (role.kind === 'single') return true;
  if (role.kind === 'manager') return platform !== 'discord';
  return platform === 'discord' && role.shards.ids.includes(shardOfGuild(workspaceId, role.shards.count));
}

/** A message from a shard process to its manager: the platform refused it for good. */
export interface RefusedMessage {
  thawbot: 'refused';
  reason: string;
}

export function isRefusedMessage(message: unknown): message is RefusedMessage {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as { thawbot?: unknown }).thawbot === 'refused' &&
    typeof (message as { reason?: unknown }).reason === 'string'
  );
}
