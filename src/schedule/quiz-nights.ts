import type { ContentIndex } from '../content/index.ts';
import type { Difficulty } from '../content/schema.ts';
import { type MentionValue, UserError } from '../core/command.ts';
import type { Logger } from '../core/log.ts';
import { channelKey } from '../core/platform.ts';
import type { Posters } from '../core/posters.ts';
import { type Reply, reply } from '../core/reply.ts';
import type { QuizService } from '../quiz/service.ts';
import { isTemporaryStoreFailure } from '../store/index.ts';
import type { NightsRepo, QuizNight, QuizNightRun } from '../store/ports.ts';
import { addDays, describeInstant, dueInstant, localDate, nextDue, parseHHMM, postsOn } from './due.ts';
import { pauseFor } from './pause.ts';

export const REMINDER_MS = 10 * 60_000;
/** A quiz night that could not start within this long after its time is skipped, never started late. */
export const LATE_START_MS = 15 * 60_000;

export interface QuizNightsOptions {
  nights: NightsRepo;
  posters: Posters;
  content: ContentIndex;
  quiz: QuizService;
  log: Logger;
  now: () => Date;
}

export const WEEKDAYS = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
] as const;

/**
 * Weekly quiz nights: a reminder ten minutes ahead (the one message that may ping a configured role
 * or user group), then the game starts by itself. Each step is claimed durably per local date, so
 * a restart never repeats or loses one; a start missed by more than 15 minutes is skipped.
 */
export class QuizNights {
  /**
   * Runs marked started whose game could not be saved ("channel:id|date"): started again on the
   * next tick, within the late-start window, instead of being lost.
   */
  private readonly unsaved = new Set<string>();

  constructor(private readonly options: QuizNightsOptions) {}

  /** When a quiz night starts next, at or after `now`. */
  nextStart(night: QuizNight, now: Date): Date {
    return nextDue(now, parseHHMM(night.time), night.timezone, night.weekday);
  }

  describe(night: QuizNight, now: Date): string {
    const what = [
      `${night.questions} questions`,
      night.topic ? `on ${this.options.content.topic(night.topic)?.title ?? night.topic}` : '',
      night.difficulty ? `(${night.difficulty})` : '',
    ]
      .filter(Boolean)
      .join(' ')
      .concat(`, ${night.seconds} s each`);
    const lines = [
      `**${night.id}**: ${WEEKDAYS[night.weekday - 1]}s at ${night.time} ${night.timezone}, ${what}${night.ping ? `, reminding @${night.ping.label}` : ''}.`,
      night.paused
        ? `  Paused: ${night.paused.reason}.`
        : `  Next: ${describeInstant(this.nextStart(night, now), night.timezone)}.`,
    ];
    const skipped = Object.entries(night.runs)
      .filter(([, r]) => r.skipped)
      .sort(([a], [b]) => b.localeCompare(a))[0];
    if (skipped) lines.push(`  Skipped on ${skipped[0]}: ${skipped[1].skipped}.`);
    return lines.join('\n');
  }

  /** Called every minute: sends due reminders and starts due games. */
  async tick(): Promise<void> {
    const now = this.options.now();
    for (const night of await this.options.nights.all()) {
      if (night.paused || !this.options.posters.has(night.channel.platform)) continue;
      const key = QuizNights.key(night.channel, night.id);
      const today = localDate(now, night.timezone);
      for (const date of [addDays(today, -1), today, addDays(today, 1)]) {
        if (!postsOn(date, night.weekday)) continue;
        const startAt = dueInstant(date, parseHHMM(night.time), night.timezone).getTime();
        if (startAt < Date.parse(night.createdAt)) continue;
        try {
          await this.step(night, date, startAt, now.getTime());
        } catch (error) {
          this.options.log.error({ err: error, night: key, date }, 'quiz night step failed');
        }
      }
    }
  }

