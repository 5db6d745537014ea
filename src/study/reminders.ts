/**
 * Review reminders: a private message at the learner's chosen local time on days when cards are
 * due, at most once per local day. The minute clock calls `tick`; due minutes are computed in each
 * learner's zone as daily posts do (src/schedule/due.ts), so a DST change neither skips nor repeats
 * a day, and a minute missed while the bot was down is caught up within the catch-up window.
 */
import { DateTime } from 'luxon';
import pLimit from 'p-limit';
import type { Logger } from '../core/log.ts';
import { type Platform, PostError, type Poster, workspaceKey } from '../core/platform.ts';
import type { Posters } from '../core/posters.ts';
import { type Reply, reply } from '../core/reply.ts';
import { addDays, dueInstant, localDate, parseHHMM } from '../schedule/due.ts';
import type { StudyReminder, StudyRepo, WorkspaceRef } from '../store/ports.ts';
import type { StudyService } from './service.ts';

const HOUR = 3_600_000;

/** Why a reminder paused, as /progress shows it ("Reminders paused: <reason>. Turn them on..."). */
export const CLOSED_REASONS: Record<Platform, string> = {
  discord: 'Discord does not let thawbot message you (you may have closed DMs from this server)',
  slack: 'Slack does not let thawbot message you (direct messages with the app may be turned off)',
  console: 'thawbot could not send you a private message here',
};

export interface ReviewRemindersOptions {
  study: StudyRepo;
  service: Pick<StudyService, 'dueCount'>;
  posters: Posters;
  log: Logger;
  now: () => Date;
  /** A reminder missed by less than this (downtime) is sent late; an older one is dropped. */
  catchUpMs?: number;
  /** Reminders sent at once. */
  concurrency?: number;
}

export interface ReminderReport {
  sent: number;
  /** DMs refused for good ('closed'): the reminder is paused with the reason. */
  paused: number;
  /** Failed for now; tried again at the next tick while still within the catch-up window. */
  failed: number;
  /** Reminder time reached on a day with nothing due: no message. */
  nothingDue: number;
}

interface DueReminder {
  ws: WorkspaceRef;
  userId: string;
  reminder: StudyReminder;
  date: string;
  key: string;
}

/** The private message: how many cards, and where to review them. Plain text, no mentions. */
export function reminderMessage(cards: number, place: string | undefined): Reply {
  const where = place?.trim() ? place.trim() : 'this server';
  return reply({
    text: `You have ${cards} ${cards === 1 ? 'card' : 'cards'} to review in ${where}. Type /review start there.`,
  });
}

export class ReviewReminders {
  private running: Promise<ReminderReport> | undefined;
  private readonly catchUpMs: number;
  /** Learner-days settled in this process (sent, claimed elsewhere, nothing due): not looked at again. */
  private readonly settled = new Map<string, string>();
  /** Learner-days this process claimed but could not deliver: retried without claiming again. */
  private readonly claimed = new Map<string, string>();

  constructor(private readonly options: ReviewRemindersOptions) {
    this.catchUpMs = options.catchUpMs ?? 6 * HOUR;
  }

  /** Sends the reminders that are due; overlapping ticks share one run. */
  tick(): Promise<ReminderReport> {
    this.running ??= this.runTick().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async runTick(): Promise<ReminderReport> {
    const now = this.options.now();
    const report: ReminderReport = { sent: 0, paused: 0, failed: 0, nothingDue: 0 };
    this.forgetBefore(addDays(now.toISOString().slice(0, 10), -3));
    const due: DueReminder[] = [];
    for (const { ws, userId, reminder } of await this.options.study.reminders()) {
      if (reminder.paused || !this.options.posters.get(ws.platform)?.dm) continue;
      const today = localDate(now, reminder.timezone);
      for (const date of [addDays(today, -1), today]) {
        const at = dueInstant(date, parseHHMM(reminder.time), reminder.timezone);
        const key = `${workspaceKey(ws)}|${userId}|${date}`;
        if (now < at || this.settled.has(key)) continue;
        if (now.getTime() - at.getTime() > this.catchUpMs) {
          if (this.claimed.delete(key))
            this.options.log.warn(
              { workspace: workspaceKey(ws), date },
              'review reminder not delivered in time',
            );
          continue;
        }
        due.push({ ws, userId, reminder, date, key });
      }
    }
    if (due.length === 0) return report;
    const limit = pLimit(this.options.concurrency ?? 8);
    await Promise.all(
      due.map((item) =>
        limit(async () => {
          try {
            const outcome = await this.remind(item, now);
            if (outcome) report[outcome]++;
          } catch (err) {
            report.failed++;
            this.options.log.error(
              { err, workspace: workspaceKey(item.ws), date: item.date },
              'review reminder failed',
            );
          }
        }),
      ),
    );
    if (report.sent + report.paused + report.failed > 0)
      this.options.log.info({ ...report }, 'review reminders sent');
    return report;
  }

  private async remind(item: DueReminder, now: Date): Promise<keyof ReminderReport | undefined> {
    const { study, service, log } = this.options;
    const { ws, userId, reminder, date, key } = item;
    // Cards due by the end of that local day: a card answered in the evening is due the next
    // evening, and a morning reminder should still count it.
    const endOfDay = DateTime.fromISO(date, { zone: reminder.timezone }).endOf('day').toJSDate();
    const cards = await service.dueCount(ws, userId, endOfDay);
    if (cards === 0) {
      this.settle(key, date);
      return 'nothingDue';
    }
    if (!this.claimed.has(key)) {
      // The claim is durable before anything is sent: at most one reminder a day, across restarts
      // and processes. A crash between claim and send loses that day's reminder, never doubles it.
      if (!(await study.claimReminder(ws, userId, date, now))) {
        this.settle(key, date);
        return undefined;
      }
      this.claimed.set(key, date);
    }
    const poster = this.options.posters.get(ws.platform) as Poster & Required<Pick<Poster, 'dm'>>;
    try {
      const place = await poster.workspaceName?.(ws).catch(() => undefined);
      await poster.dm({ ...ws, id: userId }, reminderMessage(cards, place));
      this.settle(key, date);
      return 'sent';
    } catch (error) {
      if (error instanceof PostError && error.kind === 'closed') {
        const reason = CLOSED_REASONS[ws.platform];
        await study.changeProfile(ws, userId, (p) => {
          if (p.reminder) p.reminder.paused = { reason, at: now.toISOString() };
        });
        this.settle(key, date);
        log.warn({ workspace: workspaceKey(ws), date }, 'review reminder paused: private messages closed');
        return 'paused';
      }
      log.warn(
        { workspace: workspaceKey(ws), date, error: error instanceof Error ? error.message : String(error) },
        'review reminder not sent; will retry',
      );
      return 'failed';
    }
  }

  private settle(key: string, date: string): void {
    this.claimed.delete(key);
    this.settled.set(key, date);
  }

  /** Keeps the in-memory marks small: days before `date` can no longer be due. */
  private forgetBefore(date: string): void {
    for (const map of [this.settled, this.claimed])
      for (const [key, day] of map) if (day < date) map.delete(key);
  }
}
