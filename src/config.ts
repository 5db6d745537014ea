import { existsSync } from 'node:fs';
import { z } from 'zod';
import { checkSharding, onOffVar, shardCountVar, shardIdsVar, shardsVar } from './sharding/config.ts';

/** Every environment variable thawbot reads, parsed in one place. See .env.example. */
const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();
const optionalUrl = optionalText.pipe(
  z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
);
/** A number from min to max (whole when `integer`), or `fallback` when unset. */
const numberIn = <F extends number | undefined>(
  fallback: F,
  min: number,
  max: number,
  what: string,
  integer = false,
) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return fallback;
      const n = Number(v);
      if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `must be ${what}` });
        return z.NEVER;
      }
      return n as number | F;
    });
const port = (fallback: number) => numberIn(fallback, 1, 65535, 'a port number from 1 to 65535', true);
/** Unset: off. 0 lets the system pick a free port (logged at start), for tests. */
const optionalPort = optionalText.pipe(
  z
    .string()
    .regex(/^\d{1,5}$/, 'must be a port number from 0 to 65535')
    .transform(Number)
    .refine((n) => n <= 65535, 'must be a port number from 0 to 65535')
    .optional(),
);

const schema = z
  .object({
    LOG_LEVEL: optionalText.pipe(
      z
        .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
          error: 'must be one of fatal, error, warn, info, debug, trace, silent',
        })
        .optional(),
    ),
    DATA_FILE: optionalText.transform((v) => v ?? './data/thawbot.json'),
    /** PostgreSQL instead of the data files: postgres://user:password@host:5432/database */
    DATABASE_URL: optionalText.pipe(
      z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }).optional(),
    ),
    /** The PostgreSQL schema holding thawbot's tables (default public); created if missing. */
    DATABASE_SCHEMA: optionalText.pipe(
      z
        .string()
        .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be lowercase letters, digits and _ (at most 63)')
        .optional(),
    ),
    CONTENT_DIR: optionalText.transform((v) => v ?? './content'),
    DISCORD_TOKEN: optionalText,
    DISCORD_APPLICATION_ID: optionalText.pipe(
      z
        .string()
        .regex(/^\d{15,21}$/, 'must be a numeric Discord id')
        .optional(),
    ),
    DISCORD_GUILD_ID: optionalText.pipe(
      z
        .string()
        .regex(/^\d{15,21}$/, 'must be a numeric Discord id')
        .optional(),
    ),
    DISCORD_API_URL: optionalUrl,
    /** Sharding (docs/sharding.md): `auto` or a number runs that many shard processes under a manager. */
    DISCORD_SHARDS: shardsVar,
    /** Some of the shards only, to spread them over machines: `0,1` of DISCORD_SHARD_COUNT. */
    DISCORD_SHARD_IDS: shardIdsVar,
    DISCORD_SHARD_COUNT: shardCountVar,
    /** Whether this process runs scheduled work (daily posts, quiz nights, reminders, retention); default on. */
    SCHEDULED_WORK: onOffVar.transform((v) => v ?? true),
    SLACK_BOT_TOKEN: optionalText.pipe(
      z.string().startsWith('xoxb-', 'must be a bot token starting with xoxb-').optional(),
    ),
    SLACK_APP_TOKEN: optionalText.pipe(
      z.string().startsWith('xapp-', 'must be an app-level token starting with xapp-').optional(),
    ),
    SLACK_SIGNING_SECRET: optionalText,
    SLACK_API_URL: optionalUrl,
    PORT: port(3000),
    HEALTH_PORT: optionalPort,
    HEALTH_HOST: optionalText.transform((v) => v ?? '127.0.0.1'),
    DAILY_CATCHUP_HOURS: numberIn(6, 0, 23, 'a number of hours from 0 to 23'),
    QUIZ_PAUSE_SECONDS: numberIn(5, 0, 60, 'a number of seconds from 0 to 60'),
    /** With PostgreSQL: how long the scheduler lease lasts unrenewed (a survivor takes over after it). */
    SCHEDULER_LEASE_SECONDS: numberIn(30, 3, 300, 'a number of seconds from 3 to 300'),
    /** With the data files: learners kept in memory; the others are read from disk when used. */
    STUDY_LEARNERS_IN_MEMORY: numberIn(undefined, 1, 100_000, 'a whole number from 1 to 100000', true),
  })
  .superRefine((env, ctx) => {
    checkSharding(env, ctx);
    if (env.DISCORD_TOKEN && !env.DISCORD_APPLICATION_ID)
      ctx.addIssue({
        code: 'custom',
        path: ['DISCORD_APPLICATION_ID'],
        message: 'is required when DISCORD_TOKEN is set',
      });
    if (env.DISCORD_APPLICATION_ID && !env.DISCORD_TOKEN)
      ctx.addIssue({
        code: 'custom',
        path: ['DISCORD_TOKEN'],
        message: 'is required when DISCORD_APPLICATION_ID is set',
      });
    if (env.SLACK_BOT_TOKEN && !env.SLACK_APP_TOKEN && !env.SLACK_SIGNING_SECRET)
      ctx.addIssue({
        code: 'custom',
        path: ['SLACK_APP_TOKEN'],
        message: 'or SLACK_SIGNING_SECRET is required when SLACK_BOT_TOKEN is set (Socket Mode or HTTP mode)',
      });
    if (
      env.HEALTH_PORT !== undefined &&
      env.HEALTH_PORT === env.PORT &&
      env.SLACK_BOT_TOKEN &&
      !env.SLACK_APP_TOKEN &&
      env.SLACK_SIGNING_SECRET
    )
      ctx.addIssue({
        code: 'custom',
        path: ['HEALTH_PORT'],
        message: "must differ from PORT, which Slack's HTTP mode listens on",
      });
    if (!env.SLACK_BOT_TOKEN && (env.SLACK_APP_TOKEN || env.SLACK_SIGNING_SECRET))
      ctx.addIssue({
        code: 'custom',
        path: ['SLACK_BOT_TOKEN'],
        message: 'is required when other SLACK_ variables are set',
      });
  });

export type Config = z.infer<typeof schema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Configuration problem${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  ${p}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

/** Parses the environment; every bad or missing variable gets its own line naming it. */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((i) => `${String(i.path[0] ?? 'environment')} ${i.message}`));
}

export function discordConfigured(config: Config): boolean {
  return Boolean(config.DISCORD_TOKEN && config.DISCORD_APPLICATION_ID);
}

export function slackConfigured(config: Config): boolean {
  return Boolean(config.SLACK_BOT_TOKEN);
}

/** Reads `.env` when there is one; variables already set in the environment win. */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}
