import {
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Client,
  DiscordjsErrorCodes,
  Events,
  GatewayCloseCodes,
  type Interaction,
  MessageFlags,
  type ModalSubmitInteraction,
  Status,
} from 'discord.js';
import { type AdapterContext, PlatformRefusedError, type RunningAdapter } from '../../core/adapter.ts';
import { ApiHealth } from '../../core/api-health.ts';
import type { Logger } from '../../core/log.ts';
import { errorReply, truncate } from '../../core/reply.ts';
import { ACTION_FAILED, COMMAND_FAILED } from '../../core/router.ts';
import { createClient, FLEET_REQUESTS_PER_SECOND, type ShardSet } from './client.ts';
import { submissionOf } from './forms.ts';
import { guardInteractions } from './guard.ts';
import { discordPoster } from './poster.ts';
import { answerAction, answerCommand, DEFAULT_DEFER_AFTER_MS, isStaleInteraction } from './respond.ts';
import { shardStates } from './shards.ts';
import { actionEventOf, actorOf, focusedOf, invocationOf } from './translate.ts';

export interface DiscordOptions {
  token: string;
  applicationId: string;
  /** REST base URL (for a REST proxy or a test server); discord.js appends `/v10/...`. */
  apiUrl?: string;
  /** How long to wait for an answer before deferring; Discord allows 3 s. */
  deferAfterMs?: number;
  /** The shards this client connects (default: one shard, or what a ShardingManager says). */
  shards?: ShardSet;
}

/** Logs in over the gateway, answers interactions through the router and returns the Poster. */
export async function startDiscord(ctx: AdapterContext, options: DiscordOptions): Promise<RunningAdapter> {
  const log = ctx.log.child({ platform: 'discord' });
  const client = createClient(
    options.apiUrl,
    options.shards,
    ctx.sharedPace?.('discord', FLEET_REQUESTS_PER_SECOND),
  );
  const deferAfterMs = options.deferAfterMs ?? DEFAULT_DEFER_AFTER_MS;
  const api = watchApi(client);
  guardInteractions(client, log);
  watchGuilds(ctx, client, log);

  client.on(Events.InteractionCreate, (interaction) => {
    handleInteraction(ctx, log, interaction, deferAfterMs, api).catch((error: unknown) => {
      log.error({ err: error }, 'interaction handling failed');
    });
  });

  // The Poster is in place before the first interaction can arrive: a /quiz start right after READY
  // must find it.
  const poster = discordPoster(client);
  ctx.deps.posters.register('discord', poster);
  const ready = new Promise<void>((resolve, reject) => {
    client.once(Events.ClientReady, () => resolve());
    client.on(Events.ShardDisconnect, (event) => {
      const refused = UNRECOVERABLE[event.code];
      if (refused) reject(new PlatformRefusedError('discord', refused));
    });
  });
  try {
    await client.login(options.token);
    await ready;
  } catch (error) {
    ctx.deps.posters.unregister('discord', poster);
    await client.destroy().catch(() => {});
    if ((error as { code?: unknown }).code === DiscordjsErrorCodes.TokenInvalid)
      throw new PlatformRefusedError(
        'discord',
        UNRECOVERABLE[GatewayCloseCodes.AuthenticationFailed] as string,
      );
    throw error;
  }
  watchConnection(ctx, client, log);
  if (client.application?.id && client.application.id !== options.applicationId) {
    log.warn(
      { expected: options.applicationId, actual: client.application.id },
      'DISCORD_APPLICATION_ID does not match the token',
    );
  }
  log.info({ guilds: client.guilds.cache.size, user: client.user?.tag }, 'discord ready');

  return {
    platform: 'discord',
    poster,
    mode: 'gateway',
    ready: () => client.isReady() && client.ws.shards.every((shard) => shard.status === Status.Ready),
    trouble: () => api.trouble(),
    // READY lists every guild (unavailable ones too), so the cache is complete once started.
    workspaces: () => [...client.guilds.cache.keys()],
    shards: async () => shardStates(client),
    async stop() {
      client.removeAllListeners(Events.InteractionCreate);
      client.removeAllListeners(Events.GuildCreate);
      client.removeAllListeners(Events.GuildDelete);
      await client.destroy();
      log.info('discord stopped');
    },
  };
}

