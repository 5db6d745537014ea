import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLACK_LIMITS } from '../../src/adapters/slack/render.ts';
import type { ContentIndex } from '../../src/content/index.ts';
import { loadContent } from '../../src/content/load.ts';
import { send, signedRequest, slashCommandBody } from '../fakes/slack/signed.ts';
import { REAL_CONTENT } from '../helpers/deps.ts';
import { type Harness, SECRET, startHarness } from './harness.ts';

function realContent(): ContentIndex | undefined {
  try {
    const index = loadContent(REAL_CONTENT);
    return index.library.topics.length > 0 ? index : undefined;
  } catch {
    return undefined;
  }
}

const content = realContent();

interface Block {
  type: string;
  text?: { text: string };
  fields?: { text: string }[];
  elements?: { text?: unknown }[];
}

// The real library, so long summaries and many sources are checked against Slack's limits.
describe.skipIf(!content)('the content library on Slack', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('http', { content });
  });
  afterAll(async () => {
    await h?.close();
  });

  async function run(command: string, text = '') {
    const id = randomUUID();
    const answered = h.fake.nextResponse(id);
    const ack = await send(
      h.url,
      signedRequest(SECRET, slashCommandBody({ command, text, responseUrl: h.fake.responseUrl(id) })),
    );
    expect(ack.status).toBe(200);
    return (await answered).body as { response_type: string; text: string; blocks: Block[] };
  }

  it('answers every topic in full within Block Kit limits, with sources', async () => {
    for (const topic of content?.library.topics ?? []) {
      const body = await run('/learn', `topic:${topic.id} detail:full`);
      expect(body.response_type).toBe('in_channel');
      expect(body.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
      expect(body.blocks[0]?.type).toBe('header');
      expect(body.blocks[0]?.text?.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
      for (const b of body.blocks) {
        if (b.text) expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
        if (b.fields) expect(b.fields.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionFields);
        if (b.elements) expect(b.elements.length).toBeLessThanOrEqual(SLACK_LIMITS.actionsElements);
      }
      expect(JSON.stringify(body.blocks)).toContain('Sources');
      expect(body.text.length).toBeGreaterThan(0);
      expect(JSON.stringify(body)).not.toMatch(/<!(channel|here|everyone)|<@U/);
    }
  });

  it('answers /thaw and /secret-speech', async () => {
    for (const command of ['/thaw', '/secret-speech']) {
      const body = await run(command);
      expect(body.blocks[0]?.type).toBe('header');
      expect(body.response_type).toBe('in_channel');
    }
  });
});
