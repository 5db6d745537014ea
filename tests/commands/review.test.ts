/** `/review` on in-memory storage with an injected clock. */
import { describe, expect, it } from 'vitest';
import { whenText } from '../../commands/learner-time.ts';
import { SESSION_CARDS } from '../../commands/review.ts';
import type { Actor } from '../../src/core/command.ts';
import type { Reply } from '../../src/core/reply.ts';
import { memoryStorage } from '../../src/store/doc/index.ts';
import { actor, CHANNEL, testApp, textInvocation } from '../helpers/deps.ts';
import { quizContent } from '../helpers/quiz-content.ts';

const ws = { platform: CHANNEL.platform, workspaceId: CHANNEL.workspaceId };
const DAY = 86_400_000;

function app() {
  let now = new Date('2026-03-10T19:00:00Z');
  const storage = memoryStorage();
  const built = testApp({ content: quizContent(), storage, now: () => now });
  const me = actor();
  const run = (line: string, who: Actor = me) => built.router.handle(textInvocation(line, who));
  const press = async (id: string, who: Actor = me) => built.router.handleAction({ ...who, actionId: id });
  const miss = (questionId: string) =>
    built.deps.study.recordAnswer({
      ws,
      userId: me.user.id,
      questionId,
      correct: false,
      source: 'quiz',
      at: now,
    });
  const setNow = (iso: string) => {
    now = new Date(iso);
  };
  return { ...built, storage, me, run, press, miss, setNow };
}

/** The A-D button with the right (or a wrong) option of a review card. */
function option(card: Reply, right: boolean): string {
  const lines = (card.text ?? '').split('\n').filter((l) => /^\*\*[A-D]\.\*\*/.test(l));
  const index = lines.findIndex((l) => l.includes('right'));
  const id = card.actions?.[right ? index : (index + 1) % 4]?.id;
  if (!id) throw new Error(`no option on ${card.title}`);
  return id;
}
function button(card: Reply, label: string): string {
  const id = card.actions?.find((a) => a.label === label)?.id;
  if (!id) throw new Error(`no ${label} on ${card.title}`);
  return id;
}

describe('/review start', () => {
  it('explains an empty deck privately', async () => {
    const a = app();
    const out = await a.run('/review start');
    expect(out.ephemeral).toBe(true);
    expect(out.title).toBe('Your review deck');
    expect(out.text).toContain('Your review deck is empty');
    expect(out.text).toContain('`/quiz start`');
    expect(out.text).toContain('`/learn`');
  });

  it("brings back yesterday's misses: wrong is Again, a right pick is self-graded, then all caught up", async () => {
    const a = app();
    await a.storage.settings.change(CHANNEL, (s) => {
      s.timezone = 'Europe/Berlin';
    });
    for (const id of ['q-easy-3', 'q-easy-4', 'q-easy-5']) await a.miss(id);
    // The quiz made its topic a source of new cards; this learner takes none, to reach the end.
    await a.run('/review new-cards 0');
    // Not due on the evening of the quiz.
    expect((await a.run('/review start')).text).toContain('All caught up: next review tomorrow at 20:00');
    a.setNow('2026-03-11T19:30:00Z');

    const first = await a.run('/review');
    expect(first.ephemeral).toBe(true);
    expect(first.title).toBe('Review: card 1');
    expect(first.text).toContain('**3 cards are due**');
    expect(first.actions?.map((x) => x.label)).toEqual(['A', 'B', 'C', 'D']);
    const wrong = await a.press(option(first, false));
    expect(wrong.mode).toBe('replace');
    expect(wrong.reply.title).toMatch(/^Not quite: the answer is [A-D]\. right \d+$/);
    expect(wrong.reply.text).toMatch(/^Because \d+\.\n\nThis card comes back tomorrow at \d\d:\d\d\.$/);
    expect(wrong.reply.sources).toEqual([{ label: 'Fixture Encyclopedia' }]);
    expect(wrong.reply.actions?.map((x) => x.label)).toEqual(['Next', 'Report a problem']);
    // Recorded at once as Again.
    const logs = await a.storage.study.logs(ws, a.me.user.id, new Date('2026-03-11T00:00:00Z'));
    expect(logs).toEqual([expect.objectContaining({ rating: 1, correct: false, source: 'review' })]);

    const second = (await a.press(button(wrong.reply, 'Next'))).reply;
    expect(second.title).toBe('Review: card 2');
    expect(second.text).toContain('**2 cards are due**');
    const right = await a.press(option(second, true));
    expect(right.reply.title).toMatch(/^Right! [A-D]\. right \d+$/);
    expect(right.reply.actions?.map((x) => x.label)).toEqual([
      'Again',
      'Hard',
      'Good',
      'Easy',
      'Next',
      'Report a problem',
    ]);
    // Nothing recorded until the learner grades it.
    expect(await a.storage.study.logs(ws, a.me.user.id, new Date('2026-03-11T00:00:00Z'))).toHaveLength(1);
    const third = (await a.press(button(right.reply, 'Easy'))).reply;
    expect(third.text).toMatch(/^Easy: that card comes back on .+ at \d\d:\d\d\.\n\n\*\*1 card is due\*\*/);
    expect(third.title).toBe('Review: card 3');

    const last = await a.press(option(third, true));
    const done = (await a.press(button(last.reply, 'Next'))).reply;
    expect(done.title).toBe('All caught up');
    expect(done.text).toMatch(
      /^Good: that card comes back .+\n\nYou reviewed 3 cards\. All caught up: next review tomorrow at \d\d:\d\d \(Europe\/Berlin\)\.$/,
    );
    const ratings = (await a.storage.study.logs(ws, a.me.user.id, new Date('2026-03-11T00:00:00Z'))).map(
      (l) => l.rating,
    );
    expect(ratings).toEqual([1, 4, 3]);
  });

  it("refuses another person's buttons and answers a second press politely", async () => {
    const a = app();
    await a.miss('q-easy-3');
    await a.miss('q-easy-4');
    a.setNow('2026-03-12T19:00:00Z');
    const card = await a.run('/review start');
    const other = await a.press(option(card, false), actor('host'));
    expect(other).toMatchObject({ mode: 'new', reply: { ephemeral: true } });
    expect(other.reply.text).toContain('belongs to someone else');
    await a.press(option(card, false));
    const again = await a.press(option(card, true));
    expect(again.reply.text).toMatch(/^That card was already answered, so here is the next one\./);
    expect(await a.storage.study.logs(ws, a.me.user.id, new Date('2026-03-12T00:00:00Z'))).toHaveLength(1);
    expect((await a.press('review:q:garbage')).reply.text).toContain('no longer works');
  });

  it(`stops after ${SESSION_CARDS} cards and says how many are still due`, async () => {
    const a = app();
    const ids = [
      ...Array.from({ length: 12 }, (_, i) => `q-easy-${i + 1}`),
      ...Array.from({ length: 10 }, (_, i) => `q-medium-${i + 1}`),
    ];
    for (const id of ids) await a.miss(id);
    a.setNow('2026-03-12T19:00:00Z');
    let card = await a.run('/review start');
    for (let i = 0; i < SESSION_CARDS; i++) {
      expect(card.title).toBe(`Review: card ${i + 1}`);
      const revealed = await a.press(option(card, true));
      card = (await a.press(button(revealed.reply, 'Next'))).reply;
    }
    expect(card.title).toBe(`${SESSION_CARDS} cards: time for a break`);
    expect(card.text).toContain('2 cards are still due');
  });

  it("offers new cards from the learner's topics right away, and within one topic", async () => {
    const a = app();
    await a.run('/learn alpha');
    const out = await a.run('/review start');
    expect(out.text).toContain('**New card** from your topics (5 new left today)');
    const revealed = await a.press(option(out, true));
    const next = (await a.press(button(revealed.reply, 'Good'))).reply;
    expect(next.text).toContain('(4 new left today)');
    expect((await a.storage.study.cards(ws, a.me.user.id))[0]).toMatchObject({ addedBy: 'review' });

    const beta = await a.run('/review start topic:beta');
    expect(beta.text).toMatch(/\*\*New card\*\*/);
    expect(beta.text).toMatch(/question (1|2)\?/);
    const unknown = await a.run('/review start topic:gamma');
    expect(unknown.text).toContain('I have no topic called "gamma"');
  });
});

