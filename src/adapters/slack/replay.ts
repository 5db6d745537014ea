/**
 * Refuses a signed request whose signature was already accepted. Bolt checks signature and age
 * but will accept the same captured request again within its five-minute window; the signature
 * covers timestamp and body, so a repeat signature is a replay.
 */
export class ReplayGuard {
  /** signature -> epoch ms after which it can be forgotten */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly windowMs = 5 * 60_000,
    private readonly now: () => number = Date.now,
    private readonly maxEntries = 200_000,
  ) {}

  /**
   * Records a verified signature; false if it was seen within the window (a replay), or if its
   * timestamp lies more than the window in the future (Bolt accepts those).
   */
  accept(signature: string, timestampSec: number): boolean {
    const now = this.now();
    const sentAt = timestampSec * 1000;
    if (sentAt - now > this.windowMs) return false;
    this.prune(now);
    const until = this.seen.get(signature);
    if (until !== undefined && until > now) return false;
    // Keep it as long as Bolt would still accept its timestamp.
    this.seen.set(signature, Math.max(now, sentAt) + this.windowMs);
    return true;
  }

  get size(): number {
    return this.seen.size;
  }

  private prune(now: number): void {
    // Entries go in roughly in expiry order, so the stale ones are at the front.
    for (const [signature, until] of this.seen) {
      if (until > now && this.seen.size <= this.maxEntries) break;
      this.seen.delete(signature);
    }
  }
}

/** Where several processes keep the signatures they accepted (the database's request_signatures). */
export interface SignatureMemory {
  rememberSignature(signature: string, until: Date, now: Date): Promise<boolean>;
}

/** What the HTTP front asks: whether a verified signature is new. */
export interface SignatureCheck {
  accept(signature: string, timestampSec: number): boolean | Promise<boolean>;
}

/**
 * The same rule as ReplayGuard for processes behind one load balancer: the memory of accepted
 * signatures is shared (a database table with expiry), so a request replayed to another process
 * is refused too.
 */
export class SharedReplayGuard implements SignatureCheck {
  constructor(
    private readonly memory: SignatureMemory,
    private readonly windowMs = 5 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  async accept(signature: string, timestampSec: number): Promise<boolean> {
    const now = this.now();
    const sentAt = timestampSec * 1000;
    if (sentAt - now > this.windowMs) return false;
    return this.memory.rememberSignature(
      signature,
      new Date(Math.max(now, sentAt) + this.windowMs),
      new Date(now),
    );
  }
}
