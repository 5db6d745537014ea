import { type Client, Status } from 'discord.js';
import type { ShardState } from '../../core/adapter.ts';

/** discord.js's shard statuses in the words the health endpoint uses. */
const STATUS_NAMES: Record<number, string> = {
  [Status.Ready]: 'ready',
  [Status.Connecting]: 'connecting',
  [Status.Reconnecting]: 'reconnecting',
  [Status.Idle]: 'idle',
  [Status.Nearly]: 'nearly ready',
  [Status.Disconnected]: 'disconnected',
  [Status.WaitingForGuilds]: 'waiting for guilds',
  [Status.Identifying]: 'identifying',
  [Status.Resuming]: 'resuming',
};

export function statusName(status: number): string {
  return STATUS_NAMES[status] ?? `status ${status}`;
}

/** Each shard of this client: status, heartbeat ping and how many guilds it holds. */
export function shardStates(client: Client): ShardState[] {
  const guilds = new Map<number, number>();
  for (const guild of client.guilds.cache.values())
    guilds.set(guild.shardId, (guilds.get(guild.shardId) ?? 0) + 1);
  return [...client.ws.shards.values()].map((shard) => ({
    id: shard.id,
    status: statusName(shard.status),
    ...(shard.ping >= 0 ? { ping: shard.ping } : {}),
    guilds: guilds.get(shard.id) ?? 0,
  }));
}
