import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, scrubSecrets } from '../../src/log.ts';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, destination };
}

const DISCORD_TOKEN = `MTA${'x'.repeat(23)}.GabcDE.${'y'.repeat(38)}`;
const SLACK_TOKEN = 'xoxb-123456789012-1234567890123-abcdefghijABCDEFGHIJ1234';

describe('logging', () => {
  it('redacts secrets by key, at any depth used by adapters', () => {
    const { lines, destination } = capture();
    const log = createLogger({ level: 'info', destination });
    log.info(
      { token: 'abc', config: { signingSecret: 'shh', botToken: 'b' }, DISCORD_TOKEN: 'd' },
      'starting',
    );
    const out = lines.join('');
    expect(out).not.toMatch(/"abc"|"shh"|"b"|"d"/);
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      token: '[redacted]',
      config: { signingSecret: '[redacted]', botToken: '[redacted]' },
      DISCORD_TOKEN: '[redacted]',
      msg: 'starting',
    });
  });

  it('scrubs token-shaped strings from messages and errors', () => {
    const { lines, destination } = capture();
    const log = createLogger({ level: 'info', destination });
    log.error({ err: new Error(`login failed for ${DISCORD_TOKEN}`) }, `slack said no to ${SLACK_TOKEN}`);
    const out = lines.join('');
    expect(out).not.toContain(DISCORD_TOKEN);
    expect(out).not.toContain(SLACK_TOKEN);
    expect(out).toContain('login failed for [redacted]');
    expect(out).toContain('slack said no to [redacted]');
  });

  it('keeps pretty output scrubbed too', () => {
    const { lines, destination } = capture();
    const log = createLogger({ level: 'info', destination, pretty: true });
    log.warn(`token ${SLACK_TOKEN} rejected`);
    expect(lines.join('')).toContain('token [redacted] rejected');
  });

  it('leaves ordinary text alone', () => {
    expect(scrubSecrets('xoxo hugs and the 25 February 1956 speech')).toBe(
      'xoxo hugs and the 25 February 1956 speech',
    );
  });
});
