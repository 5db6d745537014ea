import { createHash } from 'node:crypto';
import pLimit from 'p-limit';
import type { ContentIndex } from '../content/index.ts';
import type { Logger } from '../core/log.ts';
import { type ChannelRef, channelKey, PostError, type Poster } from '../core/platform.ts';
import type { Posters } from '../core/posters.ts';
import type { DailyRepo, Delivery, Subscription } from '../store/ports.ts';
import { addDays, dueInstant, localDate, parseHHMM, postsOn } from './due.ts';
import { pauseFor } from './pause.ts';
import { dailyPost } from './post.ts';

export interface SchedulerOptions {
  daily: DailyRepo;
  posters: Posters;
  content: ContentIndex;
  log: Logger;
  now: () => Date;
  /** A post missed by less than this is sent late; an older one is skipped. */
  catchUpMs?: number;
  /** Posts sent at once during a fan-out. */
  concurrency?: number;
  /** Waits between retries of a transient failure. */
  retryDelaysMs?: readonly number[];
  sleep?: (ms: number) => Promise<void>;
  /**
   * Asked before each post is claimed: false stops the fan-out (this process lost the scheduler
   * lease), leaving what is unclaimed to the process that holds it now.
   */
  mayRun?: () => boolean;
}

export interface TickReport {
  sent: number;
  paused: number;
  failed: number;
  skipped: number;
}

const HOUR = 3_600_000;

/** A short, stable marker for a post (a Discord nonce is at most 25 characters). */
export function postMarker(channel: string, date: string): string {
  return `d${createHash('sha256').update(`${channel}|${date}`).digest('base64url').slice(0, 20)}`;
}

/**
 * Sends each subscription's "on this day" post once per local day. The minute clock calls `tick`;
 * due times are computed per subscription in its own zone (see due.ts). Each post is claimed
 * durably before it is sent and marked so a restart can tell whether it went out.
 */
export class DailyScheduler {
  private running: Promise<TickReport> | undefined;
  private readonly catchUpMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Deliveries left pending (by a previous run, or a failed look-up) are resolved at the next tick. */
  private recheckPending = true;

  /** See SchedulerOptions.mayRun; set when the process joins a fleet. */
  mayRun: (() => boolean) | undefined;

