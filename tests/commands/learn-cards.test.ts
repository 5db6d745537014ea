import { describe, expect, it } from 'vitest';
import { renderReply as renderDiscord } from '../../src/adapters/discord/render.ts';
import { renderReply as renderSlack } from '../../src/adapters/slack/render.ts';
import { CARD_SOURCES, RELATED_PAGE, sourceLabel, topicGroup } from '../../src/content/cards.ts';
import { loadContent } from '../../src/content/load.ts';
import type { ActionResult } from '../../src/core/command.ts';
import type { Reply } from '../../src/core/reply.ts';
import { actor, REAL_CONTENT, testApp, textInvocation } from '../helpers/deps.ts';
import { PEOPLE } from '../helpers/people.ts';

const content = loadContent(REAL_CONTENT);

function app(seed = 7) {
  return testApp({ content, seed }).router;
}

async function press(router: ReturnType<typeof app>, id: string): Promise<ActionResult> {
  return router.handleAction({ ...actor(), actionId: id });
}

function action(reply: Reply, label: string): string {
  const found = reply.actions?.find((a) => a.label === label);
  if (!found) throw new Error(`no "${label}" button on ${reply.title}`);
  return found.id;
}

describe('/learn without a topic', () => {
  const BACKGROUND = [
    'lenins-testament',
    'kirov-1934',
    'great-terror',
    'deportations-1941-1944',
    'late-stalinism',
  ];

  it('groups the topics: the fifteen people, the Stalin-years background, and the events', () => {
    const people = content.topics.filter((t) => topicGroup(t) === 'people').map((t) => t.id);
    const background = content.topics.filter((t) => topicGroup(t) === 'background').map((t) => t.id);
    expect(people.sort()).toEqual([...PEOPLE].sort());
    expect(background.sort()).toEqual([...BACKGROUND].sort());
    for (const id of ['hungary-1956', 'poland-1956', 'thaw', 'stalin-death', 'berlin-crisis'])
      expect(topicGroup(content.topic(id) as never)).toBe('events');
  });

  it('lists every topic under its group, privately, with how to open one', async () => {
    const list = await app().handle(textInvocation('/learn'));
    expect(list.ephemeral).toBe(true);
    const text = list.text ?? '';
    expect(text).toMatch(/^Type `\/learn` with a topic's name, for example `\/learn hungary-1956`\./);
    const events = text.indexOf('**Events of the Thaw**');
    const people = text.indexOf('**People**');
    const background = text.indexOf('**Background: the Stalin years**');
    expect(events).toBeGreaterThan(0);
    expect(people).toBeGreaterThan(events);
    expect(background).toBeGreaterThan(people);
    for (const topic of content.topics) expect(text).toContain(`- \`${topic.id}\` ${topic.title}`);
    expect(text.slice(people, background)).toContain('`imre-nagy`');
    expect(text.slice(background)).toContain('`great-terror`');
    expect(text.slice(events, people)).toContain('`hungary-1956`');
  });

  it('fits one Discord description and Slack sections within their limits', async () => {
    const list = await app().handle(textInvocation('/learn'));
    expect((list.text ?? '').length).toBeLessThanOrEqual(4096);
    const [message] = renderDiscord(list);
    expect(message?.embeds[0]?.description).toBe(list.text);
    for (const block of renderSlack(list).blocks)
      if (block.type === 'section' && block.text) expect(block.text.text.length).toBeLessThanOrEqual(3000);
  });
});

describe('related topics', () => {
  it('page through every related topic in declared order, with a More button', async () => {
    const router = app();
    const thaw = content.topic('thaw');
    const declared = (thaw?.related ?? []).filter((id) => content.topic(id));
    expect(declared.length).toBeGreaterThan(RELATED_PAGE);
    const first = await press(router, 'related:thaw');
    expect(first.mode).toBe('new');
    expect(first.reply.title).toBe(
      `Related to The Khrushchev Thaw (1-${RELATED_PAGE} of ${declared.length})`,
    );
    const opened: string[] = [];
    let page = first.reply;
    for (let guard = 0; guard < 10; guard++) {
      opened.push(...(page.actions ?? []).filter((a) => a.id.startsWith('learn:')).map((a) => a.id.slice(6)));
      const more = page.actions?.find((a) => a.label === 'More');
      if (!more) break;
      const next = await press(router, more.id);
      expect(next.mode).toBe('replace');
      page = next.reply;
    }
    expect(opened).toEqual(declared);
    expect(page.actions?.some((a) => a.label === 'Previous')).toBe(true);
  });

  it('label their buttons with whole titles, not cut at 40 characters', async () => {
    const page = (await press(app(), 'related:thaw')).reply;
    expect(page.actions?.map((a) => a.label)).toContain('The death and funeral of Stalin (March 1953)');
    const discord = renderDiscord(page)
      .flatMap((m) => m.components)
      .flatMap((row) => row.components.map((b) => b.label));
    expect(discord).toContain('The death and funeral of Stalin (March 1953)');
  });
});

describe('fun facts', () => {
  it('go round all of a topic’s facts before one repeats', async () => {
    const router = app(3);
    const topic = 'late-stalinism';
    const total = content.facts(topic, 'fun').length;
    expect(total).toBeGreaterThan(3);
    const card = await router.handle(textInvocation(`/learn ${topic}`));
    const seen = [card.fields?.[0]?.value];
    let next = action(card, 'Another fun fact');
    for (let i = 1; i < total * 2 + 1; i++) {
      const shown = (await press(router, next)).reply;
      seen.push(shown.text);
      next = action(shown, 'Another fun fact');
      expect(next.length).toBeLessThanOrEqual(100);
    }
    expect(new Set(seen.slice(0, total)).size).toBe(total);
    expect(new Set(seen.slice(total, total * 2)).size).toBe(total);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).not.toBe(seen[i - 1]);
  });

  it('go round from /fact too, across all topics', async () => {
    const router = app(11);
    const first = await router.handle(textInvocation('/fact kirov-1934'));
    const total = content.facts('kirov-1934', 'fun').length;
    const seen = new Set([first.text]);
    let next = action(first, 'Another fun fact');
    for (let i = 1; i < total; i++) {
      const shown = (await press(router, next)).reply;
      seen.add(shown.text);
      next = action(shown, 'Another fun fact');
    }
    expect(seen.size).toBe(total);
  });

  it('still answer buttons posted before, which carry the fact just shown', async () => {
    const [fact] = content.facts('thaw', 'fun');
    const out = await press(app(), `fact:thaw:${fact?.id}`);
    expect(out.reply.title).toBe('Fun fact: The Khrushchev Thaw');
    expect(out.reply.text).not.toBe(fact?.text);
  });
});

