/** A shard process's side of the line to its manager (Node's IPC channel, which discord.js also uses). */
import type { RefusedMessage } from './role.ts';

/** Calls `stop` when the manager goes away (its IPC channel closes), so no shard outlives it. */
export function watchManager(stop: () => void): void {
  process.once('disconnect', stop);
}

/** Tells the manager that Discord refused this shard for good, so it stops starting shards again. */
export function reportRefusal(reason: string): void {
  const message: RefusedMessage = { thawbot: 'refused', reason };
  if (process.connected) process.send?.(message);
}
