import { resolve } from 'node:path';
import { Playground } from './adapters/console/playground.ts';
import { type App, buildApp } from './app.ts';
import {
  type Config,
  ConfigError,
  discordConfigured,
  loadConfig,
  loadDotEnv,
  slackConfigured,
} from './config.ts';
import { ContentError, loadContent } from './content/load.ts';
import type { AdapterContext, RunningAdapter } from './core/adapter.ts';
import type { Logger } from './core/log.ts';
import { type Fleet, joinFleet } from './fleet/index.ts';
import { paceThrough } from './fleet/pace.ts';
import { HealthMonitor, type HealthServer, LoopMonitor, serveHealth } from './health/index.ts';
import { createLogger } from './log.ts';
import { type PlatformSpec, PlatformSupervisor } from './platforms.ts';
import { installProcessGuards } from './process-guards.ts';
import { shardPlan } from './sharding/config.ts';
import { owns, type ProcessRole, processRole, shardChild } from './sharding/role.ts';
import { reportRefusal, watchManager } from './sharding/shard-process.ts';
import { openStorage } from './store/index.ts';
import { workspaceHooks } from './store/lifecycle.ts';

/** Longer than any clean stop takes; shorter than Docker's 10 s before it kills the process. */
const SHUTDOWN_TIMEOUT_MS = 8_000;
/** Removed workspaces past their grace are deleted at start and this often. */
const PURGE_INTERVAL_MS = 6 * 3_600_000;

