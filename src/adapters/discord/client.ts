import { Client, DefaultRestOptions, GatewayIntentBits, Options, type RESTOptions } from 'discord.js';
import type { RestPace } from '../../core/adapter.ts';

/** The shards one client connects: `ids` of `count` in total. */
export interface ShardSet {
  ids: number[];
  count: number;
}

/**
 * Discord allows 50 requests a second per bot. Pacing at one less leaves room for the difference
 * between our second and Discord's (network jitter), which otherwise costs a global 429 and a
 * pause of up to a second for the whole queue.
 */
export const GLOBAL_REQUESTS_PER_SECOND = 49;

/**
 * The same limit counts every process of the bot together: a fleet books each request's slot through
 * the database at this pace, evenly spaced, so another process's requests never push a second over.
 */
export const FLEET_REQUESTS_PER_SECOND = 48;

/** Discord leaves interaction responses and follow-ups (the only webhooks the bot calls) out of the global limit. */
const UNLIMITED = /\/(interactions|webhooks)\//;

/** discord.js's request function, waiting first for each limited request's slot under `pace`. */
function pacedRequest(pace: RestPace): RESTOptions['makeRequest'] {
  return async (url, init) => {
    if (!UNLIMITED.test(url)) await pace(init.signal ?? undefined);
    return DefaultRestOptions.makeRequest(url, init);
  };
}

/**
 * A client that keeps only what thawbot uses. Interactions carry the member, permissions and options
 * themselves, and posts go over REST, so members, users, messages, emojis and the like are not
 * cached; only the bot's own member and user are kept. Guilds, channels and roles cannot be limited
 * (discord.js needs them).
 */
export function createClient(apiUrl?: string, shards?: ShardSet, pace?: RestPace): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds],
    // Under a ShardingManager, discord.js reads the shard from the environment; given, it wins.
    ...(shards ? { shards: shards.ids, shardCount: shards.count } : {}),
    allowedMentions: { parse: [] },
    rest: {
      ...(apiUrl ? { api: apiUrl } : {}),
      ...(pace ? { makeRequest: pacedRequest(pace) } : {}),
      globalRequestsPerSecond: GLOBAL_REQUESTS_PER_SECOND,
    },
    makeCache: Options.cacheWithLimits({
      ApplicationCommandManager: 0,
      ApplicationEmojiManager: 0,
      AutoModerationRuleManager: 0,
      BaseGuildEmojiManager: 0,
      DMMessageManager: 0,
      EntitlementManager: 0,
      GuildBanManager: 0,
      GuildEmojiManager: 0,
      GuildForumThreadManager: 0,
      GuildInviteManager: 0,
      GuildMemberManager: { maxSize: 0, keepOverLimit: (member) => member.id === member.client.user?.id },
      GuildMessageManager: 0,
      GuildScheduledEventManager: 0,
      GuildStickerManager: 0,
      GuildTextThreadManager: 0,
      MessageManager: 0,
      PresenceManager: 0,
      ReactionManager: 0,
      ReactionUserManager: 0,
      StageInstanceManager: 0,
      ThreadManager: 0,
      ThreadMemberManager: 0,
      UserManager: { maxSize: 0, keepOverLimit: (user) => user.id === user.client.user?.id },
      VoiceStateManager: 0,
    }),
    // The limited caches cannot grow; the default sweeper clears archived threads from the channel cache.
    sweepers: Options.DefaultSweeperSettings,
  });
}
