/**
 * Presses of private practice questions ("Quiz me on this"): the first press of a question by a
 * person counts; a later one, or one on a question shown too long ago, is refused. A question is
 * known by the time it was shown, carried in its buttons, so nothing is stored: the set is bounded
 * by time and size and forgets on a restart, when the window also keeps old buttons out.
 */
export type PressVerdict = 'first' | 'again' | 'expired';

export class PracticePresses {
  /** Key (user, question, time shown) -> time shown, oldest first. */
  private readonly seen = new Map<string, number>();

  constructor(
    /** How long a shown question takes answers. */
    readonly windowMs = 60 * 60_000,
    private readonly max = 10_000,
  ) {}

  claim(userKey: string, questionId: string, shownAt: number, now: number): PressVerdict {
    this.prune(now);
    // A time from the future is a made-up button: as good as expired.
    if (!Number.isFinite(shownAt) || now - shownAt > this.windowMs || shownAt > now + 60_000)
      return 'expired';
    const key = `${userKey}\u0000${questionId}\u0000${shownAt}`;
    if (this.seen.has(key)) return 'again';
    this.seen.set(key, shownAt);
    if (this.seen.size > this.max) this.seen.delete(this.seen.keys().next().value as string);
    return 'first';
  }

  /** Forgets a first press whose answer could not be saved, so pressing again counts. */
  release(userKey: string, questionId: string, shownAt: number): void {
    this.seen.delete(`${userKey}\u0000${questionId}\u0000${shownAt}`);
  }

  private prune(now: number): void {
    for (const [key, shownAt] of this.seen) {
      if (now - shownAt <= this.windowMs) break;
      this.seen.delete(key);
    }
  }
}