/** Gateway close codes after which discord.js gives up, with what the operator must do. */
const UNRECOVERABLE: Partial<Record<number, string>> = {
  [GatewayCloseCodes.AuthenticationFailed]:
    'Discord refused DISCORD_TOKEN: the token is wrong or was reset. Copy the current token from the Developer Portal (Bot, Reset Token) into DISCORD_TOKEN and restart.',
  [GatewayCloseCodes.DisallowedIntents]:
    'Discord refused the gateway intents this bot asks for. Check the Bot page of the Developer Portal and restart.',
  [GatewayCloseCodes.InvalidIntents]:
    'Discord refused the gateway intents as invalid; restart with a supported discord.js.',
  [GatewayCloseCodes.InvalidShard]:
    'Discord refused the shard settings; check DISCORD_SHARDS, DISCORD_SHARD_IDS and DISCORD_SHARD_COUNT (docs/sharding.md) and restart.',
  [GatewayCloseCodes.ShardingRequired]:
    'Discord requires more shards for this many servers; set DISCORD_SHARDS=auto (it needs DATABASE_URL; docs/sharding.md) and restart.',
  [GatewayCloseCodes.InvalidAPIVersion]:
    'Discord refused the gateway API version; upgrade discord.js and restart.',
};

/** Every REST response tells whether Discord's API works: server errors and rate limits count against it. */
function watchApi(client: Client): ApiHealth {
  const api = new ApiHealth('Discord REST');
  client.rest.on('response', (request, response) => {
    if (response.status >= 500 || response.status === 429)
      api.failed(`${response.status} on ${request.method.toUpperCase()} ${request.route}`);
    else api.ok();
  });
  return api;
}

function watchConnection(ctx: AdapterContext, client: Client, log: Logger): void {
  client.on(Events.ShardDisconnect, (event, shard) => {
    const refused = UNRECOVERABLE[event.code];
    if (refused) ctx.platformFailed?.('discord', refused);
    else log.warn({ shard, code: event.code }, 'gateway disconnected');
  });
  client.on(Events.ShardReconnecting, (shard) => log.info({ shard }, 'gateway reconnecting'));
  client.on(Events.ShardResume, (shard, replayed) => log.info({ shard, replayed }, 'gateway resumed'));
  client.on(Events.ShardError, (error, shard) => log.warn({ err: error, shard }, 'gateway error'));
  // Without these listeners an 'error' event would be thrown and end the process.
  client.on(Events.Error, (error) => log.error({ err: error }, 'discord client error'));
  client.on(Events.Warn, (message) => log.warn({ message }, 'discord warning'));
}

/**
 * Servers joined or left while running. discord.js emits GuildDelete only when the bot was removed
 * (an outage emits GuildUnavailable instead) and GuildCreate only for a server new since READY.
 */
function watchGuilds(ctx: AdapterContext, client: Client, log: Logger): void {
  client.on(Events.GuildDelete, (guild) => {
    log.info({ guild: guild.id }, 'removed from a server');
    try {
      ctx.workspaceRemoved?.({ platform: 'discord', workspaceId: guild.id });
    } catch (error) {
      log.error({ err: error, guild: guild.id }, 'server removal handling failed');
    }
  });
  client.on(Events.GuildCreate, (guild) => {
    log.info({ guild: guild.id }, 'added to a server');
    try {
      ctx.workspaceAdded?.({ platform: 'discord', workspaceId: guild.id });
    } catch (error) {
      log.error({ err: error, guild: guild.id }, 'server addition handling failed');
    }
  });
}

