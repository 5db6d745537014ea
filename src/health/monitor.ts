/**
 * Gathers what the health checks need from the running process: the phase, the started adapters,
 * whether the store can still write, the scheduler's last tick and the event loop's lag.
 */
import type { RunningAdapter } from '../core/adapter.ts';
import type { Storage } from '../store/ports.ts';
import {
  type Check,
  type LivenessReport,
  liveness,
  type Phase,
  type ReadinessReport,
  readiness,
  type ShardReport,
} from './checks.ts';

/**
 * Proves storage writable with a real write (`Storage.probe`), at most once per interval and only when
 * asked (each probe rewrites the data file once). A write that hangs past the timeout fails the check.
 */
export class StoreProbe {
  private last: Check = { ok: true, detail: 'writable (opened)' };
  private lastStarted = Number.NEGATIVE_INFINITY;
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly storage: Pick<Storage, 'probe'> & Partial<Pick<Storage, 'health'>>,
    private readonly options: {
      /** Monotonic milliseconds. */
      clock?: () => number;
      intervalMs?: number;
      timeoutMs?: number;
      wait?: (ms: number) => Promise<void>;
    } = {},
  ) {}

  private get clock(): () => number {
    return this.options.clock ?? (() => performance.now());
  }

  async check(): Promise<Check> {
    const now = this.clock();
    // Every real write reports its outcome: a failure shows at once (and a probe starts, so that
    // recovery shows without traffic); a success after a failed probe clears it at once.
    const written = this.storage.health?.();
    if (written && !written.ok) {
      if (!this.inFlight) this.start(now);
      return written;
    }
    if (written && !this.inFlight && !this.last.ok) this.last = written;
    if (!this.inFlight && now - this.lastStarted >= (this.options.intervalMs ?? 60_000)) this.start(now);
    if (this.inFlight) await Promise.race([this.inFlight, this.wait(this.options.timeoutMs ?? 2_000)]);
    if (this.inFlight) {
      const seconds = Math.round((this.clock() - this.lastStarted) / 1000);
      return { ok: false, detail: `a write to the data file has been waiting for ${seconds} s` };
    }
    return this.last;
  }

  private start(now: number): void {
    this.lastStarted = now;
    const probe = this.storage.probe().then(
      () => {
        this.last = { ok: true, detail: 'writable' };
      },
      (error: unknown) => {
        this.last = {
          ok: false,
          detail: `the last write failed: ${error instanceof Error ? error.message : String(error)}`,
        };
      },
    );
    this.inFlight = probe.finally(() => {
      this.inFlight = undefined;
    });
  }

  private wait(ms: number): Promise<void> {
    if (this.options.wait) return this.options.wait(ms);
    return new Promise((resolve) => setTimeout(resolve, ms).unref());
  }
}

/** Measures how late a repeating timer fires: the event loop's recent lag. */
export class LoopMonitor {
  private expected = 0;
  private lag = 0;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly intervalMs = 1_000,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  start(): this {
    this.expected = this.clock() + this.intervalMs;
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
    return this;
  }

  /** Records one firing of the timer; public for tests. */
  sample(): void {
    const now = this.clock();
    this.lag = Math.max(0, now - this.expected);
    this.expected = now + this.intervalMs;
  }

  /** The lag of the last firing, or the current overdue time if the timer is late right now. */
  lagMs(): number {
    return Math.max(this.lag, this.clock() - this.expected);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

export interface HealthMonitorOptions {
  storage: Pick<Storage, 'probe'> & Partial<Pick<Storage, 'health'>>;
  /** The minute clock (only its last tick is read). */
  clock: { lastTick: Date | undefined };
  now?: () => Date;
  probe?: { check(): Promise<Check> };
  loop?: { lagMs(): number };
  uptimeMs?: () => number;
  /** False when this process leaves scheduled work to another (SCHEDULED_WORK=off, shard processes). */
  schedulerRuns?: boolean;
  /** With several processes on one database: whether this one holds the scheduler lease now. */
  leaseHeld?: () => boolean;
}

type AdapterView = Pick<RunningAdapter, 'platform' | 'mode' | 'ready' | 'trouble' | 'shards'>;

/** A platform that may not have started yet: what the supervisor knows of it. */
export interface PlatformView {
  platform: string;
  status: 'starting' | 'retrying' | 'running' | 'failed';
  detail: string;
  adapter?: AdapterView;
}

/** The process's health as the composition root sees it; main.ts moves the phase along. */
export class HealthMonitor {
  phase: Phase = 'starting';
  private readonly adapters: AdapterView[] = [];
  private platforms: () => readonly PlatformView[] = () => [];
  private readonly probe: { check(): Promise<Check> };
  private readonly started = performance.now();

  constructor(private readonly options: HealthMonitorOptions) {
    this.probe = options.probe ?? new StoreProbe(options.storage);
  }

  /** A started adapter: its connection counts for readiness from now on. */
  addAdapter(adapter: AdapterView): void {
    this.adapters.push(adapter);
  }

  /** Platforms started by the supervisor: each counts from the start, connected or not. */
  watchPlatforms(list: () => readonly PlatformView[]): void {
    this.platforms = list;
  }

  async readiness(): Promise<ReadinessReport> {
    const platforms = this.platforms().map((p) =>
      p.status === 'running' && p.adapter
        ? adapterState(p.adapter)
        : { platform: p.platform, mode: p.status, ready: false, detail: p.detail },
    );
    const running = [
      ...this.adapters,
      ...this.platforms().flatMap((p) => (p.status === 'running' && p.adapter ? [p.adapter] : [])),
    ];
    const [store, shards] = await Promise.all([this.probe.check(), shardsOf(running)]);
    return readiness({
      phase: this.phase,
      adapters: [...this.adapters.map(adapterState), ...platforms],
      store,
      lastTick: this.options.clock.lastTick,
      now: (this.options.now ?? (() => new Date()))(),
      schedulerRuns: this.options.schedulerRuns,
      leaseHeld: this.options.leaseHeld?.(),
      shards,
    });
  }

  liveness(): LivenessReport {
    return liveness({
      lagMs: this.options.loop?.lagMs() ?? 0,
      uptimeMs: this.options.uptimeMs?.() ?? performance.now() - this.started,
    });
  }
}

/** Every running adapter's shards; one that cannot tell is left out (its connection check still counts). */
async function shardsOf(adapters: readonly AdapterView[]): Promise<ShardReport[]> {
  const lists = await Promise.all(
    adapters.map(async (a) => {
      try {
        return ((await a.shards?.()) ?? []).map((s) => ({ platform: a.platform, ...s }));
      } catch {
        return [];
      }
    }),
  );
  return lists.flat();
}

function adapterState(a: AdapterView) {
  const ready = isReady(a);
  const trouble = ready ? a.trouble?.() : undefined;
  return {
    platform: a.platform,
    mode: a.mode,
    ready: ready && !trouble,
    detail: trouble ?? `${ready ? 'connected' : 'not connected'} (${a.mode})`,
  };
}

/** A missing `ready()` means the adapter gives no signal: it counts as ready while it runs. */
function isReady(adapter: AdapterView): boolean {
  try {
    return adapter.ready?.() ?? true;
  } catch {
    return false;
  }
}
