/**
 * Slack ack latency: signed slash commands over HTTP to thawbot's Slack adapter and, in the same
 * run, to a bare Bolt app that acks and responds with a fixed block. Both answer through a local
 * fake response_url and Web API, so nothing leaves the machine.
 *
 *   npm run bench -- slack [count]     (default 1000 per app)
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App } from '@slack/bolt';
import { startSlack } from '../src/adapters/slack/index.ts';
import { boltLogger } from '../src/adapters/slack/logger.ts';
import { buildApp } from '../src/app.ts';
import type { ContentIndex } from '../src/content/index.ts';
import { loadContent } from '../src/content/load.ts';
import { silentLogger } from '../src/core/log.ts';
import { memoryStorage } from '../src/store/doc/index.ts';
import { FakeSlack } from '../tests/fakes/slack/server.ts';
import { send, signedRequest, slashCommandBody } from '../tests/fakes/slack/signed.ts';

const COUNT = Number(process.argv[2] ?? 1000);
const ROUNDS = 10;
const SECRET = 'bench-signing-secret';

function content(): { index: ContentIndex; source: string } {
  for (const dir of ['content', 'tests/fixtures/content']) {
    try {
      const index = loadContent(dir);
      if (index.library.topics.length > 0) return { index, source: dir };
    } catch {}
  }
  throw new Error('no loadable content found');
}

const fake = await new FakeSlack().start();
fake.addUser({ id: 'U0MARIA', name: 'maria', displayName: 'Maria' });

const { index, source } = content();
const topics = index.library.topics.map((t) => t.id);
let next = 0;
const { deps, router } = buildApp({ content: index, storage: memoryStorage(), log: silentLogger });
const thawbot = await startSlack(
  { router, deps, log: silentLogger },
  {
    botToken: 'xoxb-bench',
    signingSecret: SECRET,
    port: 0,
    host: '127.0.0.1',
    apiUrl: fake.apiUrl,
    retries: 0,
  },
);

const bare = new App({
  token: 'xoxb-bench',
  signingSecret: SECRET,
  logger: boltLogger(silentLogger),
  clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
  deferInitialization: true,
});
await bare.init();
bare.command(/^\/.+/, async ({ ack, respond }) => {
  await ack();
  await respond({
    response_type: 'in_channel',
    text: 'The Thaw',
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: 'The Thaw' } },
      { type: 'section', text: { type: 'mrkdwn', text: '*1953-1964*: a fixed answer.' } },
    ],
  });
});
const bareServer = (await bare.start({ port: 0, host: '127.0.0.1' })) as Server;

const targets = {
  thawbot: `http://127.0.0.1:${thawbot.port}/slack/events`,
  bare: `http://127.0.0.1:${(bareServer.address() as AddressInfo).port}/slack/events`,
};
type Name = keyof typeof targets;
const samples: Record<Name, number[]> = { thawbot: [], bare: [] };
let answered = 0;

async function one(name: Name, record: boolean): Promise<void> {
  const topic = topics[next++ % topics.length] as string;
  const body = slashCommandBody({
    command: '/learn',
    text: topic,
    responseUrl: fake.responseUrl(`${name}-${randomUUID()}`),
  });
  const res = await send(targets[name], signedRequest(SECRET, body));
  if (res.status !== 200) throw new Error(`${name} answered ${res.status}`);
  if (record) samples[name].push(res.ms);
}

// Warm up both, then alternate rounds so drift on a busy machine hits both alike.
for (let i = 0; i < 100; i++) {
  await one('thawbot', false);
  await one('bare', false);
}
const perRound = Math.ceil(COUNT / ROUNDS);
for (let r = 0; r < ROUNDS; r++) {
  for (const name of (r % 2 ? ['bare', 'thawbot'] : ['thawbot', 'bare']) as Name[]) {
    for (let i = 0; i < perRound; i++) await one(name, true);
    (globalThis as { gc?: () => void }).gc?.();
  }
}
await fake.waitFor(() => fake.responses.length >= 2 * (100 + perRound * ROUNDS), 30_000);
answered = fake.responses.length;

function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
  return { median: at(0.5), p99: at(0.99), n: sorted.length };
}
const t = stats(samples.thawbot);
const b = stats(samples.bare);
const ms = (v: number) => `${v.toFixed(2)} ms`;
console.log(
  `Slack ack latency, ${t.n} signed slash commands each (/learn over ${topics.length} topics, content from ${source})`,
);
console.log(`  bare Bolt (ack + fixed block): median ${ms(b.median)}  p99 ${ms(b.p99)}`);
console.log(`  thawbot                      : median ${ms(t.median)}  p99 ${ms(t.p99)}`);
console.log(
  `  ratio thawbot/bare           : median ${(t.median / b.median).toFixed(2)}x  p99 ${(t.p99 / b.p99).toFixed(2)}x`,
);
console.log(`  responses delivered to response_url: ${answered}`);

await thawbot.stop();
await bare.stop();
await fake.close();
