import { describe, expect, it } from 'vitest';
import { renderReply } from '../../src/adapters/slack/render.ts';
import { slackWords } from '../../src/adapters/slack/words.ts';
import { reply } from '../../src/core/reply.ts';

describe("Slack's words", () => {
  it('says workspace where the core says server', () => {
    expect(slackWords("Delete this server's data?")).toBe("Delete this workspace's data?");
    expect(slackWords('This server has none; the server settings; in a server channel')).toBe(
      'This workspace has none; the workspace settings; in a workspace channel',
    );
    // Not a word on its own: left alone.
    expect(slackWords('the serverless fake and this servers list')).toBe(
      'the serverless fake and this servers list',
    );
  });

  it('is applied to every part of a rendered reply', () => {
    const out = renderReply(
      reply({
        title: 'Your data in this server',
        text: 'Everything stored about you in this server.',
        fields: [{ label: "The server's zone", value: 'UTC' }],
      }),
    );
    const all = JSON.stringify(out);
    expect(all).not.toMatch(/\bserver\b/);
    expect(all).toContain('Your data in this workspace');
    expect(all).toContain("The workspace's zone");
    expect(out.text).toContain('this workspace');
  });
});
