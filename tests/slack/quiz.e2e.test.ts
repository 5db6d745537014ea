import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { channelKey, type Poster } from '../../src/core/platform.ts';
import type { QuizSession } from '../../src/store/schema.ts';
import type { RecordedCall } from '../fakes/slack/server.ts';
import { blockActionBody, send, signedRequest, slashCommandBody } from '../fakes/slack/signed.ts';
import { quizContent } from '../helpers/quiz-content.ts';
import { type Harness, SECRET, startHarness } from './harness.ts';

// Taken before any test fakes timers: waiting for real HTTP needs real time.
const realSetTimeout = globalThis.setTimeout;
const realPause = (ms: number) => new Promise<void>((resolve) => realSetTimeout(resolve, ms));

const CHANNEL = 'C0QUIZ';
const KEY = channelKey({ platform: 'slack', workspaceId: 'T0TEST', channelId: CHANNEL });
const PAUSE_MS = 200;

interface Block {
  type: string;
  text?: { text: string };
  fields?: { text: string }[];
  elements?: { type: string; action_id?: string; text?: { text: string } }[];
}

let h: Harness;
/** Posts and edits the quiz has sent and not yet heard back about. */
let inFlight = 0;

beforeEach(async () => {
  // Only the clock and timeouts are fake; sockets and Bolt's I/O run for real on loopback.
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  h = await startHarness('http', {
    content: quizContent(),
    services: { now: () => new Date(), quizPauseMs: PAUSE_MS },
  });
  h.fake.addChannel({ id: CHANNEL, name: 'quiz-night', isMember: true });
  // The quiz gets the adapter's Poster as in src/main.ts, counted so the fake clock can stand
  // still while a post is on its way (as real time would for a fast Slack).
  const poster = h.adapter.poster;
  const track = <T>(p: Promise<T>): Promise<T> => {
    inFlight++;
    return p.finally(() => {
      inFlight--;
    });
  };
  const counted: Poster = {
    post: (to, reply, options) => track(poster.post(to, reply, options)),
    edit: (ref, reply) => track(poster.edit(ref, reply)),
    checkChannel: (channel) => poster.checkChannel(channel),
    findPost: (channel, marker) => poster.findPost(channel, marker),
  };
  h.deps.posters.register('slack', counted);
  inFlight = 0;
});

afterEach(async () => {
  await h?.close();
  vi.useRealTimers();
});

/** Waits in real time (the fake clock stands still) until `test` holds. */
async function until(test: () => boolean, what: string, realMs = 5_000): Promise<void> {
  for (let waited = 0; !test(); waited += 2) {
    if (waited > realMs) throw new Error(`timed out waiting for ${what}`);
    await realPause(2);
  }
}

/** Lets posts and edits in flight finish (in real time) before the fake clock moves on. */
async function settle(): Promise<void> {
  for (let waited = 0; inFlight > 0 && waited < 5_000; waited += 1) await realPause(1);
}

/** Moves the fake clock in small steps, letting real I/O finish between them, until `test` holds. */
async function advanceUntil(test: () => boolean, what: string, maxFakeMs = 10_000): Promise<void> {
  await settle();
  for (let advanced = 0; !test(); advanced += 50) {
    if (advanced > maxFakeMs) throw new Error(`${what} did not happen within ${maxFakeMs} ms`);
    await vi.advanceTimersByTimeAsync(50);
    await realPause(1);
    await settle();
  }
}

/** Moves the fake clock by `ms` in small steps, so requests in flight land close to when they were sent. */
async function advanceBy(ms: number): Promise<void> {
  await settle();
  for (let advanced = 0; advanced < ms; advanced += 50) {
    await vi.advanceTimersByTimeAsync(Math.min(50, ms - advanced));
    await realPause(1);
    await settle();
  }
}

function posts(): RecordedCall[] {
  return h.fake.callsTo('chat.postMessage').filter((c) => c.body.channel === CHANNEL);
}

function headerOf(call: RecordedCall): string {
  return (call.blocks as Block[] | undefined)?.find((b) => b.type === 'header')?.text?.text ?? '';
}

/** The last round's question, once the game has ended and its session is gone. */
function lastQuestionId(): string {
  const result = Object.values(h.storage.docs.results.read().results)[0];
  return result?.rounds.at(-1)?.questionId ?? '';
}

