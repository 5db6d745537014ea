import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { commands as realCommands } from '../../commands/index.ts';
import { startDiscord } from '../../src/adapters/discord/index.ts';
import { buildApp } from '../../src/app.ts';
import type { ContentIndex } from '../../src/content/index.ts';
import { loadContent } from '../../src/content/load.ts';
import type { RunningAdapter } from '../../src/core/adapter.ts';
import type { Command, Deps } from '../../src/core/command.ts';
import type { Logger } from '../../src/core/log.ts';
import { seededRandom } from '../../src/core/random.ts';
import { memoryStorage } from '../../src/store/doc/index.ts';
import {
  FakeDiscord,
  type FakeGuild,
  type FakeUser,
  makeGuild,
  PERMISSIONS,
} from '../fakes/discord/index.ts';
import { testCommands } from './test-commands.ts';

const REAL_CONTENT = fileURLToPath(new URL('../../content', import.meta.url));
const FIXTURE_CONTENT = fileURLToPath(new URL('../fixtures/content', import.meta.url));

/** The real library when it loads cleanly, else the small test fixture. */
export function testContent(): ContentIndex {
  if (existsSync(REAL_CONTENT)) {
    try {
      return loadContent(REAL_CONTENT);
    } catch {
      // fall through to the fixture
    }
  }
  return loadContent(FIXTURE_CONTENT);
}

export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  msg?: string;
  obj?: Record<string, unknown>;
}

/** A logger that keeps every entry, so tests can assert what was logged. */
export function recordingLogger(entries: LogEntry[] = [], bindings: Record<string, unknown> = {}): Logger {
  const at =
    (level: LogEntry['level']) =>
    (objOrMsg: object | string, msg?: string): void => {
      if (typeof objOrMsg === 'string') entries.push({ level, msg: objOrMsg, obj: bindings });
      else entries.push({ level, msg, obj: { ...bindings, ...(objOrMsg as Record<string, unknown>) } });
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (more) => recordingLogger(entries, { ...bindings, ...more }),
  };
}

export interface Harness {
  fake: FakeDiscord;
  adapter: RunningAdapter;
  deps: Deps;
  guild: FakeGuild;
  users: { admin: FakeUser; host: FakeUser; hostByRole: FakeUser; member: FakeUser; other: FakeUser };
  hostRoleId: string;
  logs: LogEntry[];
  stop(): Promise<void>;
}

export const APPLICATION_ID = '700000000000000001';
export const TOKEN = 'test-token';

export async function startHarness(
  options: { commands?: Command[]; deferAfterMs?: number } = {},
): Promise<Harness> {
  const users = {
    admin: { id: '710000000000000001', username: 'ada', globalName: 'Ada Admin' },
    host: { id: '710000000000000002', username: 'hana', globalName: 'Hana Host' },
    hostByRole: { id: '710000000000000003', username: 'rolf', globalName: 'Rolf Role' },
    member: { id: '710000000000000004', username: 'mia', globalName: 'Mia Member' },
    other: { id: '710000000000000005', username: 'otto', globalName: null as unknown as undefined },
  };
  const hostRoleId = '720000000000000001';
  const guild = makeGuild({
    id: '730000000000000001',
    name: 'Study Hall',
    channels: 3,
    members: Object.values(users).map((user) => ({
      user,
      nick: user === users.member ? 'Mia (nick)' : undefined,
    })),
    roles: [
      { id: hostRoleId, name: 'Teachers' },
      { id: '720000000000000002', name: 'Mods', permissions: String(PERMISSIONS.ManageGuild) },
    ],
  });
  const fake = await FakeDiscord.start({ applicationId: APPLICATION_ID, guilds: [guild], token: TOKEN });
  const logs: LogEntry[] = [];
  const log = recordingLogger(logs);
  const storage = memoryStorage();
  await storage.settings.change({ platform: 'discord', workspaceId: guild.id }, (settings) => {
    settings.hostUserIds = [users.host.id];
    settings.hostRoleId = hostRoleId;
  });
  const { deps, router } = buildApp({
    content: testContent(),
    storage,
    log,
    now: () => new Date('2026-02-25T09:00:00Z'),
    random: seededRandom(7),
    commands: options.commands ?? [...realCommands, ...testCommands],
  });
  const adapter = await startDiscord(
    { router, deps, log },
    { token: TOKEN, applicationId: APPLICATION_ID, apiUrl: fake.apiUrl, deferAfterMs: options.deferAfterMs },
  );
  return {
    fake,
    adapter,
    deps,
    guild,
    users,
    hostRoleId,
    logs,
    async stop() {
      await adapter.stop();
      await fake.close();
    },
  };
}
