/**
 * The day-before reminder of each assignment: posted in its channel at the due time of day, one
 * calendar day before the due date, in the assignment's zone. The minute clock calls `tick`. As with
 * daily posts, the claim is stored before the post (AssignmentsRepo.claimReminder) and the post
 * carries a marker: a claim cut off before it was known to be sent (a crash, a failed post) is
 * looked for by its marker at the next tick and sent only if it is not there, so the reminder goes
 * out once across restarts, failures and processes. An assignment set less than a day ahead gets no
 * reminder: its card was the announcement.
 */
import { DateTime } from 'luxon';
import type { ContentIndex } from '../content/index.ts';
import type { Logger } from '../core/log.ts';
import { channelKey, type Poster } from '../core/platform.ts';
import type { Posters } from '../core/posters.ts';
import { type Reply, reply } from '../core/reply.ts';
import { pauseFor } from '../schedule/pause.ts';
import { postMarker } from '../schedule/scheduler.ts';
import type { Assignment, AssignmentsRepo } from '../store/ports.ts';
import { reminderAt } from './due.ts';

export interface AssignmentRemindersOptions {
  assignments: AssignmentsRepo;
  posters: Posters;
  content: ContentIndex;
  log: Logger;
  now: () => Date;
}

export class AssignmentReminders {
  constructor(private readonly options: AssignmentRemindersOptions) {}

  /** Posts every reminder whose time has come; returns how many were posted. */
  async tick(): Promise<number> {
    const now = this.options.now();
    const { assignments, posters } = this.options;
    let posted = 0;
    // Claims left unsent first: they were due before anything new.
    for (const a of await assignments.unsentReminders(now)) {
      const poster = posters.get(a.channel.platform);
      if (!poster) continue;
      const found = await poster.findPost?.(a.channel, markerOf(a)).catch((err: unknown) => {
        this.options.log.warn(
          { err, assignment: a.id },
          'could not look for an assignment reminder; will retry',
        );
        return null;
      });
      if (found === null) continue;
      if (found) await assignments.reminderSent(a.channel, a.id, now);
      else if (await this.send(a, now, poster)) posted++;
    }
    for (const a of await assignments.awaitingReminder(now)) {
      const at = reminderAt(a).getTime();
      if (now.getTime() < at || now.getTime() >= Date.parse(a.dueAt)) continue;
      if (Date.parse(a.createdAt) >= at) continue;
      const poster = posters.get(a.channel.platform);
      if (!poster) continue;
      if (!(await assignments.claimReminder(a.channel, a.id, now))) continue;
      if (await this.send(a, now, poster)) posted++;
    }
    return posted;
  }

  /**
   * Posts a claimed reminder and notes it sent. A failure that waiting can mend (a network error, a
   * rate limit, Discord down) leaves the claim unsent, for the next tick; one it cannot (the rule of
   * scheduled posts, `pauseFor`: channel gone, permission lost, token revoked) is logged and given up.
   */
  private async send(a: Assignment, now: Date, poster: Poster): Promise<boolean> {
    try {
      await poster.post(a.channel, this.message(a, now), { marker: markerOf(a) });
    } catch (err) {
      const lasting = pauseFor(err, now) !== undefined;
      this.options.log.warn(
        { err, assignment: a.id },
        lasting
          ? 'assignment reminder could not be posted; giving it up'
          : 'assignment reminder could not be posted; will retry',
      );
      if (lasting) await this.options.assignments.reminderSent(a.channel, a.id, now);
      return false;
    }
    await this.options.assignments.reminderSent(a.channel, a.id, now);
    return true;
  }

  /**
   * The reminder: it pings only the role or user group the host chose, nobody otherwise. Sent late
   * (the bot was down at the time), it says "today" once the due date has come.
   */
  message(a: Assignment, now: Date): Reply {
    const topic = this.options.content.topic(a.topic)?.title ?? a.topic;
    const due = DateTime.fromJSDate(new Date(a.dueAt), { zone: a.timezone });
    const day =
      DateTime.fromJSDate(now, { zone: a.timezone }).toISODate() === a.dueDate ? 'today' : 'tomorrow';
    return reply({
      title: `Assignment ${a.id} is due ${day}`,
      text: `*${topic}*, ${a.questionIds.length} questions: due ${day}, ${due.toFormat('cccc d LLLL')} at ${due.toFormat('HH:mm')} (${a.timezone}). Press **Start** on the assignment card above, or here, to do it or carry on.`,
      actions: [{ id: `assign:s:${a.id}`, label: 'Start', style: 'primary' }],
      ...(a.ping ? { mention: { id: a.ping.id, label: a.ping.label } } : {}),
    });
  }
}

/** The reminder's marker, made as daily posts' are: one reminder per assignment. */
function markerOf(a: Assignment): string {
  return postMarker(channelKey(a.channel), `assignment:${a.id}`);
}
