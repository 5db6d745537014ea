/** /quiz export and /privacy on the fake Discord: files arrive as multipart uploads on private answers. */
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.ts';

let h: Harness;
const EPHEMERAL = 64;

interface MessageBody {
  embeds?: { title?: string; description?: string }[];
  components?: { components: { custom_id: string; label: string }[] }[];
  flags?: number;
  allowed_mentions?: unknown;
}

beforeAll(async () => {
  h = await startHarness({ deferAfterMs: 2500 });
  const ws = { platform: 'discord' as const, workspaceId: h.guild.id };
  const [first, second] = h.deps.content.questions({ topic: 'secret-speech' });
  for (const user of [h.users.member, h.users.other]) {
    for (const [question, correct] of [
      [first, true],
      [second, false],
    ] as const) {
      await h.deps.study.recordAnswer({
        ws,
        userId: user.id,
        questionId: question?.id as string,
        correct,
        source: 'quiz',
        at: new Date('2026-02-20T18:00:00Z'),
      });
    }
  }
  await h.deps.storage.results.noteAnswer(
    ws,
    { id: h.users.member.id, displayName: '=HYPERLINK("http://x.example","@everyone")' },
    {
      questionId: first?.id as string,
      topics: ['secret-speech'],
      correct: true,
      at: '2026-02-20T18:00:00Z',
      source: 'daily',
    },
  );
}, 30_000);
afterAll(async () => {
  await h?.stop();
});

async function exportRows(): Promise<string[][]> {
  const call = await h.fake.callback(
    h.fake.chatInput({ guild: h.guild, user: h.users.host, name: 'quiz', subcommand: 'export' }),
  );
  const body = call.body as { type: number; data: MessageBody };
  expect(body.data.flags).toBe(EPHEMERAL);
  expect(call.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
  const [file] = call.files ?? [];
  expect(file?.name).toBe('thawbot-progress-2025-10-29-to-2026-02-25.csv');
  return parse(Buffer.from(file?.data ?? []), { bom: true }) as string[][];
}

describe('/quiz export and /privacy on Discord', () => {
  it('attaches the export CSV to a private answer for a host', async () => {
    const [header, ...rows] = await exportRows();
    expect(header?.[0]).toBe('learner');
    const member = rows.find((r) => r[1] === h.users.member.id);
    expect(member?.slice(0, 5)).toEqual([
      `'=HYPERLINK("http://x.example","@everyone")`,
      h.users.member.id,
      h.deps.content.topic('secret-speech')?.title,
      '2',
      '1',
    ]);
    expect(rows.some((r) => r[1] === h.users.other.id)).toBe(true);
  });

  it('refuses the export to a member, privately', async () => {
    const call = await h.fake.callback(
      h.fake.chatInput({ guild: h.guild, user: h.users.member, name: 'quiz', subcommand: 'export' }),
    );
    const body = call.body as { data: MessageBody };
    expect(body.data.flags).toBe(EPHEMERAL);
    expect(call.files).toBeUndefined();
  });

  it('sends my data as a JSON attachment, then forgets me after the confirmation button', async () => {
    const mine = await h.fake.callback(
      h.fake.chatInput({ guild: h.guild, user: h.users.member, name: 'privacy', subcommand: 'my-data' }),
    );
    expect((mine.body as { data: MessageBody }).data.flags).toBe(EPHEMERAL);
    expect(mine.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    const [json] = mine.files ?? [];
    expect(json?.name).toBe('thawbot-my-data.json');
    const data = JSON.parse(Buffer.from(json?.data ?? []).toString('utf8'));
    expect(data.about.userId).toBe(h.users.member.id);
    expect(data.data.study.log).toHaveLength(2);

    const ask = await h.fake.callback(
      h.fake.chatInput({ guild: h.guild, user: h.users.member, name: 'privacy', subcommand: 'forget-me' }),
    );
    const askBody = (ask.body as { data: MessageBody }).data;
    expect(askBody.flags).toBe(EPHEMERAL);
    const button = askBody.components?.[0]?.components[0];
    expect(button?.label).toBe('Delete my data');
    expect(button?.custom_id).toMatch(new RegExp(`^forgetme:${h.guild.id}:${h.users.member.id}:`));

    // Someone else's press deletes nothing.
    const stolen = await h.fake.callback(
      h.fake.button({ guild: h.guild, user: h.users.other, customId: button?.custom_id as string }),
    );
    expect(JSON.stringify(stolen.body)).toContain('belongs to someone else');
    const pressed = await h.fake.callback(
      h.fake.button({ guild: h.guild, user: h.users.member, customId: button?.custom_id as string }),
    );
    expect(JSON.stringify(pressed.body)).toContain('Your data is deleted');

    const rows = (await exportRows()).slice(1);
    expect(rows.some((r) => r[1] === h.users.member.id)).toBe(false);
    expect(rows.some((r) => r[1] === h.users.other.id)).toBe(true);
    const after = await h.fake.callback(
      h.fake.chatInput({ guild: h.guild, user: h.users.member, name: 'privacy', subcommand: 'my-data' }),
    );
    expect(JSON.parse(Buffer.from(after.files?.[0]?.data ?? []).toString('utf8')).data).toEqual({});
  });
});
