/**
 * The assignments repository's part of the storage contract (assignments-port.ts): assignments,
 * the reminder's claim, learners' progress and answers, the same on every engine.
 */
import { describe, expect, it } from 'vitest';
import type {
  Assignment,
  AssignmentProgress,
  Storage,
  StorageTransfer,
  WorkspaceRef,
} from '../../src/store/ports.ts';
import { DEFAULT_RETENTION } from '../../src/store/retention.ts';

const WS: WorkspaceRef = { platform: 'discord', workspaceId: '1' };
const WS12: WorkspaceRef = { platform: 'discord', workspaceId: '12' };

export function assignment(id: string, over: Partial<Assignment> = {}, ws: WorkspaceRef = WS): Assignment {
  return {
    id,
    channel: { ...ws, channelId: 'c1' },
    topic: 'secret-speech',
    questionIds: ['q1', 'q2', 'q3'],
    dueAt: '2026-03-10T22:59:00.000Z',
    dueDate: '2026-03-10',
    dueTime: '23:59',
    timezone: 'Europe/Berlin',
    createdAt: '2026-03-01T10:00:00.000Z',
    createdBy: { id: 'host', displayName: 'Teacher' },
    hosts: { host: 'Teacher' },
    ...over,
  };
}

export function started(id: string, userId: string, ws: WorkspaceRef = WS): AssignmentProgress {
  return {
    ...ws,
    assignmentId: id,
    userId,
    displayName: `Name ${userId}`,
    order: ['q3', 'q1', 'q2'],
    startedAt: '2026-03-02T10:00:00.000Z',
    updatedAt: '2026-03-02T10:00:00.000Z',
    answers: {},
  };
}

const at = (minute: number) => `2026-03-02T10:${String(minute).padStart(2, '0')}:00.000Z`;

