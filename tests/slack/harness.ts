import { commands } from '../../commands/index.ts';
import { type SlackAdapter, type SlackOptions, startSlack } from '../../src/adapters/slack/index.ts';
import type { ContentIndex } from '../../src/content/index.ts';
import type { Logger } from '../../src/core/log.ts';
import { silentLogger } from '../../src/core/log.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { FakeSlack, type FakeSlackOptions } from '../fakes/slack/server.ts';
import { testApp } from '../helpers/deps.ts';
import { testCommands } from './test-commands.ts';

export const SECRET = 'test-signing-secret-0123456789abcdef';

export interface Harness {
  fake: FakeSlack;
  adapter: SlackAdapter;
  store: MemoryStore;
  /** HTTP mode: the events URL. */
  url: string;
  close(): Promise<void>;
}

/** The real Bolt app on 127.0.0.1 over the app's commands plus test commands, against a fake Slack. */
export async function startHarness(
  mode: 'http' | 'socket',
  options: {
    fake?: FakeSlackOptions;
    log?: Logger;
    slack?: Partial<SlackOptions>;
    content?: ContentIndex;
  } = {},
): Promise<Harness> {
  const fake = await new FakeSlack(options.fake).start();
  fake.addUser({ id: 'U0MARIA', name: 'maria', displayName: 'Maria' });
  fake.addUser({ id: 'U0ADMIN', name: 'ada', displayName: 'Ada', isAdmin: true });
  fake.addUser({ id: 'U0OWNER', name: 'olga', realName: 'Olga Owner', isOwner: true });
  fake.addUser({ id: 'U0HOST', name: 'hal', displayName: 'Hal' });
  const store = new MemoryStore();
  const { deps, router } = testApp({
    store,
    content: options.content,
    commands: [...commands, ...testCommands],
  });
  const log = options.log ?? silentLogger;
  const adapter = await startSlack(
    { router, deps: { ...deps, log }, log },
    {
      botToken: 'xoxb-test-token',
      ...(mode === 'socket'
        ? { appToken: 'xapp-test-token' }
        : { signingSecret: SECRET, port: 0, host: '127.0.0.1' }),
      apiUrl: fake.apiUrl,
      retries: 0,
      ...options.slack,
    },
  );
  return {
    fake,
    adapter,
    store,
    url: `http://127.0.0.1:${adapter.port}/slack/events`,
    async close() {
      await adapter.stop();
      await fake.close();
    },
  };
}

/** A logger that keeps every message, for asserting on what was logged. */
export function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const fn = (a: unknown, b?: unknown) => {
    lines.push(typeof a === 'string' ? a : `${typeof b === 'string' ? b : ''} ${JSON.stringify(a)}`);
  };
  const log: Logger & { lines: string[] } = {
    lines,
    debug: fn,
    info: fn,
    warn: fn,
    error: fn,
    child: () => log,
  };
  return log;
}
