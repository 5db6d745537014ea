/** /progress and a review reminder on Slack: signed requests to the real Bolt app, a fake Web API. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/log.ts';
import { Posters } from '../../src/core/posters.ts';
import { renderProgressPng } from '../../src/study/chart.ts';
import { ReviewReminders } from '../../src/study/reminders.ts';
import { send, signedRequest, slashCommandBody } from '../fakes/slack/signed.ts';
import { type Harness, SECRET, startHarness } from './harness.ts';

let h: Harness;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const WS = { platform: 'slack' as const, workspaceId: 'T0TEST' };

beforeAll(async () => {
  // Load the drawing libraries before the first request (a second or two, once).
  await renderProgressPng({ mastery: [{ topic: 't', title: 'T', share: 0.5 }], days: [], learner: 'x' });
  h = await startHarness('http');
  const [question] = h.deps.content.questions();
  await h.deps.study.recordAnswer({
    ws: WS,
    userId: 'U0MARIA',
    questionId: question?.id as string,
    correct: false,
    source: 'quiz',
    at: new Date('2026-02-24T08:00:00Z'),
  });
}, 30_000);
afterAll(async () => {
  await h?.close();
});

describe('/progress on Slack', () => {
  it('answers ephemerally and uploads the picture to the DM with its alt text', async () => {
    const id = randomUUID();
    const waiting = h.fake.nextResponse(id);
    await send(
      h.url,
      signedRequest(
        SECRET,
        slashCommandBody({
          command: '/progress',
          channelId: 'C0STUDY',
          userId: 'U0MARIA',
          responseUrl: h.fake.responseUrl(id),
        }),
      ),
    );
    const body = (await waiting).body as Record<string, unknown>;
    expect(body.response_type).toBe('ephemeral');
    const json = JSON.stringify(body);
    expect(json).toContain('Your progress');
    expect(json).toContain('Your file (progress.png) is in your direct messages with me.');
    await h.fake.waitFor(() => h.fake.uploadsTo('D0MARIA').length === 1);
    const [upload] = h.fake.uploadsTo('D0MARIA');
    expect(upload?.filename).toBe('progress.png');
    expect(
      Buffer.from(upload?.data ?? [])
        .subarray(0, 8)
        .equals(PNG_SIGNATURE),
    ).toBe(true);
    expect(upload?.altText).toMatch(/^Progress chart for \S+\. Mastery by topic: /);
    // The text alternative is in the answer too.
    expect(json).toContain(`Picture: ${upload?.altText}`);
    expect(h.fake.uploadsTo('C0STUDY')).toHaveLength(0);
  });
});

describe('a review reminder on Slack', () => {
  it('opens the DM with conversations.open and sends the reminder there, pinging nobody', async () => {
    await h.deps.storage.study.changeProfile(WS, 'U0MARIA', (p) => {
      p.reminder = { time: '08:00', timezone: 'Europe/Berlin' };
    });
    const posters = new Posters();
    posters.register('slack', h.adapter.poster);
    const now = new Date('2026-02-25T07:00:00Z');
    const reminders = new ReviewReminders({
      study: h.deps.storage.study,
      service: h.deps.study,
      posters,
      log: silentLogger,
      now: () => now,
    });
    expect((await reminders.tick()).sent).toBe(1);
    expect(h.fake.callsTo('conversations.open').at(-1)?.body.users).toBe('U0MARIA');
    const message = h.fake.messagesIn('D0MARIA').at(-1);
    expect(message?.text).toContain('You have 1 card to review in this workspace. Type /review start there.');
    expect(JSON.stringify(message)).not.toMatch(/<@|<!/);
  });
});
