/**
 * `npm run content:disputes -- [--data <file or DATABASE_URL>]`: the Markdown report of open and
 * accepted disputes across servers, for the people who maintain the content. Without --data it
 * reads where the bot keeps its data (DATABASE_URL, else DATA_FILE).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig, loadDotEnv } from '../config.ts';
import { loadContent } from '../content/load.ts';
import { silentLogger } from '../core/log.ts';
import { readDisputes } from '../store/read-disputes.ts';
import { disputesMarkdown } from './markdown-report.ts';

export const USAGE =
  'usage: npm run content:disputes -- [--data <data file or postgres:// URL>] [--content <dir>]';

export async function main(
  argv: string[],
  env: NodeJS.ProcessEnv,
  out: (text: string) => void,
): Promise<number> {
  let args: { data?: string; schema?: string; content?: string; help?: boolean };
  try {
    args = parseArgs({
      args: argv,
      options: {
        data: { type: 'string' },
        schema: { type: 'string' },
        content: { type: 'string' },
        help: { type: 'boolean' },
      },
    }).values;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    out(`${USAGE}\n`);
    return 0;
  }
  const config = loadConfig(env);
  const data = args.data;
  const place = data
    ? /^postgres(ql)?:\/\//i.test(data)
      ? { databaseUrl: data, file: config.DATA_FILE, ...(args.schema ? { schema: args.schema } : {}) }
      : { file: resolve(data) }
    : {
        ...(config.DATABASE_URL ? { databaseUrl: config.DATABASE_URL } : {}),
        file: resolve(config.DATA_FILE),
      };
  const content = loadContent(resolve(args.content ?? config.CONTENT_DIR));
  const reports = await readDisputes(place, ['open', 'accepted'], silentLogger);
  out(disputesMarkdown(reports, content, new Date()));
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  loadDotEnv();
  main(process.argv.slice(2), process.env, (text) => process.stdout.write(text)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        `content:disputes failed: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exitCode = 1;
    },
  );
}
