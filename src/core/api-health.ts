/**
 * Whether a platform's API keeps failing while its connection looks fine: a run of failed calls
 * (server errors, rate limits, timeouts) with no success since. Readiness shows it at once, so an
 * outage of the API is not hidden behind a healthy gateway or socket.
 */
export class ApiHealth {
  private failures = 0;
  private failingSince: number | undefined;
  private last = '';

  constructor(
    private readonly label: string,
    private readonly now: () => number = () => Date.now(),
    /** Failed calls in a row before it counts: one lost request is not an outage. */
    private readonly threshold = 3,
  ) {}

  ok(): void {
    this.failures = 0;
    this.failingSince = undefined;
  }

  failed(detail: string): void {
    this.failures++;
    this.failingSince ??= this.now();
    this.last = detail;
  }

  /** Why the API counts as failing, or undefined while it works. */
  trouble(): string | undefined {
    if (this.failures < this.threshold || this.failingSince === undefined) return undefined;
    const seconds = Math.max(0, Math.round((this.now() - this.failingSince) / 1000));
    return `${this.label} API failing for ${seconds} s: ${this.failures} calls in a row, last ${this.last}`;
  }
}
