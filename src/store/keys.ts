/**
 * Keys of the store's collections. Every key starts with `platform:workspaceId`, so one workspace's
 * data can be found, moved or deleted by prefix.
 */
import { type ChannelRef, channelKey, type Platform, workspaceKey } from '../core/platform.ts';

export { channelKey, workspaceKey };

/** A finished game: `platform:workspace:channel:gameId`. */
export function resultKey(channel: ChannelRef, gameId: string): string {
  return `${channelKey(channel)}:${gameId}`;
}

/** A leaderboard: `platform:workspace:period`, where period is "all" or "YYYY-MM". */
export function scoreKey(ref: { platform: Platform; workspaceId: string }, period: string): string {
  return `${workspaceKey(ref)}:${period}`;
}

/** The calendar month of a date (UTC) as a score period, "YYYY-MM". */
export function monthPeriod(date: Date): string {
  return date.toISOString().slice(0, 7);
}

/** A user's record in one workspace: `platform:workspace:userId`. */
export function userKey(ref: { platform: Platform; workspaceId: string }, userId: string): string {
  return `${workspaceKey(ref)}:${userId}`;
}

/** Whether a collection key belongs to the workspace (for per-server listing and deletion). */
export function inWorkspace(key: string, ref: { platform: Platform; workspaceId: string }): boolean {
  return key.startsWith(`${workspaceKey(ref)}:`) || key === workspaceKey(ref);
}
