/** /progress on the fake Discord: an ephemeral card with the PNG attached as multipart. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderProgressPng } from '../../src/study/chart.ts';
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
