/**
 * Two real bot processes behind one (imagined) load balancer in Slack's HTTP mode, on one
 * PostgreSQL schema: a signed request accepted by one is refused when replayed to the other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack } from '../fakes/slack/server.ts';
import { send, signedRequest, slashCommandBody } from '../fakes/slack/signed.ts';
import { cleanups } from '../helpers/bot-process.ts';
import { freePort, startFleet } from '../helpers/fleet.ts';
import { type TestSchema, testSchema } from '../helpers/pg.ts';

const SECRET = 'fleet-signing-secret';
let schema: TestSchema;

beforeAll(async () => {
  schema = testSchema();
  await (await schema.open({ poolSize: 1 })).close();
});
afterAll(async () => {
  await schema?.drop();
});

describe('Slack HTTP mode over two processes', () => {
  it('refuses a replayed signed request sent to a second process', async () => {
    const slack = await new FakeSlack({ teamId: 'T0TEST' }).start();
    cleanups.push(() => slack.close());
    const ports = [await freePort(), await freePort()];
    const bots = startFleet({
      schema,
      count: 2,
      env: { SLACK_BOT_TOKEN: 'xoxb-fake-token', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl },
      envOf: (i) => ({ PORT: String(ports[i]) }),
    });
    await Promise.all(bots.map((b) => b.waitForLog('thawbot running')));
    const url = (i: number) => `http://127.0.0.1:${ports[i]}/slack/events`;

    const request = signedRequest(
      SECRET,
      slashCommandBody({ command: '/help', responseUrl: slack.responseUrl() }),
    );
    expect((await send(url(0), request)).status).toBe(200);
    expect((await send(url(1), request)).status).toBe(401);
    expect((await send(url(0), request)).status).toBe(401);
    expect(bots[1]?.logs.some((l) => l.msg === 'refused a replayed or future-dated Slack request')).toBe(
      true,
    );

    // The second process answers requests of its own.
    const fresh = signedRequest(
      SECRET,
      slashCommandBody({ command: '/help', responseUrl: slack.responseUrl() }),
    );
    expect((await send(url(1), fresh)).status).toBe(200);
  }, 60_000);
});
