import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockAction, slashCommand } from '../fakes/slack/signed.ts';
import { type Harness, recordingLogger, startHarness } from './harness.ts';

describe('Socket Mode against a local WebSocket', () => {
  let h: Harness;
  const log = recordingLogger();

  beforeAll(async () => {
    // Both set: Socket Mode wins and the log says so.
    h = await startHarness('socket', { log, slack: { signingSecret: 'unused-secret' } });
    await h.fake.waitForSocket();
  });

  afterAll(async () => {
    await h?.close();
  });

  it('connected through apps.connections.open and says which mode it runs in', () => {
    expect(h.adapter.mode).toBe('socket mode');
    expect(h.adapter.ready?.()).toBe(true);
    expect(h.fake.callsTo('apps.connections.open')).toHaveLength(1);
    expect(log.lines.some((l) => l.includes('running in Socket Mode'))).toBe(true);
    expect(log.lines.join('\n')).not.toContain('xapp-test-token');
    expect(log.lines.join('\n')).not.toContain('xoxb-test-token');
  });

  it('acks a slash command envelope and answers through response_url', async () => {
    const id = randomUUID();
    const answered = h.fake.nextResponse(id);
    const ack = await h.fake.sendEnvelope(
      'slash_commands',
      slashCommand({ command: '/echo', text: 'over the socket', responseUrl: h.fake.responseUrl(id) }),
    );
    expect(ack.envelope_id).toBeTruthy();
    const { body } = await answered;
    expect(body.response_type).toBe('in_channel');
    expect(JSON.stringify(body.blocks)).toContain('You said: over the socket');
  });

  it('acks a button envelope and replaces the message', async () => {
    const id = randomUUID();
    const answered = h.fake.nextResponse(id);
    const ack = await h.fake.sendEnvelope(
      'interactive',
      blockAction({ actionId: 'page:3', responseUrl: h.fake.responseUrl(id) }),
    );
    expect(ack.envelope_id).toBeTruthy();
    const { body } = await answered;
    expect(body.replace_original).toBe(true);
    expect(body.text).toBe('Page 3: Page 3 text');
  });

  it('closes the connection on stop', async () => {
    await h.adapter.stop();
    await h.fake.waitFor(() => h.fake.openSockets === 0);
    expect(h.fake.openSockets).toBe(0);
    expect(h.adapter.ready?.()).toBe(false);
    await h.fake.close();
    h = undefined as unknown as Harness;
  });
});
