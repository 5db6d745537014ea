/**
 * How the last real write went, updated by every write of the engine: readiness reports a failing
 * disk or database at once, and its recovery at once, instead of waiting for its own probe.
 */
export class WriteHealth {
  private lastFailure: { at: Date; message: string } | undefined;

  constructor(private readonly now: () => Date = () => new Date()) {}

  succeeded(): void {
    this.lastFailure = undefined;
  }

  failed(error: unknown): void {
    this.lastFailure = { at: this.now(), message: error instanceof Error ? error.message : String(error) };
  }

  state(): { ok: boolean; detail: string } {
    if (!this.lastFailure) return { ok: true, detail: 'writable' };
    return {
      ok: false,
      detail: `the last write failed at ${this.lastFailure.at.toISOString()}: ${this.lastFailure.message}`,
    };
  }
}
