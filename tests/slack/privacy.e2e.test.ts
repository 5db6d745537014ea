/** /quiz export and /privacy on Slack: signed requests to the real Bolt app; files uploaded to the fake Web API. */
import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockActionBody, send, signedRequest, slashCommandBody } from '../fakes/slack/signed.ts';
import { quizContent } from '../helpers/quiz-content.ts';
import { type Harness, SECRET, startHarness } from './harness.ts';

let h: Harness;
const WS = { platform: 'slack' as const, workspaceId: 'T0TEST' };

beforeAll(async () => {
  h = await startHarness('http', { content: quizContent(6) });
  const [first, second] = h.deps.content.questions({ topic: 'alpha' });
  for (const userId of ['U0MARIA', 'U0HOST'])
    for (const [question, correct] of [
      [first, true],
      [second, true],
    ] as const)
      await h.deps.study.recordAnswer({
        ws: WS,
        userId,
        questionId: question?.id as string,
        correct,
        source: 'review',
        at: new Date('2026-02-24T08:00:00Z'),
      });
  await h.deps.storage.results.noteAnswer(
    WS,
    { id: 'U0MARIA', displayName: '@here, "Maria"\n+1' },
    {
      questionId: first?.id as string,
      topics: ['alpha'],
      correct: true,
      at: '2026-02-24T08:00:00Z',
      source: 'daily',
    },
  );
}, 30_000);
afterAll(async () => {
  await h?.close();
});

async function slash(command: string, text: string, userId: string) {
  const id = randomUUID();
  const waiting = h.fake.nextResponse(id);
  await send(
    h.url,
    signedRequest(SECRET, slashCommandBody({ command, text, userId, responseUrl: h.fake.responseUrl(id) })),
  );
  return (await waiting).body as Record<string, unknown>;
}

async function uploaded(dm: string, before: number) {
  await h.fake.waitFor(() => h.fake.uploadsTo(dm).length > before);
  return h.fake.uploadsTo(dm).at(-1);
}

async function exportRows(): Promise<string[][]> {
  const before = h.fake.uploadsTo('D0ADMIN').length;
  const body = await slash('/quiz', 'export from:2026-02-01 to:2026-02-25', 'U0ADMIN');
  expect(body.response_type).toBe('ephemeral');
  expect(JSON.stringify(body)).toContain('in your direct messages with me');
  const file = await uploaded('D0ADMIN', before);
  expect(file?.filename).toBe('thawbot-progress-2026-02-01-to-2026-02-25.csv');
  return parse(Buffer.from(file?.data ?? []), { bom: true }) as string[][];
}

describe('/quiz export and /privacy on Slack', () => {
  it('uploads the export CSV to the host, names neutralised', async () => {
    const rows = (await exportRows()).slice(1);
    const maria = rows.find((r) => r[1] === 'U0MARIA');
    expect(maria?.slice(0, 5)).toEqual([`'@here, "Maria"\n+1`, 'U0MARIA', 'Alpha', '2', '2']);
    expect(rows.some((r) => r[1] === 'U0HOST')).toBe(true);
  });

  it('says politely what is wrong with a date', async () => {
    const body = await slash('/quiz', 'export from:2026-02-31', 'U0ADMIN');
    expect(body.response_type).toBe('ephemeral');
    expect(JSON.stringify(body)).toContain('There is no date 2026-02-31');
  });

  it('uploads my data as JSON, then forgets me after my confirmation', async () => {
    const before = h.fake.uploadsTo('D0MARIA').length;
    const mine = await slash('/privacy', 'my-data', 'U0MARIA');
    expect(mine.response_type).toBe('ephemeral');
    const json = await uploaded('D0MARIA', before);
    expect(json?.filename).toBe('thawbot-my-data.json');
    const data = JSON.parse(Buffer.from(json?.data ?? []).toString('utf8'));
    expect(data.about).toMatchObject({ platform: 'slack', workspaceId: 'T0TEST', userId: 'U0MARIA' });
    expect(data.data.study.cards).toHaveLength(2);

    const ask = await slash('/privacy', 'forget-me', 'U0MARIA');
    const actionId = /"action_id":"(forgetme:[^"]+)"/.exec(JSON.stringify(ask))?.[1];
    expect(actionId).toMatch(/^forgetme:T0TEST:U0MARIA:/);

    const press = async (userId: string) => {
      const id = randomUUID();
      const waiting = h.fake.nextResponse(id);
      await send(
        h.url,
        signedRequest(
          SECRET,
          blockActionBody({
            actionId: actionId as string,
            userId,
            isEphemeral: true,
            responseUrl: h.fake.responseUrl(id),
          }),
        ),
      );
      return JSON.stringify((await waiting).body);
    };
    expect(await press('U0HOST')).toContain('belongs to someone else');
    expect(await press('U0MARIA')).toContain('Your data is deleted');

    const rows = (await exportRows()).slice(1);
    expect(rows.some((r) => r[1] === 'U0MARIA')).toBe(false);
    expect(rows.some((r) => r[1] === 'U0HOST')).toBe(true);
    expect(await h.deps.storage.results.player(WS, 'U0MARIA')).toBeUndefined();
  });
});
