import { commands } from '../../commands/index.ts';
import { startDiscord } from '../../src/adapters/discord/index.ts';
import { buildApp } from '../../src/app.ts';
import type { ContentIndex } from '../../src/content/index.ts';
import type { RunningAdapter } from '../../src/core/adapter.ts';
import type { Deps } from '../../src/core/command.ts';
import type { Platform } from '../../src/core/platform.ts';
import { seededRandom } from '../../src/core/random.ts';
import type { DocStorage } from '../../src/store/doc/index.ts';
import { FakeDiscord, type FakeGuild, type FakeUser, makeGuild } from '../fakes/discord/index.ts';
import { type LogEntry, recordingLogger, testContent } from './harness.ts';

export const APP_ID = '700000000000000101';
export const BOT_TOKEN = 'services-token';

/** Five players, a host among them, in one study server. */
export function studyGuild(): { guild: FakeGuild; players: FakeUser[]; host: FakeUser } {
  const players = ['ada', 'boris', 'clara', 'dmitri', 'elena'].map((name, i) => ({
    id: `71100000000000000${i + 1}`,
    username: name,
    globalName: name[0]?.toUpperCase() + name.slice(1),
  }));
  const host = players[0] as FakeUser;
  const guild = makeGuild({
    id: '731000000000000001',
    name: 'Quiz Night',
    channels: 3,
    members: players.map((user) => ({ user })),
  });
  return { guild, players, host };
}

export interface Running {
  deps: Deps;
  /** The storage the services run on, for reading stored state. */
  storage: DocStorage;
  adapter: RunningAdapter;
  logs: LogEntry[];
  removed: string[];
  added: string[];
  /** Stops like src/main.ts: clock, quiz timers (games stay stored), adapter, storage. */
  stop(): Promise<void>;
}

/** The adapter and services wired as src/main.ts does (armServices), without resuming or ticking. */
export async function startServices(
  fake: FakeDiscord,
  options: {
    storage: DocStorage;
    guild: FakeGuild;
    host?: FakeUser;
    now?: () => Date;
    quizPauseMs?: number;
    content?: ContentIndex;
  },
): Promise<Running> {
  const logs: LogEntry[] = [];
  const log = recordingLogger(logs);
  if (options.host) {
    const hostId = options.host.id;
    await options.storage.settings.change(
      { platform: 'discord', workspaceId: options.guild.id },
      (settings) => {
        settings.hostUserIds = [hostId];
      },
    );
  }
  const { deps, router, clock } = buildApp({
    content: options.content ?? testContent(),
    storage: options.storage,
    log,
    now: options.now,
    random: seededRandom(11),
    commands,
    quizPauseMs: options.quizPauseMs ?? 20,
  });
  const removed: string[] = [];
  const added: string[] = [];
  const hook = (list: string[]) => (ref: { platform: Platform; workspaceId: string }) =>
    list.push(`${ref.platform}:${ref.workspaceId}`);
  const adapter = await startDiscord(
    { router, deps, log, workspaceRemoved: hook(removed), workspaceAdded: hook(added) },
    { token: BOT_TOKEN, applicationId: APP_ID, apiUrl: fake.apiUrl },
  );
  deps.posters.register('discord', adapter.poster);
  return {
    deps,
    storage: options.storage,
    adapter,
    logs,
    removed,
    added,
    async stop() {
      await clock.stop();
      await deps.quiz.shutdown(['console']);
      await adapter.stop();
      await options.storage.close();
    },
  };
}

export function startFake(guilds: FakeGuild[], options: { historyNonces?: boolean } = {}) {
  return FakeDiscord.start({ applicationId: APP_ID, guilds, token: BOT_TOKEN, ...options });
}
