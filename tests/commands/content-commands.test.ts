import { describe, expect, it } from 'vitest';
import { fact } from '../../commands/fact.ts';
import { help } from '../../commands/help.ts';
import { learn } from '../../commands/learn.ts';
import { reading } from '../../commands/reading.ts';
import { topicCommand } from '../../commands/topic-command.ts';
import type { Command } from '../../src/core/command.ts';
import { actor, testApp, textInvocation } from '../helpers/deps.ts';

const alphaCommand = topicCommand('alpha', 'alpha', 'The alpha topic');
const commands: Command[] = [alphaCommand, learn, fact, reading, help];

describe('topic commands', () => {
  it('show the short summary, one fun fact, sources and two buttons', async () => {
    const { router } = testApp({ commands });
    const out = await router.handle(textInvocation('/alpha'));
    expect(out.title).toBe('The Alpha Topic');
    expect(out.text).toBe('Alpha is the first fixture topic. It happened on 25 February 1956.');
    expect(out.fields?.[0]?.label).toBe('Fun fact');
    expect(["Alpha's first fun fact.", "Alpha's second fun fact."]).toContain(out.fields?.[0]?.value);
    expect(out.sources?.[0]).toEqual({ label: 'Fixture Encyclopedia', url: 'https://example.org/alpha' });
    expect(out.actions?.map((a) => a.label)).toEqual(['Another fun fact', 'Related topics']);
    expect(out.actions?.[0]?.id).toMatch(/^fact:alpha:[0-9a-z]+:1$/);
    expect(out.ephemeral).toBeFalsy();
    expect(out.fallbackText).toContain('The Alpha Topic');
  });

  it('show the full summary on request', async () => {
    const { router } = testApp({ commands });
    const out = await router.handle(textInvocation('/alpha detail:full'));
    expect(out.text).toContain("Alpha's **full** summary");
    expect((await router.handle(textInvocation('/alpha FULL'))).text).toContain('full');
    expect((await router.handle(textInvocation('/alpha long'))).text).toContain(
      '`detail` must be one of: short, full',
    );
  });

  it('give another, different fun fact from the button', async () => {
    const { router } = testApp({ commands });
    const first = await router.handle(textInvocation('/alpha'));
    const shown = first.fields?.[0]?.value;
    const next = await router.handleAction({ ...actor(), actionId: first.actions?.[0]?.id as string });
    expect(next.mode).toBe('new');
    expect(next.reply.ephemeral).toBe(true);
    expect(next.reply.text).not.toBe(shown);
    expect(next.reply.text).toMatch(/^Alpha's (first|second) fun fact\.$/);
  });

  it('list related topics with buttons that open them', async () => {
    const { router } = testApp({ commands });
    const related = await router.handleAction({ ...actor(), actionId: 'related:alpha' });
    expect(related.reply.text).toContain('**Beta Matters**');
    expect(related.reply.actions).toEqual([{ id: 'learn:beta', label: 'Beta Matters' }]);
    const opened = await router.handleAction({ ...actor(), actionId: 'learn:beta' });
    expect(opened.reply.title).toBe('Beta Matters');
  });
});

describe('/learn', () => {
  it('finds topics by id, alias and title, ignoring case', async () => {
    const { router } = testApp({ commands });
    for (const name of ['beta', 'second topic', 'BETA MATTERS', 'topic:"Second Topic"']) {
      expect((await router.handle(textInvocation(`/learn ${name}`))).title).toBe('Beta Matters');
    }
  });

  it('answers unknown topics with a did-you-mean list', async () => {
    const { router } = testApp({ commands });
    const out = await router.handle(textInvocation('/learn alpah'));
    expect(out.ephemeral).toBe(true);
    expect(out.text).toBe('I have no topic called "alpah". Did you mean: `alpha` (The Alpha Topic)?');
    const none = await router.handle(textInvocation('/learn zebra crossing'));
    expect(none.text).toContain('Topics: `alpha`, `beta`.');
  });

  it('lists the topics, grouped, when no topic is given, and suggests topics for autocomplete', async () => {
    const { router } = testApp({ commands });
    const list = await router.handle(textInvocation('/learn'));
    expect(list.ephemeral).toBe(true);
    expect(list.title).toBe('Topics (2)');
    expect(list.text).toBe(
      "Type `/learn` with a topic's name, for example `/learn alpha`.\n\n**Events of the Thaw**\n- `alpha` The Alpha Topic\n- `beta` Beta Matters",
    );
    expect(router.suggest('learn', undefined, 'topic', 'be')).toEqual([
      { value: 'beta', label: 'Beta Matters' },
    ]);
  });
});

describe('/fact', () => {
  it('gives a fact with its source, optionally on one topic', async () => {
    const { router } = testApp({ commands });
    const out = await router.handle(textInvocation('/fact alpha'));
    expect(out.title).toBe('Fun fact: The Alpha Topic');
    expect(out.sources?.length).toBeGreaterThan(0);
    const none = await router.handle(textInvocation('/fact beta'));
    expect(none.text).toBe('There are no fun facts about Beta Matters yet.');
    expect(none.ephemeral).toBe(true);
  });
});

describe('/reading', () => {
  it('lists the books with author, year, level and note', async () => {
    const { router } = testApp({ commands });
    const out = await router.handle(textInvocation('/reading'));
    expect(out.text).toBe(
      '**Introductory (for beginners)**\n- **A Fixture Book** by A. Writer (2001): The one book you need for the fixtures.',
    );
    const advanced = await router.handle(textInvocation('/reading advanced'));
    expect(advanced.text).toBe('The reading list is empty for that level.');
  });

  it('takes beginner as the introductory level, as /help promises books for beginners', async () => {
    const { router } = testApp({ commands });
    for (const word of ['beginner', 'Beginners', 'introductory', 'level:intro']) {
      const out = await router.handle(textInvocation(`/reading ${word}`));
      expect(out.title).toBe('Reading list: introductory (for beginners)');
      expect(out.text).toContain('**A Fixture Book**');
    }
    const wrong = await router.handle(textInvocation('/reading expertise'));
    expect(wrong.ephemeral).toBe(true);
    expect(wrong.text).toBe(
      'I have two reading levels: `introductory` (or `beginner`) and `advanced`, not "expertise".\n\nUsage: `/reading level:beginner`',
    );
  });
});

describe('/help', () => {
  it('lists every command and explains one', async () => {
    const { router } = testApp({ commands });
    const all = await router.handle(textInvocation('/help'));
    for (const c of commands) expect(all.text).toContain(`\`/${c.name}\``);
    const one = await router.handle(textInvocation('/help learn'));
    expect(one.text).toContain('`/learn [topic:hungary-1956] [detail:short|full]`');
    const unknown = await router.handle(textInvocation('/help lern'));
    expect(unknown.text).toContain('There is no `/lern` command. Did you mean `/learn`?');
  });
});

describe('topic names', () => {
  it('resolve a unique prefix of a name but never guess from two letters', async () => {
    const { router } = testApp({ commands });
    expect((await router.handle(textInvocation('/learn bet')))?.title).toBe('Beta Matters');
    const byAlias = await router.handle(textInvocation('/learn topic:"second"'));
    expect(byAlias.title).toBe('Beta Matters');
    expect((await router.handle(textInvocation('/learn al'))).ephemeral).toBe(true);
  });
});