describe('sources under a card', () => {
  it('show at most three, the fun fact’s among them, and the rest behind More sources', async () => {
    const router = app();
    const card = await router.handle(textInvocation('/thaw detail:full'));
    expect(card.sources?.length).toBe(CARD_SOURCES);
    const fact = content.facts('thaw', 'fun').find((f) => f.text === card.fields?.[0]?.value);
    const factUrl = fact?.sources.find((s) => s.url)?.url;
    if (factUrl) expect(card.sources?.map((s) => s.url)).toContain(factUrl);
    const all = (await press(router, action(card, 'More sources'))).reply;
    expect(all.ephemeral).toBe(true);
    expect(all.title).toBe('Sources: The Khrushchev Thaw');
    expect(all.sources?.length).toBeGreaterThan(CARD_SOURCES);
    for (const shown of card.sources ?? []) expect(all.sources).toContainEqual(shown);
  });

  it('name each source once, without repeating the publisher or nesting brackets', () => {
    expect(sourceLabel({ title: 'Brézhnev, Leonid Ilich (Enciclopedia Universal)', year: 2012 })).toBe(
      'Brézhnev, Leonid Ilich (Enciclopedia Universal), 2012',
    );
    expect(
      sourceLabel({ title: "Time magazine report on Beria's fall, July 1953", author: 'Time', year: 1953 }),
    ).toBe("Time magazine report on Beria's fall, July 1953");
    expect(
      sourceLabel({ title: 'Khrushchev Remembers', author: 'Nikita Khrushchev', year: 1970, pages: '12' }),
    ).toBe('Khrushchev Remembers (Nikita Khrushchev, 1970), p. 12');
    for (const source of content.topics.flatMap((t) => t.sources)) {
      const label = sourceLabel(source);
      expect(label).not.toMatch(/\([^()]*\([^()]*\)[^()]*\)\s*\(/);
      expect(label).not.toMatch(/\) \(/);
    }
  });

  it('/reading links each book once and lists no separate sources', async () => {
    const out = await app().handle(textInvocation('/reading'));
    expect(out.sources ?? []).toEqual([]);
    const lines = (out.text ?? '').split('\n').filter((l) => l.startsWith('- '));
    expect(lines).toHaveLength(content.reading.length);
    for (const line of lines) expect(line.match(/\]\(https?:/g)?.length ?? 0).toBeLessThanOrEqual(1);
    expect(out.text).toContain('**Introductory (for beginners)**');
    expect(out.text).toContain('**Advanced**');
  });
});
