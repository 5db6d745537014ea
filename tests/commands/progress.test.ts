/** /progress through the router: the card, its picture (or text bars in the terminal), reminders. */
import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import type { Actor } from '../../src/core/command.ts';
import type { Platform } from '../../src/core/platform.ts';
import { seededRandom } from '../../src/core/random.ts';
import type { Reply } from '../../src/core/reply.ts';
import { memoryStorage } from '../../src/store/doc/index.ts';
import type { Storage, WorkspaceRef } from '../../src/store/ports.ts';
import { StudyService } from '../../src/study/service.ts';
import { recordingLogger } from '../discord/harness.ts';
import { textInvocation } from '../helpers/deps.ts';
import { quizContent } from '../helpers/quiz-content.ts';

const content = quizContent(6); // alpha: 12 questions, beta: 6
const NOW = new Date('2026-03-20T09:00:00Z');
const DAY = 86_400_000;
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function who(platform: Platform, userId = 'u1'): Actor {
  return {
    user: { platform, id: userId, displayName: 'Mia' },
    channel: { platform, workspaceId: 'g1', channelId: 'c1' },
    isAdmin: false,
    isHost: false,
    inServer: true,
  };
}

function setup() {
  const storage = memoryStorage();
  const logs: Parameters<typeof recordingLogger>[0] = [];
  const app = buildApp({
    content,
    storage,
    log: recordingLogger(logs),
    now: () => NOW,
    random: seededRandom(3),
  });
  const run = (platform: Platform, userId?: string): Promise<Reply> =>
    app.router.handle(textInvocation('/progress', who(platform, userId)));
  return { storage, app, logs, run };
}

/**
 * A learner who has answered for a while: q-easy-3 answered right three times since January
 * (mastered, due again on 24 March), q-easy-4 missed yesterday and q-easy-1 (beta) answered right
 * three days ago (both due today).
 */
async function history(storage: Storage, platform: Platform): Promise<void> {
  const ws: WorkspaceRef = { platform, workspaceId: 'g1' };
  let at = new Date(NOW.getTime() - 70 * DAY);
  const service = new StudyService({ content, study: storage.study, now: () => at });
  const answer = (questionId: string, correct: boolean, when: Date) =>
    service.recordAnswer({ ws, userId: 'u1', questionId, correct, source: 'quiz', at: when });
  for (let i = 0; i < 3; i++) {
    const done = await answer('q-easy-3', true, at);
    at = done.due;
  }
  await answer('q-easy-4', false, new Date(NOW.getTime() - DAY));
  await answer('q-easy-1', true, new Date(NOW.getTime() - 3 * DAY));
}

describe('/progress', () => {
  it('greets a new learner with a friendly card and no picture', async () => {
    const { run } = setup();
    const card = await run('discord');
    expect(card.ephemeral).toBe(true);
    expect(card.title).toBe('Your progress');
    expect(card.text).toContain('Nothing here yet');
    expect(card.text).toContain('Reminders: off.');
    expect(card.files).toBeUndefined();
  });

  it('shows mastery per topic, due counts, streak, 30 days and next review, with the PNG', async () => {
    const { storage, run } = setup();
    await history(storage, 'discord');
    const card = await run('discord');
    expect(card.ephemeral).toBe(true);
    expect(card.text).toContain('- Alpha: 8% (1/12)');
    expect(card.text).toContain('- Beta: 0% (0/6)');
    const field = (label: string) => card.fields?.find((f) => f.label === label)?.value;
    expect(field('Due')).toBe('2 today, 3 this week (3 cards in your deck)');
    expect(field('Streak')).toBe('1 day');
    expect(field('Last 30 days')).toMatch(/^\d+ right of \d+ answers$/);
    expect(field('Next review')).toBe('now');

    const [file] = card.files ?? [];
    expect(file?.name).toBe('progress.png');
    expect(file?.contentType).toBe('image/png');
    expect([...(file?.data.slice(0, 8) ?? [])]).toEqual(PNG_SIGNATURE);
    const image = decode(file?.data as Uint8Array);
    expect(image.width).toBeGreaterThan(400);
    expect(file?.alt).toMatch(/^Progress chart for Mia\. Mastery by topic: Alpha 8%, Beta 0%\./);
    // The text alternative stays in the card for screen readers.
    expect(card.text).toContain(`Picture: ${file?.alt}`);
  });

  it('counts the day in the server time zone and shows the next review there', async () => {
    const { storage, run } = setup();
    await storage.settings.change({ platform: 'discord', workspaceId: 'g1' }, (s) => {
      s.timezone = 'America/New_York';
    });
    const ws: WorkspaceRef = { platform: 'discord', workspaceId: 'g1' };
    const service = new StudyService({ content, study: storage.study, now: () => NOW });
    // Answered 20:00 UTC on 19 March, 16:00 in New York: due 20 March 16:00 New York.
    await service.recordAnswer({
      ws,
      userId: 'u1',
      questionId: 'q-easy-4',
      correct: false,
      source: 'quiz',
      at: new Date('2026-03-19T20:00:00Z'),
    });
    const card = await run('discord');
    expect(card.fields?.find((f) => f.label === 'Next review')?.value).toBe(
      'today at 16:00 (America/New_York)',
    );
    expect(card.fields?.find((f) => f.label === 'Due')?.value).toMatch(/^1 today/);
  });

  it('shows the terminal text bars instead of a file', async () => {
    const { storage, run } = setup();
    await history(storage, 'console');
    const card = await run('console');
    expect(card.files).toBeUndefined();
    expect(card.text).toContain('- Alpha: 8% (1/12)');
    expect(card.text).toContain('Mastery by topic\nAlpha  ██░░░░░░░░░░░░░░░░░░   8%');
    expect(card.text).toMatch(/Last 30 days: \d+ right of \d+ answers/);
  });

  it('says when reminders are set, and when they are paused and why', async () => {
    const { storage, run } = setup();
    await history(storage, 'discord');
    const ws: WorkspaceRef = { platform: 'discord', workspaceId: 'g1' };
    await storage.study.changeProfile(ws, 'u1', (p) => {
      p.reminder = { time: '07:30', timezone: 'Europe/Berlin' };
    });
    expect((await run('discord')).text).toContain(
      'Reminders: at 07:30 Europe/Berlin on days with cards due.',
    );
    await storage.study.changeProfile(ws, 'u1', (p) => {
      if (p.reminder)
        p.reminder.paused = {
          reason: 'Discord does not let thawbot message you (you may have closed DMs from this server)',
          at: NOW.toISOString(),
        };
    });
    expect((await run('discord')).text).toContain(
      'Reminders paused: Discord does not let thawbot message you (you may have closed DMs from this server). Turn them on and run `/review remind` again.',
    );
  });

  it('is listed by /help, with what mastery means', async () => {
    const { app } = setup();
    const all = await app.router.handle(textInvocation('/help', who('discord')));
    expect(all.text).toContain(
      '- `/progress`: Your review deck: mastery by topic, what is due, your streak (only you see it)',
    );
    const one = await app.router.handle(textInvocation('/help progress', who('discord')));
    expect(one.text).toContain('`/progress`');
    expect(one.text).toContain('remember it for 3 weeks or more');
  });

  it('is refused politely in a direct message', async () => {
    const { app } = setup();
    const out = await app.router.handle(textInvocation('/progress', { ...who('discord'), inServer: false }));
    expect(out.ephemeral).toBe(true);
    expect(out.text).toContain('run `/progress` there');
  });
});
