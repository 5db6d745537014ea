/**
 * /assign end to end on Slack with signed requests to the real Bolt app: an admin sets an
 * assignment, a learner does it privately, and the status CSV is uploaded through files.uploadV2.
 */
import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { blockActionBody, send, signedRequest, slashCommandBody } from '../fakes/slack/signed.ts';
import { quizContent } from '../helpers/quiz-content.ts';
import { type Harness, SECRET, startHarness } from './harness.ts';

const CHANNEL = 'C0CLASS';
const LEARNER = 'U0MARIA';
const TEACHER = 'U0ADMIN';

interface Block {
  type: string;
  text?: { text: string };
  elements?: { type: string; action_id?: string; text?: { text: string } }[];
}
interface Response {
  response_type?: string;
  replace_original?: boolean;
  blocks?: Block[];
  text?: string;
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const buttons = (r: Response) =>
  (r.blocks ?? []).flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : []));
const header = (r: Response) => r.blocks?.find((b) => b.type === 'header')?.text?.text ?? '';
const all = (r: Response) => JSON.stringify(r.blocks ?? []) + String(r.text ?? '');
function rightOption(r: Response): number {
  const section = (r.blocks ?? []).map((b) => b.text?.text ?? '').find((t) => /\*A\.\*/.test(t)) ?? '';
  return section
    .split('\n')
    .filter((l) => /^\u200b?\*[A-D]\.\*/.test(l))
    .findIndex((l) => l.includes('right '));
}

describe('/assign on Slack', () => {
  it('sets an assignment, lets a learner do it privately, and uploads the status CSV', async () => {
    const now = new Date('2026-03-09T10:00:00Z');
    const harness = await startHarness('http', { content: quizContent(), services: { now: () => now } });
    h = harness;
    harness.fake.addChannel({ id: CHANNEL, name: 'class', isMember: true });
    const slash = async (text: string, userId: string): Promise<Response> => {
      const id = randomUUID();
      const answered = harness.fake.nextResponse(id);
      const body = slashCommandBody({
        command: '/assign',
        text,
        userId,
        channelId: CHANNEL,
        channelName: 'class',
        responseUrl: harness.fake.responseUrl(id),
      });
      expect((await send(harness.url, signedRequest(SECRET, body))).status).toBe(200);
      return (await answered).body as Response;
    };
    const press = async (actionId: string, userId = LEARNER): Promise<Response> => {
      const id = randomUUID();
      const answered = harness.fake.nextResponse(id);
      const body = blockActionBody({
        actionId,
        userId,
        channelId: CHANNEL,
        messageTs: '1.000001',
        responseUrl: harness.fake.responseUrl(id),
      });
      expect((await send(harness.url, signedRequest(SECRET, body))).status).toBe(200);
      return (await answered).body as Response;
    };

    const refused = await slash('create topic:alpha due:tomorrow', LEARNER);
    expect(refused.response_type).toBe('ephemeral');
    const bad = await slash('create topic:alpah due:tomorrow', TEACHER);
    expect(bad.response_type).toBe('ephemeral');
    expect(all(bad)).toContain('Did you mean');

    // Bare values in declared order: topic, questions, due.
    const card = await slash('create alpha 2 friday time:9am timezone:Europe/Berlin', TEACHER);
    expect(card.response_type).toBe('in_channel');
    expect(header(card)).toMatch(/^Assignment \w{4}: Alpha$/);
    expect(all(card)).toContain('Due Friday 13 March 2026 at 09:00 (Europe/Berlin)');
    const start = buttons(card).find((b) => b.text?.text === 'Start')?.action_id as string;

    let q = await press(start);
    expect(q.response_type).toBe('ephemeral');
    expect(header(q)).toMatch(/question 1 of 2$/);
    const first = await press(buttons(q)[rightOption(q)]?.action_id as string);
    expect(header(first)).toMatch(/^Right! [A-D]\. right \d+$/);
    // Stopped here; Start carries on at question 2.
    q = await press(start);
    expect(all(q)).toContain('Welcome back');
    expect(header(q)).toMatch(/question 2 of 2$/);
    const last = await press(buttons(q)[rightOption(q)]?.action_id as string);
    expect(all(last)).toContain('2 of 2 right');

    const status = await slash('status export:true', TEACHER);
    expect(status.response_type).toBe('ephemeral');
    expect(all(status)).toContain('Maria: 2/2');
    for (let waited = 0; harness.fake.uploadsTo('D0ADMIN').length === 0; waited += 5) {
      if (waited > 5000) throw new Error('no CSV uploaded');
      await sleep(5);
    }
    const upload = harness.fake.uploadsTo('D0ADMIN')[0];
    expect(upload?.filename).toMatch(/^assignment-\w{4}\.csv$/);
    const rows = parse(Buffer.from(upload?.data ?? []), { bom: true }) as string[][];
    expect(rows[1]?.slice(1, 7)).toEqual([LEARNER, 'yes', 'yes', '2/2', '2', '2']);
  });
});
