/** Dispute reports on the document engine: one feature file, reports by `platform:workspace:id`. */
import type { DisputesRepo } from '../disputes-port.ts';
import { userKey, workspaceKey } from '../keys.ts';
import { type Dispute, disputeSchema } from '../schema.ts';
import type { Doc } from './doc.ts';
import type { FeatureDocs } from './shapes.ts';

type Ws = { platform: Dispute['platform']; workspaceId: string };

export function disputeKey(report: Ws & { id: string }): string {
  return userKey(report, report.id);
}

const byTime = (a: Dispute, b: Dispute) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);

export class DocDisputes implements DisputesRepo {
  constructor(private readonly doc: Doc<FeatureDocs['disputes']>) {}

  private inWs(ws: Ws): Dispute[] {
    const prefix = `${workspaceKey(ws)}:`;
    return Object.entries(this.doc.read().disputes)
      .filter(([key]) => key.startsWith(prefix))
      .map(([, d]) => d);
  }

  file(report: Dispute, limit: { since: Date; max: number }): Promise<boolean> {
    const copy = disputeSchema.parse(structuredClone(report));
    return this.doc.update((data) => {
      const key = disputeKey(copy);
      if (data.disputes[key]) return false;
      if (copy.userId && countSince(this.inWs(copy), copy.userId, limit.since) >= limit.max) return false;
      data.disputes[key] = copy;
      return true;
    });
  }

  async filedSince(ws: Ws, userId: string, since: Date): Promise<number> {
    return countSince(this.inWs(ws), userId, since);
  }

  async open(ws: Ws): Promise<Dispute[]> {
    return this.inWs(ws)
      .filter((d) => d.status === 'open')
      .sort(byTime)
      .map((d) => structuredClone(d));
  }

  async list(statuses: readonly Dispute['status'][]): Promise<Dispute[]> {
    return Object.values(this.doc.read().disputes)
      .filter((d) => statuses.includes(d.status))
      .sort(byTime)
      .map((d) => structuredClone(d));
  }

  close(
    ws: Ws,
    questionId: string,
    outcome: { status: 'accepted' | 'rejected'; at: Date; note?: string },
  ): Promise<Dispute[]> {
    return this.doc.update((data) => {
      const closed: Dispute[] = [];
      for (const d of this.inWs(ws).sort(byTime)) {
        if (d.status !== 'open' || d.questionId !== questionId) continue;
        const next: Dispute = {
          ...d,
          status: outcome.status,
          closedAt: outcome.at.toISOString(),
          ...(outcome.note ? { note: outcome.note } : {}),
        };
        data.disputes[disputeKey(d)] = next;
        closed.push(structuredClone(next));
      }
      return closed;
    });
  }

  async unseen(ws: Ws, userId: string): Promise<Dispute[]> {
    return this.inWs(ws)
      .filter((d) => d.userId === userId && d.status !== 'open' && !d.seenAt)
      .sort(byTime)
      .map((d) => structuredClone(d));
  }

  markSeen(ws: Ws, userId: string, ids: readonly string[], at: Date): Promise<void> {
    return this.doc.update((data) => {
      for (const id of ids) {
        const d = data.disputes[disputeKey({ ...ws, id })];
        if (d && d.userId === userId && d.status !== 'open') d.seenAt = at.toISOString();
      }
    });
  }

  async learnerData(ws: Ws, userId: string): Promise<{ reports: Dispute[] }> {
    return {
      reports: this.inWs(ws)
        .filter((d) => d.userId === userId)
        .sort(byTime)
        .map((d) => structuredClone(d)),
    };
  }

  async forgetLearner(ws: Ws, userId: string): Promise<number> {
    if (!this.inWs(ws).some((d) => d.userId === userId)) return 0;
    return this.doc.update((data) => {
      let n = 0;
      for (const d of this.inWs(ws)) {
        if (d.userId !== userId) continue;
        const key = disputeKey(d);
        const { userId: _id, userName: _name, ...rest } = d;
        data.disputes[key] = rest;
        n++;
      }
      return n;
    });
  }
}

function countSince(reports: Dispute[], userId: string, since: Date): number {
  const from = since.getTime();
  return reports.filter((d) => d.userId === userId && Date.parse(d.createdAt) >= from).length;
}