export function assignmentsContract(get: () => { s: Storage; reopen?: () => Promise<Storage> }): void {
  describe('assignments', () => {
    it('create stores once per workspace id; get and inWorkspace give copies, newest first', async () => {
      const { s } = get();
      expect(await s.assignments.create(assignment('a1'))).toBe(true);
      expect(await s.assignments.create(assignment('a1', { topic: 'other' }))).toBe(false);
      expect(await s.assignments.create(assignment('a2', { createdAt: '2026-03-02T10:00:00.000Z' }))).toBe(
        true,
      );
      expect(await s.assignments.create(assignment('a1', {}, WS12))).toBe(true);
      const got = await s.assignments.get(WS, 'a1');
      expect(got).toEqual(assignment('a1'));
      got!.questionIds.push('changed');
      expect((await s.assignments.get(WS, 'a1'))?.questionIds).toEqual(['q1', 'q2', 'q3']);
      expect((await s.assignments.inWorkspace(WS)).map((a) => a.id)).toEqual(['a2', 'a1']);
      expect(await s.assignments.get(WS, 'zz')).toBeUndefined();
    });

    it('the reminder is claimed exactly once, also by concurrent callers; closed ones await none', async () => {
      const { s } = get();
      await s.assignments.create(assignment('a1'));
      await s.assignments.create(assignment('a2'));
      const claims = await Promise.all(
        Array.from({ length: 5 }, () => s.assignments.claimReminder(WS, 'a1', new Date(at(1)))),
      );
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect((await s.assignments.get(WS, 'a1'))?.remindedAt).toBe(at(1));
      expect(await s.assignments.claimReminder(WS, 'gone', new Date(at(1)))).toBe(false);
      expect((await s.assignments.awaitingReminder(new Date(at(1)))).map((a) => a.id)).toEqual(['a2']);
      // Claimed, not yet known to be sent: found again until it is.
      expect((await s.assignments.unsentReminders(new Date(at(1)))).map((a) => a.id)).toEqual(['a1']);
      await s.assignments.reminderSent(WS, 'a1', new Date(at(2)));
      await s.assignments.reminderSent(WS, 'a1', new Date(at(3)));
      expect((await s.assignments.get(WS, 'a1'))?.reminderSentAt).toBe(at(2));
      expect(await s.assignments.unsentReminders(new Date(at(1)))).toEqual([]);
      // Past its due time: no reminder any more.
      expect(await s.assignments.awaitingReminder(new Date('2026-03-10T22:59:00.000Z'))).toEqual([]);
      expect(
        await s.assignments.close(WS, 'a2', { id: 'host', displayName: 'Teacher' }, new Date(at(2))),
      ).toBe(true);
      expect(
        await s.assignments.close(WS, 'a2', { id: 'host', displayName: 'Teacher' }, new Date(at(3))),
      ).toBe(false);
      const closed = await s.assignments.get(WS, 'a2');
      expect(closed?.closedAt).toBe(at(2));
      expect(closed?.closedBy).toEqual({ id: 'host', displayName: 'Teacher' });
      expect(await s.assignments.awaitingReminder(new Date(at(1)))).toEqual([]);
    });

    it('noteHost adds a host once', async () => {
      const { s } = get();
      await s.assignments.create(assignment('a1'));
      await s.assignments.noteHost(WS, 'a1', { id: 'h2', displayName: 'Second' });
      await s.assignments.noteHost(WS, 'a1', { id: 'h2', displayName: 'Second' });
      expect((await s.assignments.get(WS, 'a1'))?.hosts).toEqual({ host: 'Teacher', h2: 'Second' });
    });

    it('start keeps the first progress; answers count once; the last answer finishes', async () => {
      const { s } = get();
      await s.assignments.create(assignment('a1'));
      expect(await s.assignments.start(started('nope', 'u1'))).toBeUndefined();
      expect(await s.assignments.start(started('a1', 'u1'))).toEqual(started('a1', 'u1'));
      const again = { ...started('a1', 'u1'), order: ['q1', 'q2', 'q3'], startedAt: at(9) };
      expect((await s.assignments.start(again))?.order).toEqual(['q3', 'q1', 'q2']);

      const answers = await Promise.all(
        [0, 1, 2].map((choice) =>
          s.assignments.answer(WS, 'a1', 'u1', 'q3', { choice, correct: choice === 0, at: at(1) }),
        ),
      );
      expect(answers.filter((a) => a.recorded)).toHaveLength(1);
      expect(
        (await s.assignments.answer(WS, 'a1', 'u1', 'not-mine', { choice: 0, correct: true, at: at(2) }))
          .recorded,
      ).toBe(false);
      expect(
        (await s.assignments.answer(WS, 'a1', 'u2', 'q1', { choice: 0, correct: true, at: at(2) })).recorded,
      ).toBe(false);
      await s.assignments.answer(WS, 'a1', 'u1', 'q1', { choice: 1, correct: false, at: at(3) });
      const last = await s.assignments.answer(WS, 'a1', 'u1', 'q2', { choice: 2, correct: true, at: at(4) });
      expect(last.recorded).toBe(true);
      expect(last.progress?.finishedAt).toBe(at(4));
      expect(last.progress?.updatedAt).toBe(at(4));
      expect(Object.keys(last.progress?.answers ?? {}).sort()).toEqual(['q1', 'q2', 'q3']);
      expect(await s.assignments.progress(WS, 'a1', 'u1')).toEqual(last.progress);
    });

    it("progressOf lists an assignment's learners, progressOfLearner one learner's assignments", async () => {
      const { s } = get();
      await s.assignments.create(assignment('a1'));
      await s.assignments.create(assignment('a2'));
      await s.assignments.create(assignment('a1', {}, WS12));
      await s.assignments.start({ ...started('a1', 'u2'), startedAt: at(5) });
      await s.assignments.start({ ...started('a1', 'u1'), startedAt: at(1) });
      await s.assignments.start({ ...started('a2', 'u1'), startedAt: at(7) });
      await s.assignments.start(started('a1', 'u1', WS12));
      expect((await s.assignments.progressOf(WS, 'a1')).map((p) => p.userId)).toEqual(['u1', 'u2']);
      expect((await s.assignments.progressOfLearner(WS, 'u1')).map((p) => p.assignmentId)).toEqual([
        'a1',
        'a2',
      ]);
    });

    it("learnerData holds a person's progress and what they hosted; forgetLearner deletes or anonymises it", async () => {
      const { s } = get();
      await s.assignments.create(assignment('a1'));
      await s.assignments.create(assignment('a1', {}, WS12));
      await s.assignments.start(started('a1', 'u1'));
      await s.assignments.start(started('a1', 'u2'));
      await s.assignments.start(started('a1', 'host', WS12));
      await s.assignments.answer(WS, 'a1', 'u1', 'q1', { choice: 0, correct: true, at: at(1) });
      const mine = await s.assignments.learnerData(WS, 'u1');
      expect(mine.progress.map((p) => [p.userId, Object.keys(p.answers)])).toEqual([['u1', ['q1']]]);
      expect(mine.hosted).toEqual([]);
      expect(JSON.parse(JSON.stringify(mine))).toEqual(mine);
      expect((await s.assignments.learnerData(WS, 'host')).hosted).toEqual([
        { id: 'a1', topic: 'secret-speech', role: ['set it', 'hosted it'] },
      ]);

      expect(await s.assignments.forgetLearner(WS, 'u1')).toBe(true);
      expect(await s.assignments.forgetLearner(WS, 'u1')).toBe(false);
      expect((await s.assignments.progressOf(WS, 'a1')).map((p) => p.userId)).toEqual(['u2']);

      expect(await s.assignments.forgetLearner(WS, 'host')).toBe(true);
      const kept = await s.assignments.get(WS, 'a1');
      expect(kept?.createdBy).toEqual({ id: '', displayName: 'a former member' });
      expect(kept?.hosts).toEqual({});
      expect(await s.assignments.learnerData(WS, 'host')).toEqual({ progress: [], hosted: [] });
      // The same person in another workspace keeps everything there.
      expect((await s.assignments.get(WS12, 'a1'))?.createdBy.id).toBe('host');
      expect(await s.assignments.progress(WS12, 'a1', 'host')).toBeDefined();
    });

    it('retention removes assignments closed or due a year ago, with their progress', async () => {
      const { s } = get();
      const now = new Date('2027-06-01T00:00:00.000Z');
      await s.assignments.create(assignment('old', { dueAt: '2026-05-01T00:00:00.000Z' }));
      await s.assignments.create(assignment('closed-old', { dueAt: '2027-05-01T00:00:00.000Z' }));
      await s.assignments.close(
        WS,
        'closed-old',
        { id: 'host', displayName: 'T' },
        new Date('2026-05-02T00:00:00Z'),
      );
      await s.assignments.create(assignment('recent', { dueAt: '2026-07-01T00:00:00.000Z' }));
      await s.assignments.start(started('old', 'u1'));
      await s.assignments.start(started('recent', 'u1'));
      const report = await s.prune(now, DEFAULT_RETENTION);
      expect(report.assignments).toBe(2);
      expect((await s.assignments.inWorkspace(WS)).map((a) => a.id)).toEqual(['recent']);
      expect((await s.assignments.progressOfLearner(WS, 'u1')).map((p) => p.assignmentId)).toEqual([
        'recent',
      ]);
      expect((await s.prune(now, DEFAULT_RETENTION)).assignments).toBe(0);
    });

    it('a workspace footprint counts assignments and progress; forget deletes only that workspace', async () => {
      const { s } = get();
      await s.assignments.create(assignment('a1'));
      await s.assignments.create(assignment('a2'));
      await s.assignments.start(started('a1', 'u1'));
      await s.assignments.create(assignment('a1', {}, WS12));
      await s.assignments.start(started('a1', 'u1', WS12));
      expect(await s.workspaces.footprint(WS)).toMatchObject({ assignments: 2, assignmentProgress: 1 });
      expect(await s.workspaces.storedIds('discord')).toEqual(expect.arrayContaining(['1', '12']));
      expect(await s.workspaces.forget(WS)).toMatchObject({ assignments: 2, assignmentProgress: 1 });
      expect(await s.assignments.inWorkspace(WS)).toEqual([]);
      expect(await s.assignments.progressOf(WS, 'a1')).toEqual([]);
      expect(await s.workspaces.footprint(WS12)).toMatchObject({ assignments: 1, assignmentProgress: 1 });
    });

    it('a dump carries assignments and progress, and loading it gives them back', async () => {
      const { s } = get();
      const t = s as Storage & StorageTransfer;
      await s.assignments.create(assignment('a1', { ping: { id: 'r1', label: 'class' } }));
      await s.assignments.claimReminder(WS, 'a1', new Date(at(1)));
      await s.assignments.start(started('a1', 'u1'));
      await s.assignments.answer(WS, 'a1', 'u1', 'q3', { choice: 2, correct: false, at: at(2) });
      const dump = await t.dump();
      expect(Object.keys(dump.assignments.assignments)).toEqual(['discord:1:a1']);
      expect(Object.keys(dump.assignments.progress)).toEqual(['discord:1:a1:u1']);
      await t.load(dump, { replace: true });
      expect(await t.dump()).toStrictEqual(dump);
      expect((await s.assignments.progress(WS, 'a1', 'u1'))?.answers.q3).toEqual({
        choice: 2,
        correct: false,
        at: at(2),
      });
    });

    it('people lists who has a quiz record or a review deck here, with names when known', async () => {
      const { s } = get();
      await s.results.noteAnswer(
        WS,
        { id: 'b', displayName: 'Bea' },
        {
          questionId: 'q1',
          topics: ['thaw'],
          correct: true,
          at: at(1),
          source: 'daily',
        },
      );
      await s.study.changeProfile(WS, 'a', (p) => {
        p.newPerDay = 3;
      });
      await s.study.changeProfile(WS12, 'c', (p) => {
        p.newPerDay = 3;
      });
      expect(await s.workspaces.people(WS)).toEqual([{ userId: 'a' }, { userId: 'b', displayName: 'Bea' }]);
    });

    it('survives a reopen', async () => {
      const { s, reopen } = get();
      if (!reopen) return;
      await s.assignments.create(assignment('a1'));
      await s.assignments.start(started('a1', 'u1'));
      await s.assignments.answer(WS, 'a1', 'u1', 'q1', { choice: 0, correct: true, at: at(1) });
      const again = await reopen();
      expect((await again.assignments.progress(WS, 'a1', 'u1'))?.answers.q1?.correct).toBe(true);
    });
  });
}