/** The composition root: reads config, builds the shared services once, starts the adapters. */
async function main(): Promise<number> {
  loadDotEnv();
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

  // A shard process (started by the manager below, in another process) runs its Discord shard only.
  const role = processRole(shardPlan(config), config.SCHEDULED_WORK, shardChild(process.env));
  const playgroundOnly = process.argv.includes('--playground');
  const platforms = playgroundOnly
    ? []
    : role.kind === 'shard'
      ? ['discord']
      : [discordConfigured(config) && 'discord', slackConfigured(config) && 'slack'].filter(Boolean);
  const playground = platforms.length === 0;
  // The playground shares the terminal with the log, so it only shows warnings unless asked.
  const rootLog = createLogger({
    level: config.LOG_LEVEL ?? (playground ? 'warn' : 'info'),
    pretty: process.stderr.isTTY,
  });
  const log = role.kind === 'shard' ? rootLog.child({ shard: role.shards.ids.join(',') }) : rootLog;

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

  const storage = await openStorage({
    databaseUrl: config.DATABASE_URL,
    schema: config.DATABASE_SCHEMA,
    file: resolve(config.DATA_FILE),
    log,
    hotLearners: config.STUDY_LEARNERS_IN_MEMORY,
  });
  const app = buildApp({
    content,
    storage,
    log,
    quizPauseMs: config.QUIZ_PAUSE_SECONDS * 1000,
    dailyCatchUpMs: config.DAILY_CATCHUP_HOURS * 3_600_000,
  });
  const { deps, router, clock } = app;
  // Several processes may share PostgreSQL: scheduled work goes to the one holding the lease.
  // A process told not to run scheduled work (a shard, SCHEDULED_WORK=off) never takes the lease.
  const fleet: Fleet | undefined =
    storage.fleet && role.runsScheduledWork
      ? joinFleet({ app, repo: storage.fleet, log, leaseMs: config.SCHEDULER_LEASE_SECONDS * 1000 })
      : undefined;
  const adapters: RunningAdapter[] = [];
  const lifecycle = workspaceHooks(storage.workspaces, log.child({ component: 'lifecycle' }), deps.now);
  const ctx: AdapterContext = {
    router,
    deps,
    log,
    workspaceRemoved: lifecycle.workspaceRemoved,
    workspaceAdded: lifecycle.workspaceAdded,
    // Every process on the database shares the platforms' per-bot limits.
    ...(storage.fleet ? { sharedPace: paceThrough(storage.fleet, log) } : {}),
  };
  if (role.runsScheduledWork) await lifecycle.purge();
  const purgeTimer = role.runsScheduledWork
    ? setInterval(() => void lifecycle.purge(), PURGE_INTERVAL_MS).unref()
    : undefined;

  // The endpoint starts before the platforms log in, so liveness answers during a slow start.
  const loop = new LoopMonitor().start();
  const health = new HealthMonitor({
    storage,
    clock,
    now: deps.now,
    loop,
    schedulerRuns: role.runsScheduledWork,
    ...(fleet ? { leaseHeld: () => fleet.lease.held() } : {}),
  });
  let healthServer: HealthServer | undefined;
  let supervisor: PlatformSupervisor | undefined;

  let stopping: Promise<boolean> | undefined;
  /** Stops everything in order and flushes the store; resolves false if any step failed. */
  const shutdown = (reason: string) => {
    stopping ??= (async () => {
      log.info({ reason }, 'shutting down');
      health.phase = 'stopping';
      let clean = true;
      const step = async (what: string, fn: () => Promise<unknown>, fields: object = {}) => {
        try {
          await fn();
        } catch (err) {
          clean = false;
          log.error({ err, ...fields }, `${what} failed`);
        }
      };
      clearInterval(purgeTimer);
      await step('clock stop', () => clock.stop());
      if (fleet) await step('lease release', () => fleet.stop());
      // Terminal games end with their input; games elsewhere stay stored and resume on the next start.
      await step('quiz shutdown', () => deps.quiz.shutdown(['console']));
      for (const adapter of [...adapters].reverse())
        await step('adapter stop', () => adapter.stop(), { platform: adapter.platform });
      await supervisor?.stop((platform, err) => {
        clean = false;
        log.error({ err, platform }, 'adapter stop failed');
      });
      await step('store close', () => storage.close());
      loop.stop();
      await step('health endpoint close', async () => healthServer?.close());
      log.info({ clean }, 'stopped');
      return clean;
    })();
    return stopping;
  };
  const onSignal = (signal: NodeJS.Signals) => {
    // A stop that hangs (a platform not answering) must not outlive the orchestrator's patience.
    setTimeout(() => {
      log.error({ signal, timeoutMs: SHUTDOWN_TIMEOUT_MS }, 'shutdown took too long; exiting anyway');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS).unref();
    void shutdown(signal).then((clean) => process.exit(clean ? 0 : 1));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  // A closed terminal (or `kill -HUP`) stops the bot the same clean way, so no lock is left behind.
  process.once('SIGHUP', onSignal);
  installProcessGuards(log, shutdown);
  // A shard process ends with its manager: nobody would stop it otherwise.
  if (role.kind === 'shard') watchManager(() => onSignal('SIGTERM'));

  try {
    // The manager answers for its shard processes: they serve no endpoint of their own.
    if (config.HEALTH_PORT !== undefined && role.kind !== 'shard') {
      healthServer = await serveHealth(health, {
        host: config.HEALTH_HOST,
        port: config.HEALTH_PORT,
        log: log.child({ component: 'health' }),
      });
      log.info({ url: healthServer.url, paths: ['/healthz', '/readyz'] }, 'health endpoint listening');
    }
  } catch (error) {
    await shutdown('startup failed');
    throw error;
  }

  const armed = await armServices(app, role);
  health.phase = 'running';
  /**
   * A platform that serves (its adapter registered its Poster before taking events): the games it
   * had running, posts cut off while it was away, its servers' comings and goings.
   */
  const onStarted = async (adapter: RunningAdapter) => {
    // Servers left or rejoined while the bot was offline send no event.
    const mine = (workspaceId: string) => owns(role, adapter.platform, workspaceId);
    if (adapter.workspaces)
      await lifecycle.reconcile(adapter.platform, () => adapter.workspaces?.() ?? [], mine);
    // On a shared database, the lease holder resolves cut-off posts and takes over games left behind.
    const shared = Boolean(storage.fleet);
    const quizzesResumed = shared
      ? 0
      : await deps.quiz.resume(adapter.platform, (channel) => mine(channel.workspaceId));
    if (!shared && role.runsScheduledWork) await deps.daily.recover();
    fleet?.platformStarted();
    log.info({ platform: adapter.platform, mode: adapter.mode, quizzesResumed }, 'platform serving');
  };

  if (playground) {
    const terminal = new Playground(ctx, {
      input: process.stdin,
      output: process.stdout,
      interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
    });
    const running = terminal.start();
    adapters.push(running);
    health.addAdapter(running);
    await onStarted(running);
    logSummary(
      log,
      storage.describe(),
      content,
      armed,
      [`${running.platform} (${running.mode})`],
      healthServer,
    );
    await terminal.closed;
    return (await shutdown('input ended')) ? 0 : 1;
  }

  supervisor = new PlatformSupervisor({
    log,
    onStarted,
    onAllFailed: () => {
      if (role.kind === 'shard') reportRefusal(sup.list()[0]?.detail ?? 'Discord refused this shard');
      log.error('no platform can work: every configured platform refused its credentials; stopping');
      void shutdown('no platform can work').then(() => process.exit(1));
    },
  });
  const sup = supervisor;
  ctx.platformFailed = (platform, reason) => sup.failed(platform, reason);
  health.watchPlatforms(() => sup.list());
  // Each platform starts on its own: one that cannot connect does not hold the others back.
  await Promise.all(platformSpecs(config, ctx, role).map((spec) => sup.start(spec)));
  logSummary(
    log,
    storage.describe(),
    content,
    armed,
    sup
      .list()
      .map((s) => `${s.platform} (${s.status === 'running' && s.adapter ? s.adapter.mode : s.status})`),
    healthServer,
  );
  return await new Promise<number>(() => {});
}

/** One start attempt per configured platform, for the supervisor. */
function platformSpecs(config: Config, ctx: AdapterContext, role: ProcessRole): PlatformSpec[] {
  const specs: PlatformSpec[] = [];
  if (discordConfigured(config))
    specs.push({
      platform: 'discord',
      label: 'Discord',
      start: async () => {
        if (role.kind === 'manager') {
          const { startShardManager } = await import('./adapters/discord/shard-manager.ts');
          return startShardManager(ctx, {
            token: config.DISCORD_TOKEN as string,
            apiUrl: config.DISCORD_API_URL,
            entry: process.argv[1] as string,
            totalShards: role.plan.totalShards,
            shardList: role.plan.shardList,
          });
        }
        const { startDiscord } = await import('./adapters/discord/index.ts');
        return startDiscord(ctx, {
          token: config.DISCORD_TOKEN as string,
          applicationId: config.DISCORD_APPLICATION_ID as string,
          apiUrl: config.DISCORD_API_URL,
          ...(role.kind === 'shard' ? { shards: role.shards } : {}),
        });
      },
    });
  if (slackConfigured(config) && role.kind !== 'shard')
    specs.push({
      platform: 'slack',
      label: 'Slack',
      start: async () => {
        const { startSlack } = await import('./adapters/slack/index.ts');
        return startSlack(ctx, {
          botToken: config.SLACK_BOT_TOKEN as string,
          appToken: config.SLACK_APP_TOKEN,
          signingSecret: config.SLACK_SIGNING_SECRET,
          port: config.PORT,
          apiUrl: config.SLACK_API_URL,
        });
      },
    });
  return specs;
}

/** The one line that says what this process runs. */
function logSummary(
  log: Logger,
  storageLabel: string,
  content: ReturnType<typeof loadContent>,
  armed: Awaited<ReturnType<typeof armServices>>,
  platforms: readonly string[],
  healthServer: HealthServer | undefined,
): void {
  const s = content.library;
  log.info(
    {
      platforms,
      storage: storageLabel,
      content: {
        topics: s.topics.length,
        events: s.events.length,
        facts: s.facts.length,
        questions: s.questions.length,
        reading: s.reading.length,
      },
      ...armed,
      health: healthServer
        ? healthServer.url
        : armed.role === 'shard'
          ? 'in the manager'
          : 'off (set HEALTH_PORT)',
    },
    // A shard process says so: "thawbot running" is the whole bot's line.
    armed.role === 'shard' ? 'shard running' : 'thawbot running',
  );
}

/** Starts the minute clock; platforms join as they connect (cut-off posts are recovered then). */
async function armServices(app: App, role: ProcessRole) {
  const { deps, clock } = app;
  // Elsewhere (a shard process, SCHEDULED_WORK=off) the work is another process's to do.
  if (role.runsScheduledWork) clock.start();
  /** Armed: not paused (each runs once its platform serves). */
  const armedOf = (items: { paused?: unknown }[]) => items.filter((i) => !i.paused).length;
  const subscriptions = (await deps.storage.daily.subscriptions('9999-12-31')).map((s) => s.subscription);
  const nights = await deps.storage.nights.all();
  return {
    role: role.kind,
    scheduledWork: role.runsScheduledWork ? 'here' : 'elsewhere',
    subscriptions: { total: subscriptions.length, armed: armedOf(subscriptions) },
    quizNights: { total: nights.length, armed: armedOf(nights) },
    workspacesAwaitingDeletion: (await deps.storage.workspaces.removed()).length,
  };
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
