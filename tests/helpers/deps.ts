import { fileURLToPath } from 'node:url';
import { commands as allCommands } from '../../commands/index.ts';
import { buildApp } from '../../src/app.ts';
import type { ContentIndex } from '../../src/content/index.ts';
import { loadContent } from '../../src/content/load.ts';
import type { Actor, Command, Invocation } from '../../src/core/command.ts';
import { silentLogger } from '../../src/core/log.ts';
import type { ChannelRef } from '../../src/core/platform.ts';
import { seededRandom } from '../../src/core/random.ts';
import { memoryStorage } from '../../src/store/doc/index.ts';
import type { Storage } from '../../src/store/ports.ts';

export const FIXTURE_CONTENT = fileURLToPath(new URL('../fixtures/content', import.meta.url));
export const REAL_CONTENT = fileURLToPath(new URL('../../content', import.meta.url));

let fixture: ContentIndex | undefined;
export function fixtureContent(): ContentIndex {
  fixture ??= loadContent(FIXTURE_CONTENT);
  return fixture;
}

export interface TestAppOptions {
  content?: ContentIndex;
  storage?: Storage;
  now?: () => Date;
  seed?: number;
  commands?: readonly Command[];
}

/** A router over fixture content, an in-memory store and a fixed clock and seed. */
export function testApp(options: TestAppOptions = {}) {
  return buildApp({
    content: options.content ?? fixtureContent(),
    storage: options.storage ?? memoryStorage(),
    log: silentLogger,
    now: options.now ?? (() => new Date('2026-02-25T09:00:00Z')),
    random: seededRandom(options.seed ?? 1),
    commands: options.commands ?? allCommands,
  });
}

export const CHANNEL: ChannelRef = { platform: 'console', workspaceId: 'w1', channelId: 'c1' };

export function actor(kind: 'member' | 'host' | 'admin' = 'member'): Actor {
  return {
    user: { platform: 'console', id: `u-${kind}`, displayName: kind },
    channel: CHANNEL,
    isAdmin: kind === 'admin',
    isHost: kind !== 'member',
    inServer: true,
  };
}

/** An invocation from a typed line such as "/learn topic:alpha". */
export function textInvocation(line: string, who: Actor = actor()): Invocation {
  const m = /^\/(\S+)\s*(.*)$/s.exec(line);
  if (!m) throw new Error(`not a command line: ${line}`);
  return { ...who, command: m[1] as string, input: { kind: 'text', text: m[2] as string } };
}