function session(): QuizSession | undefined {
  return h.storage.docs.games.read().sessions[KEY];
}

async function slash(text: string, userId = 'U0MARIA') {
  const id = randomUUID();
  const answered = h.fake.nextResponse(id);
  const ack = await send(
    h.url,
    signedRequest(
      SECRET,
      slashCommandBody({
        command: '/quiz',
        text,
        userId,
        channelId: CHANNEL,
        channelName: 'quiz-night',
        responseUrl: h.fake.responseUrl(id),
      }),
    ),
  );
  expect(ack.status).toBe(200);
  return (await answered).body;
}

async function click(userId: string, actionId: string, messageTs: string) {
  const id = randomUUID();
  const answered = h.fake.nextResponse(id);
  const ack = await send(
    h.url,
    signedRequest(
      SECRET,
      blockActionBody({
        actionId,
        userId,
        channelId: CHANNEL,
        messageTs,
        responseUrl: h.fake.responseUrl(id),
      }),
    ),
  );
  expect(ack.status).toBe(200);
  expect(ack.ms).toBeLessThan(3_000);
  return (await answered).body;
}

describe('a quiz night on Slack through signed requests', () => {
  it('plays three questions with three players: buttons, private locks, live counts, reveals, scoreboard', async () => {
    const started = await slash('start questions:3 seconds:5');
    expect(started.response_type).toBe('in_channel');
    expect(JSON.stringify(started.blocks)).toContain('Quiz time!');
    const gameId = session()?.id as string;
    expect(gameId).toMatch(/^[0-9a-z]{6}$/);

    const players = { maria: 'U0MARIA', ada: 'U0ADMIN', hal: 'U0HOST' };
    for (let round = 0; round < 3; round++) {
      await advanceUntil(
        () => posts().some((c) => headerOf(c) === `Question ${round + 1} of 3`),
        `question ${round + 1}`,
      );
      const question = posts().find((c) => headerOf(c) === `Question ${round + 1} of 3`) as RecordedCall;
      const shownAt = question.at;
      // The question: its options in the text, A-D buttons, and a fallback for notifications.
      const actions = (question.blocks as Block[]).find((b) => b.type === 'actions');
      expect(actions?.elements?.map((e) => e.text?.text)).toEqual(['A', 'B', 'C', 'D']);
      expect(actions?.elements?.map((e) => e.action_id)).toEqual(
        [0, 1, 2, 3].map((i) => `quiz:${gameId}:${round}:${i}`),
      );
      expect(String(question.body.text)).toContain(`Question ${round + 1} of 3`);
      const ts = h.fake.messagesIn(CHANNEL).find((m) => m.text === question.body.text)?.ts as string;
      await until(() => session()?.rounds[round]?.messageId === ts, 'the question message id');

      const order = session()?.rounds[round]?.order as number[];
      const right = order.indexOf(0);
      const wrong = (right + 1) % 4;
      const letter = 'ABCD'[right] as string;

      const maria = await click(players.maria, `quiz:${gameId}:${round}:${right}`, ts);
      expect(maria.response_type).toBe('ephemeral');
      expect(maria.replace_original).toBe(false);
      expect(String(maria.text)).toContain(`Locked in: ${letter}`);
      if (round === 0) {
        // A double click is refused privately and does not change the first answer.
        const again = await click(players.maria, `quiz:${gameId}:${round}:${wrong}`, ts);
        expect(again.response_type).toBe('ephemeral');
        expect(JSON.stringify(again)).toContain('only your first answer counts');
        expect(session()?.rounds[0]?.answers[players.maria]?.choice).toBe(right);
      }
      await advanceBy(1_000);
      const ada = await click(players.ada, `quiz:${gameId}:${round}:${wrong}`, ts);
      expect(String(ada.text)).toContain(`Locked in: ${'ABCD'[wrong]}`);
      await advanceBy(1_000);
      const hal = await click(players.hal, `quiz:${gameId}:${round}:${right}`, ts);
      expect(String(hal.text)).toContain(`Locked in: ${letter}`);
      expect(Object.keys(session()?.rounds[round]?.answers ?? {})).toHaveLength(3);

      await advanceUntil(
        () => posts().some((c) => headerOf(c).startsWith('Answer:') && c.at >= shownAt && c !== question),
        `the answer to question ${round + 1}`,
      );
      const reveal = posts()
        .filter((c) => headerOf(c).startsWith('Answer:'))
        .at(-1) as RecordedCall;
      // Revealed when the 5 seconds are up, not before.
      expect(reveal.at - shownAt).toBeGreaterThanOrEqual(4_900);
      expect(reveal.at - shownAt).toBeLessThan(5_500);
      const questionId = session()?.rounds[round]?.questionId ?? lastQuestionId();
      expect(headerOf(reveal)).toBe(`Answer: ${letter}. right ${questionId.split('-').at(-1)}`);
      const revealText = JSON.stringify(reveal.blocks);
      expect(revealText).toContain('Maria (+');
      expect(revealText).toContain('Hal (+');
      expect(revealText).toContain(`Ada (${'ABCD'[wrong]})`);
      expect(revealText).toContain('Fixture Encyclopedia');

      // Live counts: this question was edited in place while open, showing how many answered.
      const edits = h.fake.callsTo('chat.update').filter((c) => c.body.ts === ts);
      const live = edits.filter((c) => (c.blocks as Block[]).some((b) => b.type === 'actions'));
      expect(live.length).toBeGreaterThanOrEqual(1);
      expect(JSON.stringify(live.at(-1)?.blocks)).toMatch(/[123] answered/);
      // The question is closed in place: buttons gone, final count shown.
      const closing = edits.at(-1) as RecordedCall;
      expect((closing.blocks as Block[]).some((b) => b.type === 'actions')).toBe(false);
      expect(JSON.stringify(closing.blocks)).toContain('3 answered. Time is up.');
    }

    await advanceUntil(() => posts().some((c) => headerOf(c) === 'Final scores'), 'the scoreboard');
    const board = posts().at(-1) as RecordedCall;
    const boardText = JSON.stringify(board.blocks).replaceAll('\u200b', '');
    // Ranked: Maria and Hal were both right every time, Maria faster; Ada never.
    expect(boardText).toMatch(
      /1\.\s+\*Maria\*: [\d,]+ points.*2\.\s+\*Hal\*: [\d,]+ points.*3\.\s+\*Ada\*: 0 points/,
    );
    expect(boardText).toContain('(3/3 right)');
    expect(boardText).toContain('(0/3 right)');

    // Saved: the game is over, the result counts on the leaderboard (three players, not practice).
    expect(session()).toBeUndefined();
    const results = Object.values(h.storage.docs.results.read().results);
    expect(results).toHaveLength(1);
    expect(results[0]?.practice).toBe(false);
    expect(results[0]?.players.map((p) => p.displayName)).toEqual(['Maria', 'Hal', 'Ada']);

    // Live count edits came at most every 4 seconds per game (Slack's update budget; the fake
    // records arrival, up to one 50 ms clock step after sending), and every edit stayed within
    // the workspace's per-minute budget. Nobody was pinged.
    const updates = h.fake.callsTo('chat.update');
    const live = updates.filter((c) => (c.blocks as Block[]).some((b) => b.type === 'actions'));
    expect(live.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < live.length; i++)
      expect((live[i] as RecordedCall).at - (live[i - 1] as RecordedCall).at).toBeGreaterThanOrEqual(3_900);
    for (const u of updates) {
      const inMinute = updates.filter((o) => o.at > u.at - 60_000 && o.at <= u.at);
      expect(inMinute.length).toBeLessThanOrEqual(45);
    }
    const everything = JSON.stringify([...h.fake.calls.map((c) => c.body), ...h.fake.responses]);
    for (const ping of ['<@U', '<!here>', '<!channel>', '<!everyone>'])
      expect(everything).not.toContain(ping);
  });

  it('refuses to start where the bot is not a member, saying how to invite it', async () => {
    h.fake.addChannel({ id: CHANNEL, name: 'quiz-night', isMember: false, isPrivate: true });
    const answer = await slash('start questions:3 seconds:5');
    expect(answer.response_type).toBe('ephemeral');
    expect(JSON.stringify(answer.blocks)).toContain('/invite @thawbot');
    expect(session()).toBeUndefined();
    expect(posts()).toHaveLength(0);
  });
});
