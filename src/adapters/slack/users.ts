import type { webApi } from '@slack/bolt';
import type { Logger } from '../../core/log.ts';

export interface SlackUserInfo {
  /** Workspace owner or admin. */
  isAdmin: boolean;
  /** Plain-text name for replies; never mention markup. */
  displayName: string;
}

interface Entry {
  until: number;
  info: SlackUserInfo;
}

/**
 * Owner/admin status and display names from `users.info`, cached per workspace and user so a busy
 * channel costs one lookup per person per TTL (users.info is a Tier 4 method). Failures count as
 * "not an admin" and are remembered briefly so an outage does not become a storm of calls.
 */
export class UserDirectory {
  private readonly cache = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<SlackUserInfo>>();

  constructor(
    private readonly client: webApi.WebClient,
    private readonly log: Logger,
    private readonly ttlMs = 10 * 60_000,
    private readonly now: () => number = Date.now,
    private readonly maxEntries = 10_000,
  ) {}

  async lookup(teamId: string, userId: string, fallbackName: string): Promise<SlackUserInfo> {
    const key = `${teamId}:${userId}`;
    const hit = this.cache.get(key);
    if (hit && hit.until > this.now()) return hit.info;
    const running = this.pending.get(key);
    if (running) return running;
    const promise = this.fetch(key, userId, fallbackName).finally(() => this.pending.delete(key));
    this.pending.set(key, promise);
    return promise;
  }

  /** Forgets a user (e.g. after their role changed). */
  forget(teamId: string, userId: string): void {
    this.cache.delete(`${teamId}:${userId}`);
  }

  private async fetch(key: string, userId: string, fallbackName: string): Promise<SlackUserInfo> {
    let info: SlackUserInfo;
    let ttl = this.ttlMs;
    try {
      const res = await this.client.users.info({ user: userId });
      const user = res.user;
      info = {
        isAdmin: Boolean(user?.is_admin || user?.is_owner || user?.is_primary_owner),
        displayName:
          user?.profile?.display_name ||
          user?.profile?.real_name ||
          user?.real_name ||
          user?.name ||
          fallbackName,
      };
    } catch (error) {
      this.log.warn({ err: error, user: userId }, 'users.info failed; treating the user as a member');
      info = { isAdmin: false, displayName: fallbackName };
      ttl = Math.min(ttl, 30_000);
    }
    if (this.cache.size >= this.maxEntries) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(key, { until: this.now() + ttl, info });
    return info;
  }
}
