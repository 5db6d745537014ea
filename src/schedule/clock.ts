import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../core/log.ts';

/**
 * The one minute clock of scheduled work (daily posts, quiz nights, retention). node-cron only
 * ticks; each job computes in its own time zones what is due. Overlapping ticks share one run, and
 * a failing job is logged without stopping the others.
 */
export class MinuteClock {
  private readonly jobs: { name: string; run: () => Promise<unknown> }[] = [];
  private task: ScheduledTask | undefined;
  private running: Promise<void> | undefined;
  lastTick: Date | undefined;
  /** When set, jobs run only while it says so (the process holds the scheduler lease). */
  gate: (() => boolean) | undefined;

  constructor(private readonly options: { log: Logger; now: () => Date }) {}

  add(name: string, run: () => Promise<unknown>): void {
    this.jobs.push({ name, run });
  }

  /** Ticks now and then at every minute. */
  start(): void {
    this.task = cron.schedule('* * * * *', () => void this.tick());
    void this.tick();
  }

  async stop(): Promise<void> {
    await this.task?.stop();
    this.task = undefined;
    await this.running;
  }

  tick(): Promise<void> {
    this.running ??= this.runJobs().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async runJobs(): Promise<void> {
    this.lastTick = this.options.now();
    if (this.gate && !this.gate()) return;
    for (const job of this.jobs) {
      try {
        await job.run();
      } catch (err) {
        this.options.log.error({ err, job: job.name }, 'scheduled job failed');
      }
    }
  }
}
