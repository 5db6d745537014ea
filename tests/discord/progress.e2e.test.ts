/** /progress on the fake Discord: an ephemeral card with the PNG attached as multipart. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/log.ts';
import { Posters } from '../../src/core/posters.ts';
import { renderProgressPng } from '../../src/study/chart.ts';
import { CLOSED_REASONS, ReviewReminders } from '../../src/study/reminders.ts';
import { type Harness, startHarness } from './harness.ts';

let h: Harness;
const EPHEMERAL = 64;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

interface MessageBody {
  embeds?: { title?: string; description?: string; image?: { url: string } }[];
  attachments?: { id: string | number; filename?: string; description?: string }[];
  flags?: number;
}

beforeAll(async () => {
  // The drawing libraries load on the first render (a second or two): load them before the
  // interaction so it is answered directly rather than deferred.
  await renderProgressPng({ mastery: [{ topic: 't', title: 'T', share: 0.5 }], days: [], learner: 'x' });
  h = await startHarness({ deferAfterMs: 2500 });
  const [first, second] = h.deps.content.questions({ topic: 'secret-speech' });
  const ws = { platform: 'discord' as const, workspaceId: h.guild.id };
  for (const [question, correct, at] of [
    [first, true, '2026-02-20T18:00:00Z'],
    [second, false, '2026-02-24T18:00:00Z'],
  ] as const) {
    await h.deps.study.recordAnswer({
      ws,
      userId: h.users.member.id,
      questionId: question?.id as string,
      correct,
      source: 'quiz',
      at: new Date(at),
    });
  }
}, 30_000);
afterAll(async () => {
  await h?.stop();
});

describe('/progress on Discord', () => {
  it('answers privately with the card and the picture as a multipart upload', async () => {
    const injected = h.fake.chatInput({ guild: h.guild, user: h.users.member, name: 'progress' });
    const call = await h.fake.callback(injected);
    const body = call.body as { type: number; data: MessageBody };
    expect(body.type).toBe(4);
    expect(body.data.flags).toBe(EPHEMERAL);
    expect(call.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    const embed = body.data.embeds?.[0];
    expect(embed?.title).toBe('Your progress');
    const title = h.deps.content.topic('secret-speech')?.title as string;
    const total = h.deps.content.questions({ topic: 'secret-speech' }).length;
    expect(embed?.description).toContain(`- ${title}: 0% (0/${total})`);
    expect(embed?.image?.url).toBe('attachment://progress.png');

    const [file] = call.files ?? [];
    expect(call.files).toHaveLength(1);
    expect(file?.name).toBe('progress.png');
    expect(file?.contentType).toBe('image/png');
    expect(
      Buffer.from(file?.data ?? [])
        .subarray(0, 8)
        .equals(PNG_SIGNATURE),
    ).toBe(true);
    const meta = body.data.attachments?.find((a) => String(a.id) === /\d+/.exec(file?.key ?? '')?.[0]);
    expect(meta?.description).toMatch(/^Progress chart for Mia \(nick\)\. Mastery by topic: /);
    expect(meta?.description).toContain(`${title} 0%`);
    // The same sentence stays in the card for screen readers.
    expect(embed?.description).toContain(`Picture: ${meta?.description}`);
  });

  it('gives a new learner the friendly card without a file', async () => {
    const injected = h.fake.chatInput({ guild: h.guild, user: h.users.other, name: 'progress' });
    const call = await h.fake.callback(injected);
    const body = call.body as { type: number; data: MessageBody };
    expect(body.data.flags).toBe(EPHEMERAL);
    expect(call.files).toBeUndefined();
    expect(body.data.embeds?.[0]?.description).toContain('Nothing here yet');
  });
});

describe('a review reminder on Discord', () => {
  it('opens a DM channel, sends the reminder naming the server, and pauses for a user with DMs closed', async () => {
    const ws = { platform: 'discord' as const, workspaceId: h.guild.id };
    const [question] = h.deps.content.questions({ topic: 'thaw' });
    await h.deps.study.recordAnswer({
      ws,
      userId: h.users.host.id,
      questionId: question?.id as string,
      correct: false,
      source: 'quiz',
      at: new Date('2026-02-24T06:00:00Z'),
    });
    for (const user of [h.users.member, h.users.host])
      await h.deps.storage.study.changeProfile(ws, user.id, (p) => {
        p.reminder = { time: '08:00', timezone: 'Europe/Berlin' };
      });
    h.fake.blockDms(h.users.host.id);
    const posters = new Posters();
    posters.register('discord', h.adapter.poster);
    const reminders = new ReviewReminders({
      study: h.deps.storage.study,
      service: h.deps.study,
      posters,
      log: silentLogger,
      now: () => new Date('2026-02-25T07:00:00Z'),
    });
    expect(await reminders.tick()).toEqual({ sent: 1, paused: 1, failed: 0, nothingDue: 0 });

    const open = await h.fake.waitForCall(
      (c) =>
        c.method === 'POST' &&
        c.path === '/users/@me/channels' &&
        (c.body as { recipient_id?: string }).recipient_id === h.users.member.id,
    );
    expect(open.body).toEqual({ recipient_id: h.users.member.id });
    const [message] = h.fake.dmMessages(h.users.member.id);
    const body = message?.body as {
      content?: string;
      embeds?: { description?: string }[];
      allowed_mentions?: unknown;
    };
    expect(JSON.stringify(body)).toContain(
      'You have 2 cards to review in Study Hall. Type /review start there.',
    );
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(h.fake.dmMessages(h.users.host.id)).toHaveLength(0);
    const paused = (await h.deps.storage.study.profile(ws, h.users.host.id))?.reminder?.paused;
    expect(paused?.reason).toBe(CLOSED_REASONS.discord);
  });
});
