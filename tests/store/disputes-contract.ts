/** The disputes repository's part of the storage contract (disputes-port.ts), the same on every engine. */
import { describe, expect, it } from 'vitest';
import type { Dispute, Storage, WorkspaceRef } from '../../src/store/ports.ts';
import { DEFAULT_RETENTION } from '../../src/store/retention.ts';

const WS: WorkspaceRef = { platform: 'discord', workspaceId: '1' };
const WS12: WorkspaceRef = { platform: 'discord', workspaceId: '12' };
const DAY = { since: new Date('2026-03-10T00:00:00.000Z'), max: 10 };

export function report(id: string, over: Partial<Dispute> = {}): Dispute {
  return {
    id,
    platform: 'discord',
    workspaceId: '1',
    channelId: 'c1',
    questionId: 'q1',
    reason: 'wrong-answer',
    text: 'The year is 1956, not 1955.',
    userId: 'u1',
    userName: 'Maria',
    createdAt: '2026-03-10T10:00:00.000Z',
    status: 'open',
    ...over,
  };
}

export function disputesContract(get: () => { s: Storage; reopen?: () => Promise<Storage> }): void {
  describe('disputes', () => {
    it('files reports and lists the open ones of a workspace, oldest first, as stored', async () => {
      const { s } = get();
      const b = report('b', { createdAt: '2026-03-10T11:00:00.000Z', questionId: 'q2', reason: 'typo' });
      const a = report('a', { userId: 'u2', userName: 'Ivan', text: '@everyone <@123> **bold**' });
      expect(await s.disputes.file(b, DAY)).toBe(true);
      expect(await s.disputes.file(a, DAY)).toBe(true);
      expect(await s.disputes.file(report('c', { workspaceId: '12' }), DAY)).toBe(true);
      expect(await s.disputes.file(a, DAY)).toBe(false); // same id again
      expect(await s.disputes.open(WS)).toEqual([a, b]);
      expect((await s.disputes.open(WS12)).map((d) => d.id)).toEqual(['c']);
      expect(await s.disputes.filedSince(WS, 'u1', DAY.since)).toBe(1);
      expect(await s.disputes.filedSince(WS, 'u1', new Date('2026-03-10T10:30:00.000Z'))).toBe(1);
      expect(await s.disputes.filedSince(WS, 'u1', new Date('2026-03-10T11:30:00.000Z'))).toBe(0);
    });

    it('refuses a report past the limit, counting only the same person, workspace and window', async () => {
      const { s } = get();
      const limit = { since: DAY.since, max: 3 };
      await s.disputes.file(report('old', { createdAt: '2026-03-09T23:00:00.000Z' }), limit);
      for (const id of ['1', '2', '3'])
        expect(await s.disputes.file(report(id, { createdAt: `2026-03-10T1${id}:00:00.000Z` }), limit)).toBe(
          true,
        );
      expect(await s.disputes.file(report('4', { createdAt: '2026-03-10T15:00:00.000Z' }), limit)).toBe(
        false,
      );
      expect(await s.disputes.file(report('5', { userId: 'u2' }), limit)).toBe(true);
      expect(await s.disputes.file(report('6', { workspaceId: '12' }), limit)).toBe(true);
      // Concurrent filings by one person: exactly the limit get in.
      const many = await Promise.all(
        Array.from({ length: 6 }, (_, i) => s.disputes.file(report(`p${i}`, { userId: 'u9' }), limit)),
      );
      expect(many.filter(Boolean)).toHaveLength(3);
      expect((await s.disputes.open(WS)).map((d) => d.id)).not.toContain('4');
    });

    it('closes all open reports of one question in one workspace with the outcome, once', async () => {
      const { s } = get();
      await s.disputes.file(report('a'), DAY);
      await s.disputes.file(report('b', { userId: 'u2', createdAt: '2026-03-10T10:05:00.000Z' }), DAY);
      await s.disputes.file(report('c', { questionId: 'q2' }), DAY);
      await s.disputes.file(report('d', { workspaceId: '12' }), DAY);
      const at = new Date('2026-03-11T09:00:00.000Z');
      const closed = await s.disputes.close(WS, 'q1', {
        status: 'rejected',
        at,
        note: 'The source says 1956.',
      });
      expect(closed.map((d) => [d.id, d.status, d.closedAt, d.note])).toEqual([
        ['a', 'rejected', at.toISOString(), 'The source says 1956.'],
        ['b', 'rejected', at.toISOString(), 'The source says 1956.'],
      ]);
      expect(await s.disputes.close(WS, 'q1', { status: 'accepted', at })).toEqual([]);
      expect((await s.disputes.open(WS)).map((d) => d.id)).toEqual(['c']);
      expect((await s.disputes.open(WS12)).map((d) => d.id)).toEqual(['d']);
      expect((await s.disputes.list(['rejected'])).map((d) => d.id)).toEqual(['a', 'b']);
      expect((await s.disputes.list(['open', 'accepted'])).map((d) => d.id).sort()).toEqual(['c', 'd']);
    });

    it('shows a reporter each outcome until it is marked seen', async () => {
      const { s } = get();
      await s.disputes.file(report('a'), DAY);
      await s.disputes.file(report('b', { questionId: 'q2' }), DAY);
      await s.disputes.close(WS, 'q1', { status: 'accepted', at: new Date('2026-03-11T09:00:00.000Z') });
      const unseen = await s.disputes.unseen(WS, 'u1');
      expect(unseen.map((d) => [d.id, d.status])).toEqual([['a', 'accepted']]);
      expect(await s.disputes.unseen(WS, 'u2')).toEqual([]);
      await s.disputes.markSeen(WS, 'u1', ['a', 'b'], new Date('2026-03-12T09:00:00.000Z'));
      expect(await s.disputes.unseen(WS, 'u1')).toEqual([]);
      const data = await s.disputes.learnerData(WS, 'u1');
      expect(data.reports.map((d) => [d.id, d.seenAt])).toEqual([
        ['a', '2026-03-12T09:00:00.000Z'],
        ['b', undefined],
      ]);
    });

    it("forgetting a learner anonymises their reports and keeps them; others' stay as they were", async () => {
      const { s } = get();
      await s.disputes.file(report('a'), DAY);
      await s.disputes.file(report('b', { userId: 'u2', userName: 'Ivan' }), DAY);
      await s.disputes.file(report('c', { workspaceId: '12' }), DAY);
      expect(await s.disputes.forgetLearner(WS, 'u1')).toBe(1);
      expect(await s.disputes.learnerData(WS, 'u1')).toEqual({ reports: [] });
      const open = await s.disputes.open(WS);
      const { userId: _u, userName: _n, ...anonymous } = report('a');
      expect(open).toEqual([anonymous, report('b', { userId: 'u2', userName: 'Ivan' })]);
      expect((await s.disputes.learnerData(WS12, 'u1')).reports.map((d) => d.id)).toEqual(['c']);
      expect(await s.disputes.forgetLearner(WS, 'u1')).toBe(0);
    });

    it('counts in the workspace footprint, goes with the workspace, and closed ones expire', async () => {
      const { s } = get();
      await s.disputes.file(report('a'), DAY);
      await s.disputes.file(report('b', { questionId: 'q2' }), DAY);
      await s.disputes.file(report('c', { workspaceId: '12' }), DAY);
      await s.disputes.close(WS, 'q2', { status: 'rejected', at: new Date('2026-03-11T00:00:00.000Z') });
      expect((await s.workspaces.footprint(WS)).disputes).toBe(2);
      expect(await s.workspaces.storedIds('discord')).toEqual(expect.arrayContaining(['1', '12']));
      const early = await s.prune(new Date('2027-03-10T00:00:00.000Z'), DEFAULT_RETENTION);
      expect(early.disputes).toBe(0);
      const later = await s.prune(new Date('2027-03-12T00:00:00.000Z'), DEFAULT_RETENTION);
      expect(later.disputes).toBe(1);
      expect((await s.disputes.open(WS)).map((d) => d.id)).toEqual(['a']); // open reports never expire
      expect((await s.workspaces.forget(WS)).disputes).toBe(1);
      expect(await s.disputes.open(WS)).toEqual([]);
      expect((await s.disputes.open(WS12)).map((d) => d.id)).toEqual(['c']);
    });

    it('keeps reports across a reopen', async () => {
      const { s, reopen } = get();
      if (!reopen) return;
      await s.disputes.file(report('a'), DAY);
      const again = await reopen();
      expect((await again.disputes.open(WS)).map((d) => d.id)).toEqual(['a']);
    });
  });
}
