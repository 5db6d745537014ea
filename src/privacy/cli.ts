/**
 * `npm run privacy:forget -- --platform discord --workspace <id> --user <id> [--data <place>] [--show]`
 *
 * For the operator, when a person asks to be forgotten where the bot cannot be reached (it was
 * removed from the server, or the person left it): deletes what `/privacy forget-me` deletes, or
 * with `--show` prints what `/privacy my-data` would send. Stop the bot first when it runs on
 * lowdb files (the files' lock refuses a second process); on PostgreSQL it may keep running.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Logger } from '../core/log.ts';
import type { Platform } from '../core/platform.ts';
import { createLogger } from '../log.ts';
import { DEFAULT_DATA_FILE, openStorage, type Storage } from '../store/index.ts';
import { PrivacyService } from './service.ts';
import { personalDataSources } from './sources.ts';

const USAGE = `usage: npm run privacy:forget -- --platform discord|slack|console --workspace ID --user ID [--data PLACE] [--show]
  --platform   where the server is
  --workspace  the Discord server id or Slack workspace (team) id
  --user       the person's user id on that platform
  --data       a data file (DATA_FILE) or a PostgreSQL URL (DATABASE_URL); default: those variables,
               else ${DEFAULT_DATA_FILE}
  --show       print what is stored about the person (the /privacy my-data file) and delete nothing
`;

const PLATFORMS: readonly Platform[] = ['discord', 'slack', 'console'];

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  log: Logger;
  env: Record<string, string | undefined>;
  now?: () => Date;
  /** Opens the storage (tests pass their own). */
  open?: (place: { databaseUrl?: string; file: string }) => Promise<Storage>;
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let values: { platform?: string; workspace?: string; user?: string; data?: string; show?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        platform: { type: 'string' },
        workspace: { type: 'string' },
        user: { type: 'string' },
        data: { type: 'string' },
        show: { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (error) {
    io.err(`privacy:forget: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const platform = values.platform as Platform | undefined;
  if (!platform || !PLATFORMS.includes(platform) || !values.workspace?.trim() || !values.user?.trim()) {
    io.err(
      `privacy:forget: --platform (discord, slack or console), --workspace and --user are required.\n${USAGE}`,
    );
    return 2;
  }
  const ws = { platform, workspaceId: values.workspace.trim() };
  const userId = values.user.trim();
  const data = values.data ?? io.env.DATABASE_URL ?? io.env.DATA_FILE ?? DEFAULT_DATA_FILE;
  const place = /^postgres(ql)?:\/\//i.test(data)
    ? { databaseUrl: data, file: DEFAULT_DATA_FILE }
    : { file: data };
  const open = io.open ?? ((p) => openStorage({ ...p, log: io.log }));
  let storage: Storage | undefined;
  try {
    storage = await open(place);
    const service = new PrivacyService(personalDataSources(storage));
    if (values.show) {
      io.out(
        `${JSON.stringify(await service.myData(ws, userId, (io.now ?? (() => new Date()))()), null, 2)}\n`,
      );
      return 0;
    }
    const { deleted, kept } = await service.forget(ws, userId);
    io.out(
      deleted.length > 0
        ? `Deleted what was stored about user ${userId} in ${platform} ${ws.workspaceId}: ${deleted.join(', ')}.\n`
        : `Nothing was stored about user ${userId} in ${platform} ${ws.workspaceId}; nothing changed.\n`,
    );
    if (kept.length > 0) io.out(`Kept on purpose: ${kept.join('; ')}.\n`);
    return 0;
  } catch (error) {
    io.err(`privacy:forget: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await storage
      ?.close()
      .catch((error: unknown) => io.err(`privacy:forget: closing failed: ${(error as Error).message}\n`));
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2), {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    log: createLogger({ level: process.env.LOG_LEVEL ?? 'warn', pretty: true }),
    env: process.env,
  });
}
