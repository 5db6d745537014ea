/** Review reminders with an injected clock: DST in two zones, once a day, catch-up, pauses, retries. */
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { silentLogger } from '../../src/core/log.ts';
import {
  type DmTarget,
  type MessageRef,
  PostError,
  type Poster,
  type PostFailure,
} from '../../src/core/platform.ts';
import { Posters } from '../../src/core/posters.ts';
import { seededRandom } from '../../src/core/random.ts';
import type { Reply } from '../../src/core/reply.ts';
import { type DocStorage, memoryStorage } from '../../src/store/doc/index.ts';
import type { WorkspaceRef } from '../../src/store/ports.ts';
import { CLOSED_REASONS, ReviewReminders } from '../../src/study/reminders.ts';
import { StudyService } from '../../src/study/service.ts';
import { textInvocation } from '../helpers/deps.ts';
import { quizContent } from '../helpers/quiz-content.ts';

const content = quizContent(6);
const WS: WorkspaceRef = { platform: 'discord', workspaceId: 'g1' };
const MINUTE = 60_000;
const STEP = 30 * MINUTE;

/** A Poster that only takes private messages, recording them, failing on request. */
class DmPoster implements Poster {
  readonly dms: { user: string; text: string; at: string }[] = [];
  readonly failures: PostFailure[] = [];
  constructor(private readonly clock: () => Date) {}
  async post(): Promise<MessageRef> {
    throw new Error('not used');
  }
  async edit(): Promise<void> {}
  async dm(user: DmTarget, reply: Reply): Promise<MessageRef> {
    const failure = this.failures.shift();
    if (failure) throw new PostError(failure, `simulated ${failure}`);
    this.dms.push({ user: user.id, text: reply.text ?? '', at: this.clock().toISOString() });
    return {
      channel: { platform: user.platform, workspaceId: 'dm', channelId: `d-${user.id}` },
      messageId: 'm',
    };
  }
  async workspaceName(): Promise<string | undefined> {
    return 'Study Hall';
  }
  times(user: string): string[] {
    return this.dms.filter((d) => d.user === user).map((d) => d.at);
  }
}

interface World {
  storage: DocStorage;
  poster: DmPoster;
  clock: { now: Date };
  /** A scheduler process (a restart is a new one on the same storage). */
  process(): ReviewReminders;
}

function world(start: string): World {
  const storage = memoryStorage();
  const clock = { now: new Date(start) };
  const poster = new DmPoster(() => clock.now);
  const posters = new Posters();
  posters.register('discord', poster);
  const service = new StudyService({ content, study: storage.study, now: () => clock.now });
  return {
    storage,
    poster,
    clock,
    process: () =>
      new ReviewReminders({
        study: storage.study,
        service,
        posters,
        log: silentLogger,
        now: () => clock.now,
      }),
  };
}

/** A learner with one card due at `due` (never reviewed since) and a reminder. */
async function learner(
  w: World,
  userId: string,
  time: string,
  timezone: string,
  due = '2026-01-01T00:00:00Z',
) {
  const service = new StudyService({ content, study: w.storage.study, now: () => w.clock.now });
  const answered = new Date(new Date(due).getTime() - 86_400_000);
  await service.recordAnswer({
    ws: WS,
    userId,
    questionId: 'q-easy-3',
    correct: false,
    source: 'quiz',
    at: answered,
  });
  await w.storage.study.changeProfile(WS, userId, (p) => {
    p.reminder = { time, timezone };
  });
}

/** Ticks `process` every `step` from the clock's time until `end`. */
async function run(w: World, process: ReviewReminders, end: string, step = STEP): Promise<void> {
  const until = new Date(end).getTime();
  while (w.clock.now.getTime() < until) {
    await process.tick();
    w.clock.now = new Date(w.clock.now.getTime() + step);
  }
}

