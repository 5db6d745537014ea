import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { loadContent } from '../../src/content/load.ts';
import { actor, REAL_CONTENT, testApp, textInvocation } from '../helpers/deps.ts';

const content = loadContent(REAL_CONTENT);

describe('/timeline', () => {
  it('pages events in date order with Previous and Next buttons that replace the message', async () => {
    const { router } = testApp({ content, commands });
    const first = await router.handle(textInvocation('/timeline from:1956 to:1956'));
    expect(first.title).toBe('Timeline 1956');
    const dates = (first.text ?? '').split('\n').map((l) => l.replace(/^- \*\*(.+?)\*\*.*$/, '$1'));
    expect(dates).toHaveLength(8);
    const total = content.library.events.filter((e) => e.year === 1956).length;
    expect(first.fields?.[0]?.value).toBe(`1 of ${Math.ceil(total / 8)} (${total} events)`);
    expect(first.actions).toEqual([
      { id: 'tl:1956:1956:*:1', label: 'Next' },
      { id: 'tlsrc:1956:1956:*:0', label: 'More sources', style: 'secondary' },
    ]);
    expect(first.sources?.length).toBe(3);
    const sources = await router.handleAction({ ...actor(), actionId: 'tlsrc:1956:1956:*:0' });
    expect(sources.reply.ephemeral).toBe(true);
    expect(sources.reply.sources?.length).toBeGreaterThan(3);
    const next = await router.handleAction({ ...actor(), actionId: 'tl:1956:1956:*:1' });
    expect(next.mode).toBe('replace');
    expect(next.reply.actions?.map((a) => a.label)).toEqual(['Previous', 'Next', 'More sources']);
    const firstOfPage2 = content.library.events
      .filter((e) => e.year === 1956)
      .sort((a, b) => a.monthDay.localeCompare(b.monthDay) || a.id.localeCompare(b.id))[8];
    expect(next.reply.text).toContain(firstOfPage2?.text);
  });

  it('filters by topic and refuses an inverted range or an empty one', async () => {
    const { router } = testApp({ content, commands });
    const hungary = await router.handle(textInvocation('/timeline 1956 1956 hungary'));
    expect(hungary.title).toBe('Timeline 1956: The Hungarian Revolution of 1956');
    expect((await router.handle(textInvocation('/timeline from:1964 to:1953'))).text).toContain(
      '`to` (1953) comes before `from` (1964).',
    );
    expect((await router.handle(textInvocation('/timeline from:1900 to:1901'))).text).toBe(
      'No events in the library for 1900-1901. Try a wider range.',
    );
    expect((await router.handle(textInvocation('/timeline from:1800'))).text).toContain(
      '`from` must be from 1900 to 2000',
    );
    expect((await router.handleAction({ ...actor(), actionId: 'tl:x:y:*:z' })).reply.text).toContain(
      'no longer available',
    );
  });
});
