import { PostError } from '../core/platform.ts';
import type { Paused } from '../store/ports.ts';

/** Why a post that failed for good pauses its subscription or quiz night, as shown to hosts. */
export const PAUSE_REASONS = {
  gone: 'the channel no longer exists or the bot was removed from it',
  forbidden: 'the bot lost permission to post in this channel',
  auth: 'the bot token was revoked or expired',
} as const;

/**
 * The one rule for scheduled posts: a failure that retrying cannot fix (channel gone, permission
 * lost, token revoked) pauses what posted, with the reason; anything else does not (undefined).
 */
export function pauseFor(error: unknown, at: Date): Paused | undefined {
  if (!(error instanceof PostError)) return undefined;
  if (error.kind !== 'gone' && error.kind !== 'forbidden' && error.kind !== 'auth') return undefined;
  return { reason: PAUSE_REASONS[error.kind], at: at.toISOString(), byUser: false };
}
