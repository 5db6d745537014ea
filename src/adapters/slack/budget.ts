/**
 * Slack allows `chat.update` about 50 times a minute per workspace (Tier 3), so live edits such
 * as quiz answer counts are rationed: each workspace has a sliding one-minute budget, and one
 * message is edited at most every `minIntervalMs`.
 */
export interface UpdateBudgetOptions {
  perMinute?: number;
  minIntervalMs?: number;
  now?: () => number;
}

export class UpdateBudget {
  private readonly perMinute: number;
  private readonly minIntervalMs: number;
  private readonly now: () => number;
  private readonly calls = new Map<string, number[]>();
  private readonly lastEdit = new Map<string, number>();

  constructor(options: UpdateBudgetOptions = {}) {
    this.perMinute = options.perMinute ?? 45;
    this.minIntervalMs = options.minIntervalMs ?? 4_000;
    this.now = options.now ?? Date.now;
  }

  /** Milliseconds until an edit of `messageId` in `workspace` may go out (0 = now). */
  waitMs(workspace: string, messageId: string): number {
    const now = this.now();
    const recent = this.recent(workspace, now);
    const byWorkspace = recent.length < this.perMinute ? 0 : (recent[0] as number) + 60_000 - now;
    const last = this.lastEdit.get(`${workspace}|${messageId}`);
    const byMessage = last === undefined ? 0 : Math.max(0, last + this.minIntervalMs - now);
    return Math.max(byWorkspace, byMessage);
  }

  /** Takes one edit from the budget if allowed now; false means skip or try again after `waitMs`. */
  tryTake(workspace: string, messageId: string): boolean {
    if (this.waitMs(workspace, messageId) > 0) return false;
    const now = this.now();
    this.recent(workspace, now).push(now);
    this.lastEdit.set(`${workspace}|${messageId}`, now);
    if (this.lastEdit.size > 10_000) this.pruneMessages(now);
    return true;
  }

  private recent(workspace: string, now: number): number[] {
    let list = this.calls.get(workspace);
    if (!list) {
      list = [];
      this.calls.set(workspace, list);
    }
    while (list.length > 0 && (list[0] as number) <= now - 60_000) list.shift();
    return list;
  }

  private pruneMessages(now: number): void {
    for (const [key, at] of this.lastEdit) if (at + this.minIntervalMs <= now) this.lastEdit.delete(key);
  }
}
