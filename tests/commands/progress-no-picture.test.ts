/** /progress when the picture cannot be drawn (a native module missing): the card still goes out. */
import { describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { seededRandom } from '../../src/core/random.ts';
import { memoryStorage } from '../../src/store/doc/index.ts';
import { StudyService } from '../../src/study/service.ts';
import { type LogEntry, recordingLogger } from '../discord/harness.ts';
import { textInvocation } from '../helpers/deps.ts';
import { quizContent } from '../helpers/quiz-content.ts';

vi.mock('../../src/study/chart.ts', async (original) => ({
  ...(await original<typeof import('../../src/study/chart.ts')>()),
  renderProgressPng: vi.fn(async () => {
    throw new Error("Cannot find module '@resvg/resvg-js-linux-x64-gnu'");
  }),
}));

describe('/progress without its picture', () => {
  it('logs the failure and sends the card without a file', async () => {
    const content = quizContent(6);
    const storage = memoryStorage();
    const logs: LogEntry[] = [];
    const now = new Date('2026-03-20T09:00:00Z');
    const app = buildApp({
      content,
      storage,
      log: recordingLogger(logs),
      now: () => now,
      random: seededRandom(1),
    });
    const service = new StudyService({ content, study: storage.study, now: () => now });
    await service.recordAnswer({
      ws: { platform: 'discord', workspaceId: 'g1' },
      userId: 'u1',
      questionId: 'q-easy-4',
      correct: false,
      source: 'quiz',
      at: new Date('2026-03-19T12:00:00Z'),
    });
    const card = await app.router.handle(
      textInvocation('/progress', {
        user: { platform: 'discord', id: 'u1', displayName: 'Mia' },
        channel: { platform: 'discord', workspaceId: 'g1', channelId: 'c1' },
        isAdmin: false,
        isHost: false,
        inServer: true,
      }),
    );
    expect(card.title).toBe('Your progress');
    expect(card.text).toContain('- Alpha: 0% (0/12)');
    expect(card.files).toBeUndefined();
    expect(card.text).not.toContain('Picture:');
    const warned = logs.find((l) => l.level === 'warn' && l.msg?.includes('progress picture not rendered'));
    expect(String((warned?.obj?.err as Error | undefined)?.message)).toContain('resvg');
  });
});
