/** The disputes repository's contract (part of the storage port, re-exported by ports.ts). */
import type { Dispute } from './schema.ts';

interface Ws {
  platform: Dispute['platform'];
  workspaceId: string;
}

/** Reports of problems with questions, per workspace. */
export interface DisputesRepo {
  /**
   * Files a report unless its reporter filed `max` or more in the same workspace since `since`:
   * the count and the insert are one atomic step, so a flood cannot slip past the limit. True when filed.
   */
  file(report: Dispute, limit: { since: Date; max: number }): Promise<boolean>;
  /** How many reports the user filed in the workspace since `since`. */
  filedSince(ws: Ws, userId: string, since: Date): Promise<number>;
  /** The workspace's open reports, oldest first. */
  open(ws: Ws): Promise<Dispute[]>;
  /** Every report with one of `statuses`, in every workspace, oldest first (content maintainers' report). */
  list(statuses: readonly Dispute['status'][]): Promise<Dispute[]>;
  /**
   * Closes every open report of `questionId` in the workspace with the outcome; returns the reports
   * closed (none when another host closed them first).
   */
  close(
    ws: Ws,
    questionId: string,
    outcome: { status: 'accepted' | 'rejected'; at: Date; note?: string },
  ): Promise<Dispute[]>;
  /** Closed reports of the user whose outcome they have not seen, oldest first. */
  unseen(ws: Ws, userId: string): Promise<Dispute[]>;
  /** Notes that the user has seen the outcome of these reports. */
  markSeen(ws: Ws, userId: string, ids: readonly string[], at: Date): Promise<void>;
  /** Everything held about the user in the workspace: their reports (plain JSON). */
  learnerData(ws: Ws, userId: string): Promise<{ reports: Dispute[] }>;
  /** Anonymises the user's reports (user id and name removed); returns how many. Reports stay. */
  forgetLearner(ws: Ws, userId: string): Promise<number>;
}
