/**
 * /review end to end on Slack with signed requests to the real Bolt app: three misses in a quiz
 * come back the next day (an injected clock), privately, to all caught up.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { channelKey } from '../../src/core/platform.ts';
import { blockActionBody, send, signedRequest, slashCommandBody } from '../fakes/slack/signed.ts';
import { quizContent } from '../helpers/quiz-content.ts';
import { type Harness, SECRET, startHarness } from './harness.ts';

const CHANNEL = 'C0REVIEW';
const KEY = channelKey({ platform: 'slack', workspaceId: 'T0TEST', channelId: CHANNEL });
const LEARNER = 'U0MARIA';

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
const all = (r: Response) => JSON.stringify(r.blocks ?? []);
/** The right option's index of a review card (quizContent's right options start with "right"). */
function rightOption(r: Response): number {
  // Slack bold is "*A.*", set off by zero-width spaces.
  const section = (r.blocks ?? []).map((b) => b.text?.text ?? '').find((t) => /\*A\.\*/.test(t)) ?? '';
  return section
    .split('\n')
    .filter((l) => /^\u200b?\*[A-D]\.\*/.test(l))
    .findIndex((l) => l.includes('right '));
}

describe('/review on Slack', () => {
  it('brings back three quiz misses the next day, privately, to all caught up', async () => {
    let now = new Date('2026-03-10T19:00:00Z');
    const harness = await startHarness('http', {
      content: quizContent(),
      services: { now: () => now, quizPauseMs: 10 },
    });
    h = harness;
    harness.fake.addChannel({ id: CHANNEL, name: 'study', isMember: true });

    const slash = async (command: string, text: string, userId = LEARNER): Promise<Response> => {
      const id = randomUUID();
      const answered = harness.fake.nextResponse(id);
      const body = slashCommandBody({
        command,
        text,
        userId,
        channelId: CHANNEL,
        channelName: 'study',
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
    const session = () => harness.storage.docs.games.read().sessions[KEY];
    const waitFor = async (test: () => boolean, what: string) => {
      for (let waited = 0; !test(); waited += 5) {
        if (waited > 5000) throw new Error(`timed out waiting for ${what}`);
        await sleep(5);
      }
    };

    await slash('/quiz', 'start questions:3 seconds:30', 'U0HOST');
    for (let round = 0; round < 3; round++) {
      await waitFor(
        () => session()?.current === round && session()?.rounds[round]?.messageId !== undefined,
        `question ${round + 1}`,
      );
      const game = session();
      const wrong = ((game?.rounds[round]?.order.indexOf(0) ?? 0) + 1) % 4;
      const ack = await press(`quiz:${game?.id}:${round}:${wrong}`);
      expect(ack.response_type).toBe('ephemeral');
      expect(String(ack.text)).toContain('This question goes into your review deck');
      await slash('/quiz', 'skip', 'U0HOST');
    }
    await waitFor(() => session() === undefined, 'the end of the game');
    await slash('/review', 'new-cards 0');

    now = new Date('2026-03-11T19:30:00Z');
    // A bare /review starts a session on Slack.
    const first = await slash('/review', '');
    expect(first.response_type).toBe('ephemeral');
    expect(header(first)).toBe('Review: card 1');
    expect(all(first)).toContain('3 cards are due');
    expect(buttons(first).map((b) => b.text?.text)).toEqual(['A', 'B', 'C', 'D']);

    const intruder = await press(buttons(first)[0]?.action_id as string, 'U0HOST');
    expect(intruder.response_type).toBe('ephemeral');
    expect(all(intruder) + String(intruder.text)).toContain('belongs to someone else');

    const missed = await press(buttons(first)[(rightOption(first) + 1) % 4]?.action_id as string);
    // On Slack the reveal replaces the private card in place.
    expect(missed.replace_original).toBe(true);
    expect(header(missed)).toMatch(/^Not quite: the answer is [A-D]\. right \d+$/);
    let card = await press(buttons(missed).find((b) => b.text?.text === 'Next')?.action_id as string);
    for (const [n, grade] of [
      [2, 'Hard'],
      [3, 'Next'],
    ] as const) {
      expect(header(card)).toBe(`Review: card ${n}`);
      const right = await press(buttons(card)[rightOption(card)]?.action_id as string);
      expect(buttons(right).map((b) => b.text?.text)).toEqual([
        'Again',
        'Hard',
        'Good',
        'Easy',
        'Next',
        'Report a problem',
      ]);
      card = await press(buttons(right).find((b) => b.text?.text === grade)?.action_id as string);
    }
    expect(header(card)).toBe('All caught up');
    expect(all(card)).toMatch(/All caught up: next review tomorrow at \d\d:\d\d \(UTC\)\./);
    const logs = await harness.storage.study.logs(
      { platform: 'slack', workspaceId: 'T0TEST' },
      LEARNER,
      new Date('2026-03-11T00:00:00Z'),
    );
    expect(logs.map((l) => l.rating)).toEqual([1, 2, 3]);
  });
});
