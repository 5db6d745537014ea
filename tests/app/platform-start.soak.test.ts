/**
 * Each platform starts on its own (the real entry point, against the fake Discord and Slack): one
 * that cannot be reached is retried and named in /readyz while the other serves at once; a refused
 * token is given up with what to do, and ends the process when nothing else can work.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FakeDiscord, type FakeGuild, makeGuild, type RestCall } from '../fakes/discord/index.ts';
import { FakeSlack } from '../fakes/slack/server.ts';
import { cleanups, getJson, startBot, tempDir } from '../helpers/bot-process.ts';
import { TcpProxy } from '../helpers/tcp-proxy.ts';

const REAL_CONTENT = fileURLToPath(new URL('../../content', import.meta.url));
const TOKEN = 'fake-discord-token';
const APPLICATION_ID = '700000000000000001';

async function fakeDiscord(guild: FakeGuild): Promise<FakeDiscord> {
  const discord = await FakeDiscord.start({ applicationId: APPLICATION_ID, guilds: [guild], token: TOKEN });
  cleanups.push(() => discord.close());
  return discord;
}

async function fakeSlack(): Promise<FakeSlack> {
  const slack = await new FakeSlack({ teamId: 'T0TEST' }).start();
  cleanups.push(() => slack.close());
  return slack;
}

const discordEnv = (discord: FakeDiscord, token = TOKEN) => ({
  DISCORD_TOKEN: token,
  DISCORD_APPLICATION_ID: APPLICATION_ID,
  DISCORD_API_URL: discord.apiUrl,
});

describe('platforms start independently', () => {
  it('Discord serves at once while Slack is unreachable; Slack joins when it comes back; a reset Discord token is reported', async () => {
    const guild = makeGuild({ id: '730000000000000009', name: 'Study Hall' });
    const discord = await fakeDiscord(guild);
    const slack = await fakeSlack();
    const proxy = await new TcpProxy({ host: '127.0.0.1', port: slack.port }).start();
    cleanups.push(() => proxy.close());
    await proxy.cut();

    // A /quiz start that arrives right after READY must find quizzes available.
    const channelId = guild.channels[0]?.id as string;
    const early = discord.nextGateway('identify').then(() =>
      discord.chatInput({
        guild,
        channelId,
        user: { id: '710000000000000004', username: 'mia', globalName: 'Mia' },
        name: 'quiz',
        subcommand: 'start',
        options: { questions: 3 },
      }),
    );
    const bot = startBot(tempDir(), {
      ...discordEnv(discord),
      SLACK_BOT_TOKEN: 'xoxb-fake-token',
      SLACK_APP_TOKEN: 'xapp-fake-token',
      SLACK_API_URL: `http://${proxy.url}/api/`,
      QUIZ_PAUSE_SECONDS: '0',
      CONTENT_DIR: REAL_CONTENT,
    });
    const running = await bot.waitForLog('thawbot running');
    expect(running.platforms).toEqual(['discord (gateway)', 'slack (retrying)']);
    const url = (await bot.waitForLog('health endpoint listening')).url as string;

    const question = await discord.waitForCall(
      (c: RestCall) =>
        c.method === 'POST' &&
        c.path === `/channels/${channelId}/messages` &&
        /^Question 1 of 3$/.test((c.body as { embeds?: { title?: string }[] }).embeds?.[0]?.title ?? ''),
    );
    expect(question.status).toBe(200);
    const answer = JSON.stringify(discord.callsFor(await early).map((c) => c.body));
    expect(answer).not.toMatch(/not available/);

    const waiting = await getJson(`${url}/readyz`);
    expect(waiting.status).toBe(503);
    expect(waiting.body.checks?.discord).toMatchObject({ ok: true });
    expect(waiting.body.checks?.process).toMatchObject({ ok: true });
    expect(waiting.body.checks?.slack?.ok).toBe(false);
    expect(waiting.body.checks?.slack?.detail).toMatch(
      /^Slack could not start: cannot reach Slack \(.*\); retrying in 5 s \(attempt 1\)$/,
    );

    await proxy.restore();
    await bot.waitForLog('Slack connected after retrying', 30_000);
    await expect.poll(async () => (await getJson(`${url}/readyz`)).status, { timeout: 10_000 }).toBe(200);

    // The token is reset in the Developer Portal while the bot runs: Discord closes with 4004.
    discord.closeGateway(4004);
    await bot.waitForLog(
      'Discord refused DISCORD_TOKEN: the token is wrong or was reset. Copy the current token from the Developer Portal (Bot, Reset Token) into DISCORD_TOKEN and restart.',
    );
    const refused = await getJson(`${url}/readyz`);
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({
      status: 'degraded',
      checks: { discord: { ok: false }, slack: { ok: true } },
    });
    expect(refused.body.checks?.discord?.detail).toMatch(/^Discord refused DISCORD_TOKEN/);
    // Slack still works, so the process stays up.
    expect((await getJson(`${url}/healthz`)).status).toBe(200);
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toEqual({ code: 0, signal: null });
  }, 90_000);

  it('Slack serves while the Discord API cannot be reached, and the log names Discord', async () => {
    const slack = await fakeSlack();
    const bot = startBot(tempDir(), {
      DISCORD_TOKEN: TOKEN,
      DISCORD_APPLICATION_ID: APPLICATION_ID,
      DISCORD_API_URL: 'http://127.0.0.1:1',
      SLACK_BOT_TOKEN: 'xoxb-fake-token',
      SLACK_APP_TOKEN: 'xapp-fake-token',
      SLACK_API_URL: slack.apiUrl,
    });
    const running = await bot.waitForLog('thawbot running');
    expect(running.platforms).toEqual(['discord (retrying)', 'slack (socket mode)']);
    const warning = bot.logs.find((l) => /^Discord could not start/.test(l.msg ?? ''));
    expect(warning?.msg).toMatch(
      /^Discord could not start: cannot reach Discord \(.*ECONNREFUSED.*\); retrying in 5 s/,
    );
    const url = (await bot.waitForLog('health endpoint listening')).url as string;
    const ready = await getJson(`${url}/readyz`);
    expect(ready.body.checks?.slack).toMatchObject({ ok: true });
    expect(ready.body.checks?.discord?.ok).toBe(false);
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toEqual({ code: 0, signal: null });
  }, 60_000);

  it('a refused token with no other platform ends the process with what to do', async () => {
    const discord = await fakeDiscord(makeGuild());
    const bot = startBot(tempDir(), discordEnv(discord, 'a-reset-token'));
    const { code } = await bot.exited;
    expect(code).toBe(1);
    expect(bot.logs.some((l) => /^Discord refused DISCORD_TOKEN/.test(l.msg ?? ''))).toBe(true);
    expect(bot.logs.some((l) => /^no platform can work/.test(l.msg ?? ''))).toBe(true);
    expect(JSON.stringify(bot.logs)).not.toContain('a-reset-token');
  }, 60_000);
});
