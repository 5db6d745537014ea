import { describe, expect, it } from 'vitest';
import { fallbackText, renderReply, SLACK_LIMITS, slackDate } from '../../src/adapters/slack/render.ts';
import type { Reply } from '../../src/core/reply.ts';

type AnyBlock = {
  type: string;
  text?: { type: string; text: string };
  fields?: { text: string }[];
  elements?: {
    type: string;
    text?: string | { text: string };
    action_id?: string;
    value?: string;
    style?: string;
  }[];
};

const render = (r: Partial<Reply>) => renderReply({ fallbackText: 'fallback', ...r }).blocks as AnyBlock[];

describe('renderReply', () => {
  it('builds header, mrkdwn section, fields, sources and buttons in that order', () => {
    const blocks = render({
      title: 'The Secret Speech',
      text: '**Khrushchev** spoke on *25 February 1956*.\n\n- one\n- two',
      fields: [{ label: 'When', value: '1956' }],
      sources: [{ label: 'Taubman, Khrushchev', url: 'https://example.org/taubman' }, { label: 'A book' }],
      actions: [{ id: 'fact:alpha', label: 'Another fact', style: 'primary' }],
    });
    expect(blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'context', 'actions']);
    expect(blocks[0]?.text).toEqual({ type: 'plain_text', text: 'The Secret Speech', emoji: true });
    expect(blocks[1]?.text?.type).toBe('mrkdwn');
    expect(blocks[1]?.text?.text).toContain('*Khrushchev*');
    expect(blocks[1]?.text?.text).toContain('_25 February 1956_');
    expect(blocks[1]?.text?.text).toContain('•');
    expect(blocks[2]?.fields?.[0]?.text).toBe('*When*\n1956');
    expect(blocks[3]?.elements?.map((e) => e.text)).toEqual([
      '*Sources:*',
      '<https://example.org/taubman|Taubman, Khrushchev>',
      'A book',
    ]);
    expect(blocks[4]?.elements?.[0]).toMatchObject({
      type: 'button',
      action_id: 'fact:alpha',
      value: 'fact:alpha',
      style: 'primary',
    });
  });

  it('turns Markdown links into Slack links and escapes &, < and >', () => {
    const [section] = render({ text: 'See [Tom & Jerry <1956>](https://example.org/?a=1&b=2) & a < b > c' });
    expect(section?.text?.text).toBe(
      'See <https://example.org/?a=1&b=2|Tom &amp; Jerry &lt;1956&gt;> &amp; a &lt; b &gt; c',
    );
  });

  it('lets no Slack markup through from the text', () => {
    const blocks = render({
      title: '<!channel> title',
      text: '<!here> <https://evil.example|click> <@U123> <!date^1^{time}|x>',
      fields: [{ label: '<!everyone>', value: '<@U9|eve>' }],
      sources: [{ label: '<!channel>', url: 'https://example.org/a>|<!here' }],
      actions: [{ id: 'x:1', label: '<!channel> go' }],
      fallbackText: '@channel <!here> wake up',
    });
    const json = JSON.stringify(blocks);
    expect(json).not.toMatch(/<!(channel|here|everyone)|<@U|<https:\/\/evil|<!date\^1/);
    expect(json).not.toMatch(/@(channel|here|everyone)/);
    const text = fallbackText({ fallbackText: '@channel <!here> <@U1|ann> wake up' });
    expect(text).not.toMatch(/<|@(channel|here)/);
    expect(text).toContain('@ann');
  });

  it('keeps the header within 150 characters and buttons within 75', () => {
    const blocks = render({ title: 'T'.repeat(400), actions: [{ id: 'a:1', label: 'L'.repeat(120) }] });
    expect(blocks[0]?.text?.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
    const button = blocks[1]?.elements?.[0]?.text as { text: string };
    expect(button.text.length).toBeLessThanOrEqual(SLACK_LIMITS.buttonText);
  });

  it('splits long text into sections of at most 3000 characters at paragraph boundaries', () => {
    const paragraph = `${'word '.repeat(199)}end.`;
    const text = Array.from({ length: 8 }, () => paragraph).join('\n\n');
    const sections = render({ text }).filter((b) => b.type === 'section');
    expect(sections.length).toBeGreaterThan(1);
    for (const s of sections) {
      expect(s.text?.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
      expect(s.text?.text.endsWith('end.')).toBe(true);
    }
    expect(sections.map((s) => s.text?.text).join('\n\n')).toBe(text);
  });

  it('never splits inside a link or an entity', () => {
    const cases = [
      `${'x'.repeat(2985)}[a source](https://example.org/very/long/path)tail`,
      `${'x'.repeat(2997)}&&&&tail`,
    ];
    for (const text of cases) {
      const sections = render({ text }).filter((b) => b.type === 'section');
      expect(sections.length).toBe(2);
      for (const s of sections) {
        const t = s.text?.text ?? '';
        expect(t.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
        expect((t.match(/</g) ?? []).length).toBe((t.match(/>/g) ?? []).length);
        expect(t).not.toMatch(/&[a-z]*$/);
        expect(t).not.toMatch(/^[a-z]*;/);
      }
    }
  });

  it('puts at most 10 fields in a section', () => {
    const fields = Array.from({ length: 23 }, (_, i) => ({ label: `F${i}`, value: `v${i}` }));
    const sections = render({ fields }).filter((b) => b.fields);
    expect(sections.map((s) => s.fields?.length)).toEqual([10, 10, 3]);
  });

  it('keeps sources to 10 context elements', () => {
    const sources = Array.from({ length: 25 }, (_, i) => ({ label: `Source ${i}` }));
    const [context] = render({ sources });
    expect(context?.elements?.length).toBeLessThanOrEqual(SLACK_LIMITS.contextElements);
    expect(JSON.stringify(context)).toContain('Source 24');
  });

  it('cuts a long button label after a whole word, with an ellipsis, within 75 characters', () => {
    const label =
      "The Cuban Missile Crisis (October 1962) as Khrushchev's Crisis, seen from Moscow, Havana and Washington";
    const blocks = render({ actions: [{ id: 'learn:cuba', label }] });
    const button = blocks[0]?.elements?.[0]?.text as { text: string };
    expect(button.text).toBe("The Cuban Missile Crisis (October 1962) as Khrushchev's Crisis, seen from…");
    expect(button.text.length).toBeLessThanOrEqual(SLACK_LIMITS.buttonText);
  });

  it('puts at most 25 buttons in an actions block and keeps action ids unique', () => {
    const actions = Array.from({ length: 30 }, (_, i) => ({ id: `opt:${i % 28}`, label: `${i}` }));
    const blocks = render({ actions }).filter((b) => b.type === 'actions');
    expect(blocks.map((b) => b.elements?.length)).toEqual([25, 5]);
    const ids = blocks.flatMap((b) => b.elements?.map((e) => e.action_id));
    expect(new Set(ids).size).toBe(30);
    expect(blocks[1]?.elements?.[3]?.value).toBe('opt:0');
  });

  it('stays within 50 blocks, keeping title, sources and buttons', () => {
    const fields = Array.from({ length: 600 }, (_, i) => ({ label: `F${i}`, value: 'v' }));
    const blocks = render({
      title: 'Big',
      fields,
      sources: [{ label: 'S' }],
      actions: [{ id: 'a:1', label: 'A' }],
    });
    expect(blocks).toHaveLength(SLACK_LIMITS.blocks);
    expect(blocks[0]?.type).toBe('header');
    expect(blocks.at(-1)?.type).toBe('actions');
    expect(blocks.at(-2)?.type).toBe('context');
    expect(JSON.stringify(blocks)).toContain('shortened');
  });

  it('renders a countdown as a Slack date with a UTC fallback', () => {
    const endsAt = Date.UTC(2026, 1, 25, 18, 30, 0);
    expect(slackDate(endsAt)).toBe(`<!date^${endsAt / 1000}^{time}|18:30 UTC>`);
    const [context] = render({ countdown: { endsAt, label: 'Time is up' } });
    expect(context?.elements?.[0]?.text).toContain(`Time is up: <!date^${endsAt / 1000}^{time}|18:30 UTC>`);
    expect(fallbackText({ fallbackText: 'Round 1', countdown: { endsAt, label: 'Ends' } })).toBe(
      'Round 1 (Ends: 18:30 UTC)',
    );
  });

  it('gives an empty reply a valid message', () => {
    const message = renderReply({ fallbackText: '' });
    expect(message.text).toBe('thawbot');
    expect(message.blocks).toEqual([]);
  });
});

describe('the configured quiz-night ping', () => {
  it('mentions exactly the configured user group, in the blocks and the notification text', () => {
    const reply: Reply = {
      title: 'Quiz night in 10 minutes',
      text: 'Get ready <!channel> @here',
      mention: { id: 'S0TEACH', label: '@teachers' },
      fallbackText: 'Quiz night in 10 minutes <!everyone>',
    };
    const { text, blocks } = renderReply(reply);
    const all = JSON.stringify({ text, blocks });
    expect(text.startsWith('<!subteam^S0TEACH> ')).toBe(true);
    expect(all.match(/<!subteam\^/g)).toHaveLength(2);
    for (const ping of ['<!channel>', '<!here>', '<!everyone>', '<@U']) expect(all).not.toContain(ping);
  });

  it('drops a mention whose id is not a user group id', () => {
    for (const id of ['U0MARIA', 'S0X>|<!channel', 'here', '']) {
      const all = JSON.stringify(renderReply({ fallbackText: 'x', mention: { id, label: 'x' } }));
      expect(all).not.toContain('<!subteam');
      expect(all).not.toContain('<!channel>');
    }
  });
});
