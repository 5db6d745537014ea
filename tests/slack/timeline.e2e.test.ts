import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.ts';
import { blockActionBody, send, signedRequest, slashCommandBody } from '../fakes/slack/signed.ts';
import { REAL_CONTENT } from '../helpers/deps.ts';
import { type Harness, SECRET, startHarness } from './harness.ts';

let h: Harness;
const content = loadContent(REAL_CONTENT);
beforeAll(async () => {
  h = await startHarness('http', { content, services: {} });
});
afterAll(async () => {
  await h?.close();
});

type Body = {
  replace_original?: boolean;
  response_type?: string;
  text?: string;
  blocks?: {
    type: string;
    elements?: { action_id?: string; text?: { text: string } }[];
    text?: { text: string };
  }[];
};

async function respond(body: string): Promise<Body> {
  const id = randomUUID();
  const waiting = h.fake.nextResponse(id);
  await send(h.url, signedRequest(SECRET, body.replace('__URL__', h.fake.responseUrl(id))));
  return (await waiting).body as Body;
}

describe('/timeline on Slack', () => {
  it('pages with Previous/Next buttons that replace the original message', async () => {
    const first = await respond(
      slashCommandBody({ command: '/timeline', text: 'from:1956 to:1956', responseUrl: '__URL__' }),
    );
    expect(first.response_type).toBe('in_channel');
    expect(first.text).toContain('Timeline 1956');
    const actions = first.blocks?.filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []) ?? [];
    expect(actions.map((a) => a.action_id)).toEqual(['tl:1956:1956:*:1', 'tlsrc:1956:1956:*:0']);

    const next = await respond(blockActionBody({ actionId: 'tl:1956:1956:*:1', responseUrl: '__URL__' }));
    expect(next.replace_original).toBe(true);
    const labels = next.blocks
      ?.filter((b) => b.type === 'actions')
      .flatMap((b) => b.elements ?? [])
      .map((a) => a.text?.text);
    expect(labels).toEqual(['Previous', 'Next', 'More sources']);
    expect(JSON.stringify(next.blocks)).toContain('2 of ');
  });
});