  private async step(night: QuizNight, date: string, startAt: number, now: number): Promise<void> {
    const key = QuizNights.key(night.channel, night.id);
    const run = night.runs[date] ?? {};
    const retry = this.unsaved.has(`${key}|${date}`);
    if ((run.started && !retry) || run.skipped) return;
    if (now >= startAt - REMINDER_MS && now < startAt && !run.reminded) {
      if (!(await this.mark(night, date, 'reminded'))) return;
      await this.post(night, this.reminder(night, startAt));
      return;
    }
    if (now < startAt) return;
    if (now - startAt > LATE_START_MS) {
      await this.mark(
        night,
        date,
        'skipped',
        retry
          ? 'the game could not be saved in time'
          : `missed by ${Math.round((now - startAt) / 60_000)} minutes (the bot was not running)`,
        retry,
      );
      this.unsaved.delete(`${key}|${date}`);
      this.options.log.warn({ night: key, date }, 'quiz night skipped: too late to start');
      return;
    }
    if (await this.options.quiz.game(night.channel)) {
      if (!(await this.mark(night, date, 'skipped', 'a game was already running in the channel', retry)))
        return;
      this.unsaved.delete(`${key}|${date}`);
      await this.post(
        night,
        reply({
          text: `The quiz night scheduled for ${night.time} ${night.timezone} (${night.id}) is skipped: a game is already running here.`,
        }),
      );
      return;
    }
    if (!retry && !(await this.mark(night, date, 'started'))) return;
    try {
      const intro = await this.options.quiz.start({
        actor: {
          user: {
            platform: night.channel.platform,
            id: night.createdBy.id,
            displayName: night.createdBy.displayName,
          },
          channel: night.channel,
          isAdmin: false,
          isHost: true,
          inServer: true,
        },
        topic: night.topic,
        difficulty: night.difficulty as Difficulty | undefined,
        questions: night.questions,
        seconds: night.seconds,
        mode: 'race',
        // The library may have changed since the night was set up: play what there is.
        upTo: true,
      });
      this.unsaved.delete(`${key}|${date}`);
      await this.post(night, reply({ title: 'Quiz night!', text: intro.text }));
      this.options.log.info({ night: key, date }, 'quiz night started');
    } catch (error) {
      if (isTemporaryStoreFailure(error)) {
        this.unsaved.add(`${key}|${date}`);
        this.options.log.warn(
          { err: error, night: key, date },
          'quiz night game not saved; trying next minute',
        );
        return;
      }
      this.unsaved.delete(`${key}|${date}`);
      const reason = error instanceof UserError ? error.message : 'the game could not start';
      await this.mark(night, date, 'skipped', reason, true);
      this.options.log.warn({ err: error, night: key, date }, 'quiz night could not start');
    }
  }

  /** The reminder: the only message that pings, and only the configured role or group. */
  private reminder(night: QuizNight, startAt: number): Reply {
    const topic = night.topic ? this.options.content.topic(night.topic)?.title : undefined;
    return reply({
      title: 'Quiz night in 10 minutes',
      text: `${night.questions} questions${topic ? ` on *${topic}*` : ''}, ${night.seconds} seconds each. Get ready to click A, B, C or D!`,
      countdown: { endsAt: startAt, label: 'Starts' },
      mention: night.ping ? { id: night.ping.id, label: night.ping.label } : undefined,
    });
  }

  /** Records a step of a night's run durably; false if it was already recorded (another run has it). */
  private mark(
    night: QuizNight,
    date: string,
    step: keyof QuizNightRun,
    note?: string,
    force = false,
  ): Promise<boolean> {
    const value = note ?? this.options.now().toISOString();
    return this.options.nights.markRun(night.channel, night.id, date, step, value, force);
  }

  private async post(night: QuizNight, message: Reply): Promise<void> {
    const poster = this.options.posters.get(night.channel.platform);
    if (!poster) return;
    try {
      await poster.post(night.channel, message);
    } catch (error) {
      const paused = pauseFor(error, this.options.now());
      if (!paused) throw error;
      await this.options.nights.setPaused(night.channel, night.id, paused);
      this.options.log.warn(
        { night: QuizNights.key(night.channel, night.id), reason: paused.reason },
        'quiz night paused',
      );
    }
  }

  /** The key a channel's quiz night is stored under. */
  static key(channel: QuizNight['channel'], id: string): string {
    return `${channelKey(channel)}:${id}`;
  }
}

export type { MentionValue };
