/**
 * The day-before reminder of each assignment: posted in its channel at the due time of day, one
 * calendar day before the due date, in the assignment's zone. The minute clock calls `tick`; the
 * claim is stored before the post (AssignmentsRepo.claimReminder), so it goes out at most once
 * across restarts and processes. An assignment set less than a day ahead gets no reminder: its card
 * was the announcement.
 */
import { DateTime } from 'luxon';
import type { ContentIndex } from '../content/index.ts';
import type { Logger } from '../core/log.ts';
import type { Posters } from '../core/posters.ts';
import { type Reply, reply } from '../core/reply.ts';
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
    let posted = 0;
    for (const a of await this.options.assignments.awaitingReminder(now)) {
      const at = reminderAt(a).getTime();
      if (now.getTime() < at || now.getTime() >= Date.parse(a.dueAt)) continue;
      if (Date.parse(a.createdAt) >= at) continue;
      const poster = this.options.posters.get(a.channel.platform);
      if (!poster) continue;
      if (!(await this.options.assignments.claimReminder(a.channel, a.id, now))) continue;
      try {
        await poster.post(a.channel, this.message(a, now));
        posted++;
      } catch (err) {
        this.options.log.warn({ err, assignment: a.id }, 'assignment reminder could not be posted');
      }
    }
    return posted;
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
