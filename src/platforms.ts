/**
 * Starts each configured platform on its own: one that connects serves at once, one that cannot be
 * reached is retried with backoff (and named in /readyz meanwhile), and one that refuses the
 * credentials is given up with a message that says what to do. The process stays up while any
 * platform works or may still come up.
 */
import { PlatformRefusedError, type RunningAdapter } from './core/adapter.ts';
import type { Logger } from './core/log.ts';
import type { Platform } from './core/platform.ts';

export type PlatformStatus = 'starting' | 'retrying' | 'running' | 'failed';

export interface PlatformSpec {
  platform: Platform;
  /** The service's name in messages: "Discord", "Slack". */
  label: string;
  /** One attempt: resolves once the platform serves, rejects when it cannot. */
  start(): Promise<RunningAdapter>;
}

export interface PlatformState {
  platform: Platform;
  status: PlatformStatus;
  /** What an operator reads in /readyz and the logs. */
  detail: string;
  attempts: number;
  adapter?: RunningAdapter;
}

/** Waits between attempts: quick at first, then at most every five minutes. */
export const START_BACKOFF_MS = [5_000, 15_000, 30_000, 60_000, 120_000, 300_000] as const;

export interface SupervisorOptions {
  log: Logger;
  /** Called once per successful start, before the platform counts as running. */
  onStarted(adapter: RunningAdapter): Promise<void>;
  /** Every configured platform has refused for good: nothing can work until an operator acts. */
  onAllFailed(): void;
  backoffMs?: readonly number[];
}

export class PlatformSupervisor {
  private readonly states = new Map<Platform, PlatformState>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private stopped = false;

  constructor(private readonly options: SupervisorOptions) {}

  /** Starts a platform; resolves when its first attempt has settled, whatever the outcome. */
  start(spec: PlatformSpec): Promise<void> {
    this.states.set(spec.platform, {
      platform: spec.platform,
      status: 'starting',
      detail: 'starting',
      attempts: 0,
    });
    return this.attempt(spec);
  }

  /** A running platform refused this process for good (e.g. its token was reset). */
  failed(platform: Platform, reason: string): void {
    const state = this.states.get(platform);
    if (!state || state.status === 'failed') return;
    state.status = 'failed';
    state.detail = reason;
    this.options.log.error({ platform }, reason);
    this.checkAllFailed();
  }

  list(): PlatformState[] {
    return [...this.states.values()];
  }

  /** Adapters that are serving now. */
  running(): RunningAdapter[] {
    return this.list().flatMap((s) => (s.status === 'running' && s.adapter ? [s.adapter] : []));
  }

  /** Ends retries and stops every started adapter, last started first. */
  async stop(onError: (platform: Platform, error: unknown) => void): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const state of this.list().reverse()) {
      const adapter = state.adapter;
      state.adapter = undefined;
      if (!adapter) continue;
      try {
        await adapter.stop();
      } catch (error) {
        onError(state.platform, error);
      }
    }
  }

  private async attempt(spec: PlatformSpec): Promise<void> {
    const state = this.states.get(spec.platform) as PlatformState;
    state.attempts++;
    const log = this.options.log.child({ platform: spec.platform });
    let adapter: RunningAdapter;
    try {
      adapter = await spec.start();
    } catch (error) {
      if (this.stopped) return;
      if (error instanceof PlatformRefusedError) {
        this.failed(spec.platform, error.message);
        return;
      }
      const backoff = this.options.backoffMs ?? START_BACKOFF_MS;
      const wait = backoff[Math.min(state.attempts - 1, backoff.length - 1)] ?? 60_000;
      state.status = 'retrying';
      state.detail = `${spec.label} could not start: ${reason(spec.label, error)}; retrying in ${Math.round(wait / 1000)} s (attempt ${state.attempts})`;
      log.warn({ err: error, attempt: state.attempts, retryInMs: wait }, state.detail);
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        void this.attempt(spec);
      }, wait);
      this.timers.add(timer);
      return;
    }
    if (this.stopped) {
      await adapter.stop().catch(() => {});
      return;
    }
    state.adapter = adapter;
    try {
      await this.options.onStarted(adapter);
    } catch (error) {
      // The platform serves; what failed (resuming games, say) is logged and retried by its owner.
      log.error({ err: error }, `${spec.label} started, but arming its services failed`);
    }
    // A refusal while arming (a reset token) must not be overwritten.
    if (state.status !== 'failed') {
      state.status = 'running';
      state.detail = `connected (${adapter.mode})`;
    }
    if (state.attempts > 1) log.info({ attempts: state.attempts }, `${spec.label} connected after retrying`);
  }

  private checkAllFailed(): void {
    const all = this.list();
    if (all.length > 0 && all.every((s) => s.status === 'failed')) this.options.onAllFailed();
  }
}

/** A start failure in words that name the platform ("cannot reach Discord: connect ECONNREFUSED ..."). */
function reason(label: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown })?.code;
  const network =
    typeof code === 'string' && /^(ECONN|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH)/.test(code);
  const causeCode = (error as { cause?: { code?: unknown } })?.cause?.code;
  if (network || /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|fetch failed|aborted/i.test(message) || causeCode)
    return `cannot reach ${label} (${message}${typeof causeCode === 'string' ? `: ${causeCode}` : ''})`;
  return message;
}
