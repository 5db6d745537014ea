/** "Quiz me on this" answers and topics opened with /learn feed the learner's review deck. */
import { describe, expect, it, vi } from 'vitest';
import { loadContent } from '../../src/content/load.ts';
import { memoryStorage } from '../../src/store/doc/index.ts';
import { actor, REAL_CONTENT, testApp, textInvocation } from '../helpers/deps.ts';

const content = loadContent(REAL_CONTENT);
const ws = { platform: 'console' as const, workspaceId: 'w1' };

function app(storage = memoryStorage()) {
  return { storage, ...testApp({ content, storage, now: () => new Date('2026-02-25T10:00:00Z') }) };
}

describe('the review deck is fed by', () => {
  it('"Quiz me on this" answers, with the source learn', async () => {
    const a = app();
    const asked = await a.router.handleAction({ ...actor(), actionId: 'dq:2026-02-25' });
    const first = asked.reply.actions?.[0]?.id as string;
    const questionId = first.split(':')[1] as string;
    const answered = await a.router.handleAction({ ...actor(), actionId: first });
    const right = answered.reply.title === 'Right!';
    expect(await a.storage.study.cards(ws, 'u-member')).toEqual([
      expect.objectContaining({ questionId, addedBy: 'learn' }),
    ]);
    expect(await a.storage.study.logs(ws, 'u-member', new Date(0))).toEqual([
      expect.objectContaining({ questionId, correct: right, rating: right ? 3 : 1, source: 'learn' }),
    ]);
  });

  it('"Quiz me on this" still answers when the deck cannot be written', async () => {
    const a = app();
    vi.spyOn(a.storage.study, 'changeCard').mockRejectedValue(new Error('disk full'));
    const asked = await a.router.handleAction({ ...actor(), actionId: 'dq:2026-02-25' });
    const answered = await a.router.handleAction({
      ...actor(),
      actionId: asked.reply.actions?.[0]?.id as string,
    });
    expect(answered.reply.title).toMatch(/^(Right!|Not quite: the answer is [A-D]\. .+)$/);
  });

  it('/learn <topic> and the topic buttons, which make the topic a source of new cards', async () => {
    const a = app();
    await a.router.handle(textInvocation('/learn hungary-1956'));
    await a.router.handleAction({ ...actor(), actionId: 'learn:poland-1956' });
    await a.router.handle(textInvocation('/learn hungary-1956'));
    expect((await a.storage.study.profile(ws, 'u-member'))?.topics).toEqual(['hungary-1956', 'poland-1956']);
    // The topic list alone notes nothing.
    await a.router.handle(textInvocation('/learn', actor('host')));
    expect(await a.storage.study.profile(ws, 'u-host')).toBeUndefined();
  });

  it('/learn still shows the topic when the note cannot be written', async () => {
    const a = app();
    vi.spyOn(a.storage.study, 'changeProfile').mockRejectedValue(new Error('disk full'));
    const card = await a.router.handle(textInvocation('/learn hungary-1956'));
    expect(card.title).toContain('Hungar');
  });
});
