import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryStorage } from '../../src/store/doc/index.ts';
import { FEATURES, type FeatureDocs, featureSchemas } from '../../src/store/doc/shapes.ts';
import { lockPathFor } from '../../src/store/lock.ts';
import { FakeDiscord, makeGuild } from '../fakes/discord/index.ts';
import { FakeSlack } from '../fakes/slack/server.ts';
import { eventCallback } from '../fakes/slack/signed.ts';
import { type Bot, cleanups, getJson, type LogLine, startBot, tempDir } from '../helpers/bot-process.ts';
import { featureOnDisk } from '../store/helpers.ts';

const DAY = 86_400_000;

/** Sends SIGTERM and checks the clean exit: code 0, lock gone, every feature file valid. Returns the data. */
async function terminate(
  bot: Bot,
  expectedError: (line: LogLine) => boolean = () => false,
  stopWith: NodeJS.Signals = 'SIGTERM',
): Promise<FeatureDocs> {
  bot.child.kill(stopWith);
  const { code, signal } = await bot.exited;
  expect({ code, signal }).toEqual({ code: 0, signal: null });
  expect(existsSync(lockPathFor(bot.dataFile))).toBe(false);
  const docs = {} as Record<string, unknown>;
  for (const feature of FEATURES) {
    docs[feature] = featureSchemas[feature].parse(featureOnDisk(bot.dataFile, feature));
  }
  expect(bot.logs.find((l) => l.msg === 'stopped')).toMatchObject({ clean: true });
  expect(bot.logs.filter((l) => l.level >= 50 && !expectedError(l))).toEqual([]);
  return docs as FeatureDocs;
}

