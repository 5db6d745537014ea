import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import type { Actor, RawOptionValue } from '../../src/core/command.ts';
import { testApp } from '../helpers/deps.ts';
import { quizContent } from '../helpers/quiz-content.ts';

const GUILD = '730000000000000009';
const host: Actor = {
  user: { platform: 'discord', id: '740000000000000001', displayName: 'Ada' },
  channel: { platform: 'discord', workspaceId: GUILD, channelId: '750000000000000001' },
  isAdmin: true,
  isHost: true,
  inServer: true,
};

function schedule(ping: RawOptionValue, who: Actor = host) {
  const { router } = testApp({ content: quizContent(), commands });
  return router.handle({
    ...who,
    command: 'quiz',
    subcommand: 'schedule',
    input: {
      kind: 'values',
      values: { weekday: 'friday', time: '20:00', timezone: 'UTC', questions: 3, ping },
    },
  });
}

describe('the quiz-night ping', () => {
  it("refuses Discord's @everyone role, which has the server's own id", async () => {
    const reply = await schedule({ id: GUILD, label: '@everyone' });
    expect(reply.ephemeral).toBe(true);
    expect(reply.text).toMatch(/never @everyone, @here or the whole channel/);
  });

  it('refuses @here, @channel and @everyone however they are written, on Slack and in the terminal', async () => {
    const slack: Actor = {
      ...host,
      user: { platform: 'slack', id: 'U1', displayName: 'Ada' },
      channel: { platform: 'slack', workspaceId: 'T1', channelId: 'C1' },
    };
    for (const text of ['<!channel>', '<!here>', '<!everyone>', '@here', 'everyone']) {
      const reply = await schedule(text, slack);
      expect(reply.ephemeral, text).toBe(true);
      expect(reply.title ?? '', text).not.toBe('Quiz night scheduled');
      expect(reply.text, text).toMatch(/never @everyone|name a role or user group/);
    }
  });

  it('accepts a real role', async () => {
    const reply = await schedule({ id: '760000000000000001', label: 'Quiz Club' });
    expect(reply.title).toBe('Quiz night scheduled');
    expect(reply.text).toContain('@Quiz Club');
  });
});