describe('review reminders across daylight-saving changes', () => {
  it('spring forward in New York (8 March) and Berlin (29 March): once a local day at the local time', async () => {
    const w = world('2026-03-06T00:00:00Z');
    await learner(w, 'berlin', '07:30', 'Europe/Berlin');
    await learner(w, 'gap', '02:30', 'Europe/Berlin'); // 02:30 does not exist on 29 March
    await learner(w, 'ny', '08:00', 'America/New_York');
    await run(w, w.process(), '2026-03-10T00:00:00Z');
    expect(w.poster.times('ny')).toEqual([
      '2026-03-06T13:00:00.000Z',
      '2026-03-07T13:00:00.000Z', // EST
      '2026-03-08T12:00:00.000Z', // EDT from that night
      '2026-03-09T12:00:00.000Z',
    ]);
    expect(w.poster.times('berlin')).toEqual([
      '2026-03-06T06:30:00.000Z',
      '2026-03-07T06:30:00.000Z',
      '2026-03-08T06:30:00.000Z',
      '2026-03-09T06:30:00.000Z',
    ]);

    w.poster.dms.length = 0;
    w.clock.now = new Date('2026-03-27T00:00:00Z');
    await run(w, w.process(), '2026-03-31T00:00:00Z');
    expect(w.poster.times('berlin')).toEqual([
      '2026-03-27T06:30:00.000Z',
      '2026-03-28T06:30:00.000Z', // CET
      '2026-03-29T05:30:00.000Z', // CEST from that night
      '2026-03-30T05:30:00.000Z',
    ]);
    // The time inside the gap comes at the first minute after it, 03:00 CEST, once.
    expect(w.poster.times('gap')).toEqual([
      '2026-03-27T01:30:00.000Z',
      '2026-03-28T01:30:00.000Z',
      '2026-03-29T01:00:00.000Z',
      '2026-03-30T00:30:00.000Z',
    ]);
    expect(w.poster.times('ny')).toEqual([
      '2026-03-27T12:00:00.000Z',
      '2026-03-28T12:00:00.000Z',
      '2026-03-29T12:00:00.000Z',
      '2026-03-30T12:00:00.000Z',
    ]);
  });

  it('fall back in Berlin (25 October) and New York (1 November): a repeated time is reminded once', async () => {
    const w = world('2026-10-23T00:00:00Z');
    await learner(w, 'berlin', '02:30', 'Europe/Berlin'); // 02:30 happens twice on 25 October
    await learner(w, 'ny', '01:30', 'America/New_York'); // 01:30 happens twice on 1 November
    await run(w, w.process(), '2026-11-03T00:00:00Z');
    expect(w.poster.times('berlin').filter((t) => t.startsWith('2026-10-2'))).toEqual([
      '2026-10-23T00:30:00.000Z',
      '2026-10-24T00:30:00.000Z',
      '2026-10-25T00:30:00.000Z', // the first 02:30 (CEST), not 01:30Z
      '2026-10-26T01:30:00.000Z', // CET
      '2026-10-27T01:30:00.000Z',
      '2026-10-28T01:30:00.000Z',
      '2026-10-29T01:30:00.000Z',
    ]);
    expect(w.poster.times('ny').filter((t) => t >= '2026-10-31' && t < '2026-11-03')).toEqual([
      '2026-10-31T05:30:00.000Z',
      '2026-11-01T05:30:00.000Z', // the first 01:30 (EDT), not 06:30Z
      '2026-11-02T06:30:00.000Z', // EST
    ]);
  });
});

