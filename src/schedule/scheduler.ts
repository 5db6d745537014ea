import { createHash } from 'node:crypto';
import cron, { type ScheduledTask } from 'node-cron';
import pLimit from 'p-limit';
import type { ContentIndex } from '../content/index.ts';
import type { Logger } from '../core/log.ts';
import { channelKey, type Platform, PostError, type Poster } from '../core/platform.ts';
import { claimDelivery, recordDelivery } from '../store/deliveries.ts';
import type { Store, Subscription } from '../store/types.ts';
import { addDays, dueInstant, localDate, postsOn } from './due.ts';
import { dailyPost } from './post.ts';

export interface SchedulerOptions {
  store: Store;
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
 * Sends each subscription's "on this day" post once per local day. node-cron only ticks once a
 * minute; due times are computed per subscription in its own zone (see due.ts). Each post is
 * claimed durably before it is sent and marked so a restart can tell whether it went out.
 */
export class DailyScheduler {
  private readonly posters = new Map<Platform, Poster>();
  private task: ScheduledTask | undefined;
  private running: Promise<TickReport> | undefined;
  lastTick: Date | undefined;
  private readonly catchUpMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: SchedulerOptions) {
    this.catchUpMs = options.catchUpMs ?? 6 * HOUR;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  registerPoster(platform: Platform, poster: Poster): void {
    this.posters.set(platform, poster);
  }

  poster(platform: Platform): Poster | undefined {
    return this.posters.get(platform);
  }

  /** Deliveries left pending (by a previous run, or a failed look-up) are resolved at the next tick. */
  private recheckPending = true;

  /** Resolves deliveries left pending by a previous run, then ticks every minute. */
  async start(): Promise<void> {
    await this.recover();
    this.task = cron.schedule('* * * * *', () => {
      void this.tick().catch((err: unknown) => this.options.log.error({ err }, 'daily tick failed'));
    });
    void this.tick().catch((err: unknown) => this.options.log.error({ err }, 'daily tick failed'));
  }

  async stop(): Promise<void> {
    await this.task?.stop();
    this.task = undefined;
    await this.running;
  }

  private readonly jobs: (() => Promise<void>)[] = [];

  /** Runs `job` on every tick too (quiz nights share the minute tick). */
  alsoOnTick(job: () => Promise<void>): void {
    this.jobs.push(job);
  }

  /** Looks for due posts and sends them; overlapping ticks share one run. */
  tick(): Promise<TickReport> {
    this.running ??= this.runTick().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async runTick(): Promise<TickReport> {
    const now = this.options.now();
    this.lastTick = now;
    for (const job of this.jobs)
      await job().catch((err: unknown) => this.options.log.error({ err }, 'tick job failed'));
    if (this.recheckPending) await this.recover();
    const report: TickReport = { sent: 0, paused: 0, failed: 0, skipped: 0 };
    const due: { key: string; sub: Subscription; date: string }[] = [];
    const data = this.options.store.read();
    const todayIn = new Map<string, string>();
    for (const [key, sub] of Object.entries(data.subscriptions)) {
      if (sub.paused || !this.posters.has(sub.channel.platform)) continue;
      let today = todayIn.get(sub.timezone);
      if (!today) {
        today = localDate(now, sub.timezone);
        todayIn.set(sub.timezone, today);
      }
      for (const date of [addDays(today, -1), today]) {
        if (!postsOn(date, sub.days)) continue;
        const at = this.dueAt(date, sub);
        if (now < at || at.getTime() < Date.parse(sub.createdAt)) continue;
        const delivery = data.deliveries[key]?.[date];
        if (delivery && (delivery.status !== 'failed' || now.getTime() - at.getTime() > this.catchUpMs))
          continue;
        if (!delivery && now.getTime() - at.getTime() > this.catchUpMs) {
          await recordDelivery(this.options.store, sub.channel, date, 'skipped', now, {
            note: 'missed by more than the catch-up window',
          });
          this.options.log.warn({ channel: key, date }, 'daily post missed and skipped');
          report.skipped++;
          continue;
        }
        due.push({ key, sub, date });
      }
    }
    if (due.length === 0) return report;
    const limit = pLimit(this.options.concurrency ?? 8);
    await Promise.all(
      due.map(({ key, sub, date }) =>
        limit(async () => {
          const outcome = await this.deliver(key, sub, date, true);
          report[outcome]++;
        }),
      ),
    );
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

  /** Claims, sends and records one post; `claim` is false when recovering a claim we already hold. */
  private async deliver(
    key: string,
    sub: Subscription,
    date: string,
    claim: boolean,
  ): Promise<keyof TickReport> {
    const { store } = this.options;
    const now = () => this.options.now();
    const existing = store.read().deliveries[key]?.[date];
    if (claim && !existing) {
      // The pending record is the claim: durable before anything is sent.
      if (!(await claimDelivery(store, sub.channel, date, now()))) return 'skipped';
    } else await recordDelivery(store, sub.channel, date, 'pending', now());
    const poster = this.posters.get(sub.channel.platform) as Poster;
    const delays = this.options.retryDelaysMs ?? [2000, 10_000, 30_000];
    for (let attempt = 0; ; attempt++) {
      try {
        const ref = await poster.post(sub.channel, dailyPost(this.options.content, date), {
          marker: postMarker(key, date),
        });
        await recordDelivery(store, sub.channel, date, 'sent', now(), { messageId: ref.messageId });
        return 'sent';
      } catch (error) {
        const kind = error instanceof PostError ? error.kind : 'transient';
        const message = error instanceof Error ? error.message : String(error);
        if (kind === 'gone' || kind === 'forbidden' || kind === 'auth') {
          const reason = PAUSE_REASONS[kind];
          await store.update((data) => {
            const live = data.subscriptions[key];
            if (live) live.paused = { reason, at: now().toISOString(), byUser: false };
          });
          await recordDelivery(store, sub.channel, date, 'failed', now(), { note: reason });
          this.options.log.warn({ channel: key, date, kind, error: message }, 'daily subscription paused');
          return 'paused';
        }
        // The post may have reached the channel even though the answer was lost: look before resending.
        const landed = await poster.findPost?.(sub.channel, postMarker(key, date)).catch(() => undefined);
        if (landed) {
          await recordDelivery(store, sub.channel, date, 'sent', now(), { messageId: landed.messageId });
          return 'sent';
        }
        const wait = error instanceof PostError && error.retryAfterMs ? error.retryAfterMs : delays[attempt];
        if (wait === undefined) {
          await recordDelivery(store, sub.channel, date, 'failed', now(), { note: message.slice(0, 200) });
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
    let resolved = 0;
    const data = this.options.store.read();
    for (const [key, days] of Object.entries(data.deliveries)) {
      for (const [date, delivery] of Object.entries(days)) {
        if (delivery.status !== 'pending') continue;
        const sub = data.subscriptions[key];
        const poster = sub && this.posters.get(sub.channel.platform);
        if (!sub || !poster) continue;
        resolved++;
        let found: Awaited<ReturnType<NonNullable<Poster['findPost']>>>;
        try {
          found = await poster.findPost?.(sub.channel, postMarker(key, date));
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
          await recordDelivery(this.options.store, sub.channel, date, 'sent', now, {
            messageId: found.messageId,
          });
          this.options.log.info({ channel: key, date }, 'pending daily post was already sent');
          continue;
        }
        const at = this.dueAt(date, sub);
        if (now.getTime() - at.getTime() > this.catchUpMs) {
          await recordDelivery(this.options.store, sub.channel, date, 'skipped', now, {
            note: 'interrupted and too late to catch up',
          });
          this.options.log.warn({ channel: key, date }, 'pending daily post skipped: too late');
          continue;
        }
        this.options.log.info({ channel: key, date }, 'pending daily post not found: sending it now');
        await this.deliver(key, sub, date, false);
      }
    }
    return resolved;
  }

  /** Subscriptions and a channel's key, for status replies. */
  subscription(channel: Parameters<typeof channelKey>[0]): Subscription | undefined {
    return this.options.store.read().subscriptions[channelKey(channel)];
  }
}

/** Why a post that failed for good pauses its subscription or quiz night, as shown to hosts. */
export const PAUSE_REASONS = {
  gone: 'the channel no longer exists or the bot was removed from it',
  forbidden: 'the bot lost permission to post in this channel',
  auth: 'the bot token was revoked or expired',
} as const;

export function parseHHMM(time: string): { hour: number; minute: number } {
  const [h, m] = time.split(':').map(Number);
  return { hour: h ?? 0, minute: m ?? 0 };
}
