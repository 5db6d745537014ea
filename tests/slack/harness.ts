import { commands } from '../../commands/index.ts';
import { type SlackAdapter, type SlackOptions, startSlack } from '../../src/adapters/slack/index.ts';
import { buildApp } from '../../src/app.ts';
import type { ContentIndex } from '../../src/content/index.ts';
import type { AdapterContext } from '../../src/core/adapter.ts';
import type { Deps } from '../../src/core/command.ts';
import type { Logger } from '../../src/core/log.ts';
import { silentLogger } from '../../src/core/log.ts';
import { seededRandom } from '../../src/core/random.ts';
import { type DocStorage, memoryStorage } from '../../src/store/doc/index.ts';
import { FakeSlack, type FakeSlackOptions } from '../fakes/slack/server.ts';
import { fixtureContent, testApp } from '../helpers/deps.ts';
import { testCommands } from './test-commands.ts';

export const SECRET = 'test-signing-secret-0123456789abcdef';

export interface Harness {
  fake: FakeSlack;
  adapter: SlackAdapter;
  storage: DocStorage;
  deps: Deps;
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
    /** A running fake Slack to reuse (a restart against the same workspace); else a new one. */
    fakeSlack?: FakeSlack;
    /** The data to run on (a restart keeps it); else a new in-memory storage. */
    storage?: DocStorage;
    /**
     * Build the app as src/main.ts does, with this clock and quiz pause, and give the adapter's
     * Poster to the quiz and the daily scheduler (armServices). Without it: fixed clock, no posters.
     */
    services?: { now?: () => Date; quizPauseMs?: number; resume?: boolean };
    workspaceRemoved?: AdapterContext['workspaceRemoved'];
  } = {},
): Promise<Harness> {
  const fake = options.fakeSlack ?? (await new FakeSlack(options.fake).start());
  fake.addUser({ id: 'U0MARIA', name: 'maria', displayName: 'Maria' });
  fake.addUser({ id: 'U0ADMIN', name: 'ada', displayName: 'Ada', isAdmin: true });
  fake.addUser({ id: 'U0OWNER', name: 'olga', realName: 'Olga Owner', isOwner: true });
  fake.addUser({ id: 'U0HOST', name: 'hal', displayName: 'Hal' });
  const storage = options.storage ?? memoryStorage();
  const log = options.log ?? silentLogger;
  const { deps, router } = options.services
    ? buildApp({
        content: options.content ?? fixtureContent(),
        storage,
        log,
        now: options.services.now,
        random: seededRandom(7),
        quizPauseMs: options.services.quizPauseMs,
        commands: [...commands, ...testCommands],
      })
    : testApp({
        storage,
        content: options.content,
        commands: [...commands, ...testCommands],
      });
  const adapter = await startSlack(
    { router, deps: { ...deps, log }, log, workspaceRemoved: options.workspaceRemoved },
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
  if (options.services) {
    deps.posters.register('slack', adapter.poster);
    if (options.services.resume) await deps.quiz.resume();
  }
  return {
    fake,
    adapter,
    storage,
    deps,
    url: `http://127.0.0.1:${adapter.port}/slack/events`,
    async close() {
      if (options.services) await deps.quiz.shutdown();
      await adapter.stop();
      if (!options.fakeSlack) await fake.close();
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