describe('the entry point under SIGTERM', () => {
  it('in the playground: reports health, then stops cleanly with the store flushed', async () => {
    const dir = tempDir();
    const bot = startBot(dir, {}, ['--playground']);
    const listening = await bot.waitForLog('health endpoint listening');
    const running = await bot.waitForLog('thawbot running');
    const url = listening.url as string;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(running).toMatchObject({
      platforms: ['console (piped)'],
      storage: `lowdb files ${bot.dataFile.replace(/\.json$/, '.*.json')}`,
      subscriptions: { total: 0, armed: 0 },
      health: url,
    });

    const live = await getJson(`${url}/healthz`);
    expect(live).toMatchObject({ status: 200, body: { status: 'ok' } });
    const ready = await getJson(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toMatchObject({
      console: { ok: true },
      store: { ok: true },
      scheduler: { ok: true },
    });

    // A change made just before the signal must be on disk after it.
    bot.child.stdin.write('/settings timezone zone:Asia/Tokyo\n');
    await expect.poll(() => bot.stdout(), { timeout: 20_000 }).toContain('Time zone saved');
    const data = await terminate(bot);
    expect(data.settings.settings['console:local']?.timezone).toBe('Asia/Tokyo');
  }, 90_000);

  it('in the playground: a closed terminal (SIGHUP) stops as cleanly as SIGTERM, and the next start is quiet', async () => {
    const dir = tempDir();
    const bot = startBot(dir, {}, ['--playground']);
    await bot.waitForLog('thawbot running');
    bot.child.stdin.write('/settings timezone zone:Asia/Tokyo\n');
    await expect.poll(() => bot.stdout(), { timeout: 20_000 }).toContain('Time zone saved');
    const data = await terminate(bot, undefined, 'SIGHUP');
    expect(data.settings.settings['console:local']?.timezone).toBe('Asia/Tokyo');
    const next = startBot(dir, {}, ['--playground']);
    await next.waitForLog('thawbot running');
    expect(next.logs.filter((l) => l.level >= 40)).toEqual([]);
    await terminate(next);
  }, 90_000);

  it('with Discord and Slack in one process: health follows them, removals are noted, SIGTERM is clean', async () => {
    const dir = tempDir();
    const token = 'fake-discord-token';
    const applicationId = '700000000000000001';
    const guild = makeGuild({ id: '730000000000000009', name: 'Study Hall' });
    const discord = await FakeDiscord.start({ applicationId, guilds: [guild], token });
    cleanups.push(() => discord.close());
    const slack = await new FakeSlack({ teamId: 'T0TEST' }).start();
    cleanups.push(() => slack.close());

    // A data file of schema 4 (one file for everything), split by feature at start: a server removed
    // 40 days ago (its data goes at start) and one in use (its data stays).
    const seed = {
      schemaVersion: 4,
      settings: {
        'discord:740000000000000001': { hostUserIds: ['u1'] },
        'slack:T0TEST': { hostUserIds: ['U0HOST'], timezone: 'Europe/Oslo' },
      },
      subscriptions: {},
      deliveries: {},
      quizSessions: {},
      quizResults: {},
      scores: {
        'discord:740000000000000001:all': {
          platform: 'discord',
          workspaceId: '740000000000000001',
          period: 'all',
          users: {},
        },
      },
      study: {},
      claims: {},
      removedWorkspaces: { 'discord:740000000000000001': new Date(Date.now() - 40 * DAY).toISOString() },
      quizNights: {},
    };
    const dataFile = join(dir, 'data', 'thawbot.json');
    mkdirSync(join(dir, 'data'));
    writeFileSync(dataFile, JSON.stringify(seed));

    const bot = startBot(dir, {
      DISCORD_TOKEN: token,
      DISCORD_APPLICATION_ID: applicationId,
      DISCORD_API_URL: discord.apiUrl,
      SLACK_BOT_TOKEN: 'xoxb-fake-token',
      SLACK_APP_TOKEN: 'xapp-fake-token',
      SLACK_API_URL: slack.apiUrl,
    });
    const purged = await bot.waitForLog('deleted the data of a removed workspace');
    expect(purged.workspace).toBe('discord:740000000000000001');
    const listening = await bot.waitForLog('health endpoint listening');
    const running = await bot.waitForLog('thawbot running');
    expect(running.platforms).toEqual(['discord (gateway)', 'slack (socket mode)']);
    const url = listening.url as string;

    const ready = await getJson(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({
      status: 'ready',
      checks: { discord: { ok: true }, slack: { ok: true }, store: { ok: true }, scheduler: { ok: true } },
    });

    // Slack's socket drops and its reconnection hangs: one platform of two is down.
    const release = slack.hold('apps.connections.open');
    const opened = slack.callsTo('apps.connections.open').length;
    for (const socket of (slack as unknown as { sockets: Set<{ terminate(): void }> }).sockets)
      socket.terminate();
    await expect
      .poll(() => slack.callsTo('apps.connections.open').length, { timeout: 20_000 })
      .toBeGreaterThan(opened);
    const degraded = await getJson(`${url}/readyz`);
    expect(degraded.status).toBe(503);
    expect(degraded.body).toMatchObject({
      status: 'degraded',
      checks: { discord: { ok: true }, slack: { ok: false, detail: 'not connected (socket mode)' } },
    });
    release();
    await expect.poll(async () => (await getJson(`${url}/readyz`)).status, { timeout: 20_000 }).toBe(200);

    // Removed from the Discord server and uninstalled from the Slack workspace while running.
    discord.removeGuild(guild.id);
    await slack.waitForSocket();
    await slack.sendEnvelope('events_api', eventCallback({ type: 'app_uninstalled' }, 'T0TEST'));
    await expect
      .poll(() => bot.logs.filter((l) => l.msg?.startsWith('removed from a workspace')).length, {
        timeout: 20_000,
      })
      .toBe(2);

    // The dropped socket is reported by Slack's client as an error; nothing else may be.
    const data = await terminate(bot, (l) => l.adapter === 'slack' && /^WebSocket error/.test(l.msg ?? ''));
    expect(Object.keys(data.workspaces.removed).sort()).toEqual([`discord:${guild.id}`, 'slack:T0TEST']);
    // Removal only starts the grace period: the Slack workspace's settings are still there.
    expect(data.settings.settings['slack:T0TEST']?.timezone).toBe('Europe/Oslo');
    const footprint = await memoryStorage(data).workspaces.footprint({
      platform: 'discord',
      workspaceId: '740000000000000001',
    });
    expect(footprint).toEqual({});
    // The single file of schema 4 was kept aside, not deleted.
    expect(readdirSync(join(dir, 'data')).filter((f) => f.startsWith('thawbot.json.v4-'))).toHaveLength(1);
    expect(bot.logs.some((l) => l.msg === 'discord stopped')).toBe(true);
  }, 90_000);
});
