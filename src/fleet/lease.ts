import type { Logger } from '../core/log.ts';
import type { FleetRepo } from '../store/ports.ts';

export interface LeaseOptions {
  repo: FleetRepo;
  /** The lease's name ("scheduler"). */
  name: string;
  /** Who this process is, unique among the processes (host, pid and a random part). */
  holder: string;
  /** How long a lease lasts without renewal: the most a survivor waits after its holder died. */
  ttlMs: number;
  log: Logger;
  /** Called when this process takes the lease (not on each renewal). */
  onTaken?: () => void;
  /** Called when this process no longer holds the lease. */
  onLost?: () => void;
  /** A clock that never jumps (default performance.now), for how long a renewal stays good. */
  monotonic?: () => number;
}

/**
 * One lease among processes, as a row with an expiry renewed by its holder (see docs/scaling.md for
 * why not an advisory lock). Every process tries every third of the lease's time: the holder renews,
 * the others take it once it has expired. The holder trusts its lease only until a sixth of the time
 * before it could expire, counted from before its last successful renewal was sent, so it stops
 * before anyone else can start.
 */
export class Lease {
  private validUntil = Number.NEGATIVE_INFINITY;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private attempt: Promise<void> | undefined;
  private stopped = false;
  private wasHeld = false;
  private readonly monotonic: () => number;

  constructor(private readonly options: LeaseOptions) {
    this.monotonic = options.monotonic ?? (() => performance.now());
  }

  get holder(): string {
    return this.options.holder;
  }

  /** Whether this process may act as the lease's holder now. */
  held(): boolean {
    return !this.stopped && this.monotonic() < this.validUntil;
  }

  /** Tries at once, then every third of the lease's time. */
  start(): void {
    this.stopped = false;
    void this.renew();
  }

  /** One attempt to take or renew the lease (also used by tests and the first start). */
  renew(): Promise<void> {
    this.attempt ??= this.tryOnce().finally(() => {
      this.attempt = undefined;
      if (!this.stopped) {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => void this.renew(), this.options.ttlMs / 3);
        this.timer.unref?.();
      }
    });
    return this.attempt;
  }

  private async tryOnce(): Promise<void> {
    const { repo, name, holder, ttlMs, log } = this.options;
    const sentAt = this.monotonic();
    let ok = false;
    try {
      ok = await repo.holdLease(name, holder, ttlMs);
    } catch (err) {
      log.warn({ err, lease: name }, 'could not renew the lease; trying again');
    }
    if (this.stopped) return;
    if (ok) this.validUntil = sentAt + ttlMs - ttlMs / 6;
    const held = this.held();
    if (held && !this.wasHeld) {
      this.wasHeld = true;
      log.info({ lease: name, holder }, 'lease taken');
      this.options.onTaken?.();
    } else if (!held && this.wasHeld) {
      this.wasHeld = false;
      log.warn({ lease: name, holder }, 'lease lost');
      this.options.onLost?.();
    }
  }

  /** Stops renewing and gives the lease up, so another process takes it without waiting. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.attempt;
    this.wasHeld = false;
    this.validUntil = Number.NEGATIVE_INFINITY;
    // Also when an attempt in flight took it just now: releasing a lease not held changes nothing.
    await this.options.repo.releaseLease(this.options.name, this.options.holder);
  }
}