async function handleInteraction(
  ctx: AdapterContext,
  log: Logger,
  interaction: Interaction,
  deferAfterMs: number,
  api: ApiHealth,
): Promise<void> {
  const started = performance.now();
  const kind = interaction.isChatInputCommand()
    ? 'command'
    : interaction.isAutocomplete()
      ? 'autocomplete'
      : interaction.isButton()
        ? 'button'
        : // A form thawbot opened; any other modal is refused below.
          interaction.isModalSubmit() && ctx.router.hasForm(interaction.customId)
          ? 'form'
          : undefined;
  if (!kind) {
    await refuseKind(log, interaction);
    return;
  }
  let how: string = 'direct';
  try {
    if (interaction.isChatInputCommand()) how = await onCommand(ctx, interaction, deferAfterMs);
    else if (interaction.isAutocomplete()) await onAutocomplete(ctx, interaction);
    else if (interaction.isButton()) how = await onButton(ctx, interaction, deferAfterMs);
    else if (interaction.isModalSubmit()) how = await onForm(ctx, interaction, deferAfterMs);
  } catch (error) {
    if (isStaleInteraction(error))
      log.warn({ err: error, kind, id: interaction.id }, 'interaction expired or already answered');
    else {
      // No status: the request never got an answer (refused, reset, timed out).
      if (typeof (error as { status?: unknown }).status !== 'number')
        api.failed(error instanceof Error ? error.message : String(error));
      log.error({ err: error, kind, id: interaction.id }, 'could not answer interaction');
    }
    return;
  }
  log.debug(
    {
      kind,
      name: nameOf(interaction),
      guild: interaction.guildId ?? undefined,
      user: interaction.user.id,
      how,
      ms: Math.round(performance.now() - started),
    },
    'interaction handled',
  );
}

/** Context menus, modals and menus thawbot never registered: answered politely, never left to time out. */
async function refuseKind(log: Logger, interaction: Interaction): Promise<void> {
  log.info({ type: interaction.type, id: interaction.id }, 'interaction of a kind thawbot does not handle');
  if (!interaction.isRepliable()) return;
  try {
    await interaction.reply({
      content: 'thawbot does not handle this kind of request. Type `/help` to see what it can do.',
      flags: MessageFlags.Ephemeral,
      allowedMentions: { parse: [] },
    });
  } catch (error) {
    log.warn({ err: error, id: interaction.id }, 'could not answer an interaction of an unhandled kind');
  }
}

function nameOf(interaction: Interaction): string | undefined {
  if (interaction.isChatInputCommand() || interaction.isAutocomplete()) return interaction.commandName;
  if (interaction.isButton() || interaction.isModalSubmit()) return interaction.customId.split(':')[0];
  return undefined;
}

function onCommand(ctx: AdapterContext, interaction: ChatInputCommandInteraction, deferAfterMs: number) {
  const work = (async () => ctx.router.handle(invocationOf(interaction)))().catch((error: unknown) => {
    ctx.log.error({ err: error, command: interaction.commandName }, 'command failed before the router');
    return errorReply(COMMAND_FAILED);
  });
  return answerCommand(interaction, work, deferAfterMs);
}

function onButton(ctx: AdapterContext, interaction: ButtonInteraction, deferAfterMs: number) {
  const work = (async () => ctx.router.handleAction(actionEventOf(interaction)))().catch((error: unknown) => {
    ctx.log.error(
      { err: error, action: interaction.customId.slice(0, 100) },
      'button failed before the router',
    );
    return { mode: 'new' as const, reply: errorReply(ACTION_FAILED) };
  });
  return answerAction(interaction, work, deferAfterMs);
}

function onForm(ctx: AdapterContext, interaction: ModalSubmitInteraction, deferAfterMs: number) {
  const work = (async () => (await ctx.router.handleForm(submissionOf(interaction))).reply)().catch(
    (error: unknown) => {
      ctx.log.error(
        { err: error, form: interaction.customId.slice(0, 100) },
        'form failed before the router',
      );
      return errorReply(ACTION_FAILED);
    },
  );
  return answerCommand(interaction, work, deferAfterMs);
}

async function onAutocomplete(ctx: AdapterContext, interaction: AutocompleteInteraction): Promise<void> {
  const { subcommand, option, prefix } = focusedOf(interaction);
  const suggestions = ctx.router.suggest(
    interaction.commandName,
    subcommand,
    option,
    prefix,
    actorOf(interaction),
  );
  // Discord refuses names or values over 100 characters; such values could not be submitted anyway.
  const choices = suggestions
    .filter((s) => s.value.length >= 1 && s.value.length <= 100)
    .slice(0, 25)
    .map((s) => ({
      name: truncate(s.label || s.value, 100),
      value: s.value,
    }));
  await interaction.respond(choices);
}

export { commandPayload } from './registration.ts';
export { renderReply } from './render.ts';