  constructor(private readonly options: SchedulerOptions) {
    this.mayRun = options.mayRun;
    this.catchUpMs = options.catchUpMs ?? 6 * HOUR;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /** Looks for due posts and sends them; overlapping ticks share one run. */
  tick(): Promise<TickReport> {
    this.running ??= this.runTick().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** The next tick first resolves deliveries left pending (another process may have left them). */
  recheckPendingNextTick(): void {
    this.recheckPending = true;
  }

  /** Resolves when a tick in progress has finished. */
  async idle(): Promise<void> {
    await this.running;
  }

  private async runTick(): Promise<TickReport> {
    const now = this.options.now();
    const { daily, posters } = this.options;
    if (this.recheckPending) await this.recover();
    const report: TickReport = { sent: 0, paused: 0, failed: 0, skipped: 0 };
    const due: { sub: Subscription; date: string; delivery?: Delivery }[] = [];
    const todayIn = new Map<string, string>();
    const since = addDays(now.toISOString().slice(0, 10), -2);
    for (const { subscription: sub, deliveries } of await daily.subscriptions(since)) {
      if (sub.paused || !posters.has(sub.channel.platform)) continue;
      let today = todayIn.get(sub.timezone);
      if (!today) {
        today = localDate(now, sub.timezone);
        todayIn.set(sub.timezone, today);
      }
      for (const date of [addDays(today, -1), today]) {
        if (!postsOn(date, sub.days)) continue;
        const at = this.dueAt(date, sub);
        if (now < at || at.getTime() < Date.parse(sub.createdAt)) continue;
        const delivery = deliveries[date];
        if (delivery && (delivery.status !== 'failed' || now.getTime() - at.getTime() > this.catchUpMs))
          continue;
        if (!delivery && now.getTime() - at.getTime() > this.catchUpMs) {
          await daily.recordDelivery(sub.channel, date, 'skipped', now, {
            note: 'missed by more than the catch-up window',
          });
          this.options.log.warn({ channel: channelKey(sub.channel), date }, 'daily post missed and skipped');
          report.skipped++;
          continue;
        }
        due.push({ sub, date, delivery });
      }
    }
    if (due.length === 0) return report;
    const mayRun = this.mayRun;
    const limit = pLimit(this.options.concurrency ?? 8);
    await Promise.all(
      due.map(({ sub, date, delivery }) =>
        limit(async () => {
          if (this.mayRun && !this.mayRun()) return;
          try {
            report[await this.deliver(sub, date, !delivery)]++;
          } catch (err) {
            // A claim or record that could not be saved may still reach the disk later, as
            // "pending": look at it again on the next tick rather than leave it to a restart.
            this.recheckPending = true;
            report.failed++;
            this.options.log.error(
              { err, channel: channelKey(sub.channel), date },
              'daily post not recorded',
            );
          }
        }),
      ),
    );
    if (mayRun && !mayRun())
      this.options.log.warn({ ...report, due: due.length }, 'daily fan-out stopped: scheduler lease lost');
    this.options.log.info({ ...report, due: due.length }, 'daily posts sent');
    return report;
  }

  private readonly dueCache = new Map<string, Date>();

  /** Due instants repeat for every subscription sharing a zone and time: compute each once. */
  private dueAt(date: string, sub: Subscription): Date {
    const key = `${date}|${sub.time}|${sub.timezone}`;
    let at = this.dueCache.get(key);
    if (!at) {
      if (this.dueCache.size > 20_000) this.dueCache.clear();
      at = dueInstant(date, parseHHMM(sub.time), sub.timezone);
      this.dueCache.set(key, at);
    }
    return at;
  }

  /** Claims, sends and records one post; `claim` is false when retrying a delivery already recorded. */
  private async deliver(sub: Subscription, date: string, claim: boolean): Promise<keyof TickReport> {
    const { daily } = this.options;
    const channel = sub.channel;
    const key = channelKey(channel);
    const now = () => this.options.now();
    if (claim) {
      // The pending record is the claim: durable before anything is sent.
      if (!(await daily.claimDelivery(channel, date, now()))) return 'skipped';
    } else await daily.recordDelivery(channel, date, 'pending', now());
    const poster = this.options.posters.get(channel.platform) as Poster;
    const delays = this.options.retryDelaysMs ?? [2000, 10_000, 30_000];
    for (let attempt = 0; ; attempt++) {
      try {
        const ref = await poster.post(channel, dailyPost(this.options.content, date), {
          marker: postMarker(key, date),
        });
        await daily.recordDelivery(channel, date, 'sent', now(), { messageId: ref.messageId });
        return 'sent';
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const paused = pauseFor(error, now());
        if (paused) {
          await daily.setPaused(channel, paused);
          await daily.recordDelivery(channel, date, 'failed', now(), { note: paused.reason });
          this.options.log.warn({ channel: key, date, error: message }, 'daily subscription paused');
          return 'paused';
        }
        // The post may have reached the channel even though the answer was lost: look before resending.
        const landed = await poster.findPost?.(channel, postMarker(key, date)).catch((err: unknown) => {
          this.options.log.warn({ err, channel: key, date }, 'could not look for the post before retrying');
          return undefined;
        });
        if (landed) {
          await daily.recordDelivery(channel, date, 'sent', now(), { messageId: landed.messageId });
          return 'sent';
        }
        const wait = error instanceof PostError && error.retryAfterMs ? error.retryAfterMs : delays[attempt];
        if (wait === undefined) {
          await daily.recordDelivery(channel, date, 'failed', now(), { note: message.slice(0, 200) });
          this.options.log.error({ channel: key, date, error: message }, 'daily post failed');
          return 'failed';
        }
        await this.sleep(wait);
      }
    }
  }

  /**
   * After a restart, a delivery still "pending" may or may not have gone out: look for its marked
   * message; send it only if absent and still within the catch-up window.
   */
  async recover(): Promise<number> {
    this.recheckPending = false;
    const now = this.options.now();
    const { daily } = this.options;
    let resolved = 0;
    for (const { channel, date, subscription: sub } of await daily.pending()) {
      if (this.mayRun && !this.mayRun()) {
        this.recheckPending = true;
        break;
      }
      const poster = sub && this.options.posters.get(channel.platform);
      if (!sub || !poster) continue;
      const key = channelKey(channel);
      resolved++;
      let found: Awaited<ReturnType<NonNullable<Poster['findPost']>>>;
      try {
        found = await poster.findPost?.(channel, postMarker(key, date));
      } catch (err) {
        // Unknown whether it went out: neither resend nor give up; look again at the next tick.
        this.recheckPending = true;
        this.options.log.warn(
          { err, channel: key, date },
          'could not check a pending daily post; will retry',
        );
        continue;
      }
      if (found) {
        await daily.recordDelivery(channel, date, 'sent', now, { messageId: found.messageId });
        this.options.log.info({ channel: key, date }, 'pending daily post was already sent');
        continue;
      }
      const at = this.dueAt(date, sub);
      if (now.getTime() - at.getTime() > this.catchUpMs) {
        await daily.recordDelivery(channel, date, 'skipped', now, {
          note: 'interrupted and too late to catch up',
        });
        this.options.log.warn({ channel: key, date }, 'pending daily post skipped: too late');
        continue;
      }
      this.options.log.info({ channel: key, date }, 'pending daily post not found: sending it now');
      await this.deliver(sub, date, false);
    }
    return resolved;
  }

  /** The channel's subscription, for status replies. */
  subscription(channel: ChannelRef): Promise<Subscription | undefined> {
    return this.options.daily.subscription(channel);
  }
}
