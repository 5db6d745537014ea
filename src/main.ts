import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Playground } from './adapters/console/playground.ts';
import { buildApp } from './app.ts';
import { type Config, ConfigError, discordConfigured, loadConfig, slackConfigured } from './config.ts';
import { ContentError, loadContent } from './content/load.ts';
import type { RunningAdapter } from './core/adapter.ts';
import type { Deps } from './core/command.ts';
import { createLogger } from './log.ts';
import { openStore } from './store/index.ts';

/** The composition root: reads config, builds the shared services once, starts the adapters. */
async function main(): Promise<number> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee .env.example for every variable.\n`);
      return 1;
    }
    throw error;
  }

  const playgroundOnly = process.argv.includes('--playground');
  const platforms = playgroundOnly
    ? []
    : [discordConfigured(config) && 'discord', slackConfigured(config) && 'slack'].filter(Boolean);
  const playground = platforms.length === 0;
  // The playground shares the terminal with the log, so it only shows warnings unless asked.
  const log = createLogger({
    level: config.LOG_LEVEL ?? (playground ? 'warn' : 'info'),
    pretty: process.stderr.isTTY,
  });

  let content: ReturnType<typeof loadContent>;
  try {
    content = loadContent(resolve(config.CONTENT_DIR));
  } catch (error) {
    if (error instanceof ContentError) {
      process.stderr.write(`${error.message}\nRun \`npm run content:check\` after fixing.\n`);
      return 1;
    }
    throw error;
  }

  const store = await openStore({ file: resolve(config.DATA_FILE), log });
  const { deps, router } = buildApp({
    content,
    store,
    log,
    quizPauseMs: config.QUIZ_PAUSE_SECONDS * 1000,
    dailyCatchUpMs: config.DAILY_CATCHUP_HOURS * 3_600_000,
  });
  const adapters: RunningAdapter[] = [];
  const ctx = { router, deps, log };

  let stopping: Promise<void> | undefined;
  const shutdown = (reason: string) => {
    stopping ??= (async () => {
      log.info({ reason }, 'shutting down');
      // Terminal games end with their input; games elsewhere stay stored and resume on the next start.
      await deps.daily.stop().catch((err: unknown) => log.error({ err }, 'scheduler stop failed'));
      await deps.quiz
        .shutdown(['console'])
        .catch((err: unknown) => log.error({ err }, 'quiz shutdown failed'));
      for (const adapter of adapters.reverse()) {
        await adapter
          .stop()
          .catch((err: unknown) => log.error({ err, platform: adapter.platform }, 'adapter stop failed'));
      }
      await store.close();
    })();
    return stopping;
  };
  process.once('SIGINT', () => void shutdown('SIGINT').then(() => process.exit(0)));
  process.once('SIGTERM', () => void shutdown('SIGTERM').then(() => process.exit(0)));

  if (playground) {
    const terminal = new Playground(ctx, {
      input: process.stdin,
      output: process.stdout,
      interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
    });
    const running = terminal.start();
    adapters.push(running);
    await armServices(deps, adapters);
    await terminal.closed;
    await shutdown('input ended');
    return 0;
  }

  if (discordConfigured(config)) {
    const { startDiscord } = await import('./adapters/discord/index.ts');
    adapters.push(
      await startDiscord(ctx, {
        token: config.DISCORD_TOKEN as string,
        applicationId: config.DISCORD_APPLICATION_ID as string,
        apiUrl: config.DISCORD_API_URL,
      }),
    );
  }
  if (slackConfigured(config)) {
    const { startSlack } = await import('./adapters/slack/index.ts');
    adapters.push(
      await startSlack(ctx, {
        botToken: config.SLACK_BOT_TOKEN as string,
        appToken: config.SLACK_APP_TOKEN,
        signingSecret: config.SLACK_SIGNING_SECRET,
        port: config.PORT,
        apiUrl: config.SLACK_API_URL,
      }),
    );
  }
  const armed = await armServices(deps, adapters);
  const s = content.library;
  log.info(
    {
      platforms: adapters.map((a) => `${a.platform} (${a.mode})`),
      dataFile: resolve(config.DATA_FILE),
      content: {
        topics: s.topics.length,
        events: s.events.length,
        facts: s.facts.length,
        questions: s.questions.length,
      },
      ...armed,
    },
    'thawbot running',
  );
  return await new Promise<number>(() => {});
}

/** Gives the quiz and the daily scheduler every adapter's Poster, resumes games and starts ticking. */
async function armServices(deps: Deps, adapters: RunningAdapter[]) {
  for (const adapter of adapters) {
    deps.quiz.registerPoster(adapter.platform, adapter.poster);
    deps.daily.registerPoster(adapter.platform, adapter.poster);
  }
  const quizzesResumed = await deps.quiz.resume();
  await deps.daily.start();
  return { quizzesResumed, subscriptions: Object.keys(deps.store.read().subscriptions).length };
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `thawbot could not start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