describe('review reminders', () => {
  it('sends nothing on days with nothing due, then counts the cards due that day', async () => {
    const w = world('2026-03-06T00:00:00Z');
    // Due at 13:00 Berlin on 10 March: the 07:30 reminder that day counts it.
    await learner(w, 'u1', '07:30', 'Europe/Berlin', '2026-03-10T12:00:00Z');
    await run(w, w.process(), '2026-03-11T12:00:00Z');
    expect(w.poster.dms).toEqual([
      {
        user: 'u1',
        text: 'You have 1 card to review in Study Hall. Type /review start there.',
        at: '2026-03-10T06:30:00.000Z',
      },
      {
        user: 'u1',
        text: 'You have 1 card to review in Study Hall. Type /review start there.',
        at: '2026-03-11T06:30:00.000Z',
      },
    ]);
    // Nothing was claimed on the days without cards due.
    expect(await w.storage.study.claimReminder(WS, 'u1', '2026-03-09', w.clock.now)).toBe(true);
    expect(await w.storage.study.claimReminder(WS, 'u1', '2026-03-10', w.clock.now)).toBe(false);
  });

  it('catches up after downtime within the window, once across restarts, and skips older ones', async () => {
    const w = world('2026-03-10T05:00:00Z');
    await learner(w, 'u1', '07:30', 'Europe/Berlin'); // due 06:30Z
    await run(w, w.process(), '2026-03-10T06:00:00Z');
    expect(w.poster.dms).toHaveLength(0);
    // Down from 06:00Z to 08:40Z; a new process catches up at once.
    w.clock.now = new Date('2026-03-10T08:40:00Z');
    await w.process().tick();
    expect(w.poster.times('u1')).toEqual(['2026-03-10T08:40:00.000Z']);
    // Another restart (and another process at the same time) sends nothing more that day.
    const [a, b] = [w.process(), w.process()];
    await Promise.all([a.tick(), b.tick()]);
    await run(w, w.process(), '2026-03-10T23:00:00Z');
    expect(w.poster.dms).toHaveLength(1);
    // Down over the next morning for longer than the 6-hour window: that day is skipped.
    w.clock.now = new Date('2026-03-11T12:31:00Z');
    await run(w, w.process(), '2026-03-12T07:00:00Z');
    expect(w.poster.times('u1')).toEqual(['2026-03-10T08:40:00.000Z', '2026-03-12T06:31:00.000Z']);
  });

  it('two processes ticking at the same minute send one reminder', async () => {
    const w = world('2026-03-10T06:30:00Z');
    await learner(w, 'u1', '07:30', 'Europe/Berlin');
    await Promise.all([w.process().tick(), w.process().tick(), w.process().tick()]);
    expect(w.poster.dms).toHaveLength(1);
  });

  it('retries a failed DM at the next tick without claiming again, and gives up after the window', async () => {
    const w = world('2026-03-10T06:30:00Z');
    await learner(w, 'u1', '07:30', 'Europe/Berlin');
    w.poster.failures.push('transient', 'rate');
    const p = w.process();
    expect((await p.tick()).failed).toBe(1);
    w.clock.now = new Date('2026-03-10T06:31:00Z');
    expect((await p.tick()).failed).toBe(1);
    w.clock.now = new Date('2026-03-10T06:32:00Z');
    expect((await p.tick()).sent).toBe(1);
    expect(w.poster.times('u1')).toEqual(['2026-03-10T06:32:00.000Z']);

    // Failing all morning: retried every tick until the window closes, then dropped.
    w.poster.failures.push(...Array.from({ length: 100 }, () => 'transient' as const));
    w.clock.now = new Date('2026-03-11T06:30:00Z');
    await run(w, p, '2026-03-11T13:00:00Z', 5 * MINUTE);
    expect(w.poster.failures.length).toBe(100 - 73); // 06:30 ... 12:30 every 5 minutes
    expect(w.poster.dms).toHaveLength(1);
  });

  it('pauses on DMs closed, with the reason /progress shows, and stops trying', async () => {
    const storage = memoryStorage();
    const clock = { now: new Date('2026-03-10T06:30:00Z') };
    const app = buildApp({
      content,
      storage,
      log: silentLogger,
      now: () => clock.now,
      random: seededRandom(1),
    });
    const poster = new DmPoster(() => clock.now);
    app.deps.posters.register('discord', poster);
    const w: World = { storage, poster, clock, process: () => undefined as never };
    await learner(w, 'u1', '07:30', 'Europe/Berlin');
    poster.failures.push('closed');
    await app.clock.tick();
    const profile = await storage.study.profile(WS, 'u1');
    expect(profile?.reminder?.paused?.reason).toBe(CLOSED_REASONS.discord);
    clock.now = new Date('2026-03-11T06:30:00Z');
    await app.clock.tick();
    expect(poster.dms).toHaveLength(0);
    expect(poster.failures).toHaveLength(0);
    const card = await app.router.handle(
      textInvocation('/progress', {
        user: { platform: 'discord', id: 'u1', displayName: 'Mia' },
        channel: { platform: 'discord', workspaceId: 'g1', channelId: 'c1' },
        isAdmin: false,
        isHost: false,
        inServer: true,
      }),
    );
    expect(card.text).toContain(
      'Reminders paused: Discord does not let thawbot message you (you may have closed DMs from this server). Turn them on and run `/review remind` again.',
    );
  });
});