describe('/review in a direct message', () => {
  it('says the deck lives in a server, and stores nothing', async () => {
    const a = app();
    await a.miss('q-easy-1');
    for (const line of ['/review start', '/review new-cards 3']) {
      const out = await a.run(line, { ...a.me, inServer: false });
      expect(out.ephemeral).toBe(true);
      expect(out.text).toContain('Your review deck lives in a server: run `/review` there.');
    }
    expect((await a.storage.study.profile(ws, a.me.user.id))?.newPerDay).toBe(5);
  });
});

describe('/review new-cards', () => {
  it("sets the learner's new cards a day, 0 to 50", async () => {
    const a = app();
    const out = await a.run('/review new-cards 12');
    expect(out.ephemeral).toBe(true);
    expect(out.text).toContain('Up to 12 new cards a day');
    expect((await a.storage.study.profile(ws, a.me.user.id))?.newPerDay).toBe(12);
    await a.run('/learn alpha');
    expect((await a.run('/review start')).text).toContain('(12 new left today)');
    const tooMany = await a.run('/review new-cards 51');
    expect(tooMany.ephemeral).toBe(true);
    expect(tooMany.text).toMatch(/50/);
    expect((await a.storage.study.profile(ws, a.me.user.id))?.newPerDay).toBe(12);
    await a.run('/review new-cards 0');
    expect((await a.run('/review start')).title).toBe('Your review deck');
  });
});

describe('review buttons', () => {
  it('fit in 100 characters with a long user id, the longest question id and a topic', async () => {
    const content = quizContent();
    const longest = content.topics.length;
    expect(longest).toBeGreaterThan(0);
    const a = app();
    const user: Actor = {
      ...actor(),
      user: { platform: 'console', id: '12345678901234567890', displayName: 'x' },
    };
    await a.deps.study.recordAnswer({
      ws,
      userId: user.user.id,
      questionId: 'q-medium-12',
      correct: false,
      source: 'quiz',
    });
    a.setNow('2026-03-12T19:00:00Z');
    const card = await a.run('/review start topic:alpha', user);
    for (const b of card.actions ?? []) expect(b.id.length).toBeLessThanOrEqual(100);
    const revealed = await a.press(option(card, true), user);
    for (const b of revealed.reply.actions ?? []) expect(b.id.length).toBeLessThanOrEqual(100);
  });

  it("say when the next review is in the learner's zone", () => {
    const now = new Date('2026-03-10T19:00:00Z');
    expect(whenText(new Date(now.getTime() + 3_600_000), now, 'UTC')).toBe('today at 20:00');
    expect(whenText(new Date(now.getTime() + DAY), now, 'Asia/Tokyo')).toBe('tomorrow at 04:00');
    expect(whenText(new Date(now.getTime() + 3 * DAY), now, 'UTC')).toBe('on Friday at 19:00');
    expect(whenText(new Date(now.getTime() + 30 * DAY), now, 'UTC')).toBe('on 9 April at 19:00');
  });
});
