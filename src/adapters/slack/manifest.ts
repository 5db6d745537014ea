import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { commands as allCommands } from '../../../commands/index.ts';
import type { Command } from '../../core/command.ts';
import { usage } from '../../core/options.ts';
import { truncate } from '../../core/reply.ts';
import { slackCommandProblems } from './reserved.ts';
import { slackWords } from './words.ts';

/**
 * The Slack app manifest, generated from the command list so a workspace admin creates the app in
 * one step (`npm run slack:manifest` writes slack/manifest.json; `-- --check` only compares).
 */

export const MANIFEST_PATH = fileURLToPath(new URL('../../../slack/manifest.json', import.meta.url));

/**
 * Only what the bot uses: slash commands, posting (also into public channels it has not joined,
 * for daily posts), users.info for owner/admin status and names, conversations.info to check
 * that it can post into a channel before setting posts up there, and conversations.history
 * (public and private channels) to find its own marked daily post after a restart; files:write to
 * upload charts and exports, im:write to open a direct message (reminders, private files).
 */
export const BOT_SCOPES = [
  'commands',
  'chat:write',
  'chat:write.public',
  'users:read',
  'channels:read',
  'groups:read',
  'channels:history',
  'groups:history',
  'files:write',
  'im:write',
];

/** Events the bot listens to; neither needs a scope. */
export const BOT_EVENTS = ['app_uninstalled', 'tokens_revoked'];

export function buildManifest(commands: readonly Command[]): Record<string, unknown> {
  const problems = slackCommandProblems(commands.map((c) => c.name));
  if (problems.length) throw new Error(`The command list does not fit Slack:\n- ${problems.join('\n- ')}`);
  return {
    _metadata: { major_version: 1, minor_version: 1 },
    display_information: {
      name: 'thawbot',
      description: 'Learn the Soviet Thaw (1953-1964): topics, facts, quizzes and daily posts.',
      long_description:
        'thawbot teaches the Khrushchev Thaw in your workspace: short sourced summaries, fun facts, ' +
        'quizzes and "on this day" posts for study groups and school clubs. Every answer names its ' +
        'sources. Type /help to see every command.',
      background_color: '#2c3e50',
    },
    features: {
      bot_user: { display_name: 'thawbot', always_online: true },
      slash_commands: commands.map((c) => {
        const hint = usage(c).replace(/^\/\S+\s*/, '');
        return {
          command: `/${c.name}`,
          description: truncate(slackWords(c.description), 100),
          ...(hint ? { usage_hint: truncate(hint, 100) } : {}),
          // User and user-group options arrive as <@U...|name> and <!subteam^S...|@name>.
          should_escape: true,
        };
      }),
    },
    oauth_config: { scopes: { bot: BOT_SCOPES } },
    settings: {
      event_subscriptions: { bot_events: BOT_EVENTS },
      interactivity: { is_enabled: true },
      org_deploy_enabled: false,
      socket_mode_enabled: true,
      token_rotation_enabled: false,
    },
  };
}

/** JSON laid out the way the formatter lays it out: objects expanded, short scalar arrays on one line. */
export function formatJson(value: unknown, indent = 0, width = 110, prefix = 0): string {
  const pad = ' '.repeat(indent);
  const inner = ' '.repeat(indent + 2);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((v) => v === null || typeof v !== 'object')) {
      const line = `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
      // The line also carries the key before the value and a comma after it.
      if (indent + prefix + line.length + 1 <= width) return line;
    }
    return `[\n${value.map((v) => inner + formatJson(v, indent + 2, width)).join(',\n')}\n${pad}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    const body = entries.map(([k, v]) => {
      const key = `${JSON.stringify(k)}: `;
      return `${inner}${key}${formatJson(v, indent + 2, width, key.length)}`;
    });
    return `{\n${body.join(',\n')}\n${pad}}`;
  }
  return JSON.stringify(value);
}

export function manifestText(commands: readonly Command[] = allCommands): string {
  return `${formatJson(buildManifest(commands))}\n`;
}

function main(args: string[]): number {
  const text = manifestText();
  if (args.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(MANIFEST_PATH, 'utf8');
    } catch {}
    if (current === text) return 0;
    console.error('slack/manifest.json is out of date: run `npm run slack:manifest`.');
    return 1;
  }
  writeFileSync(MANIFEST_PATH, text);
  console.log(`wrote ${MANIFEST_PATH}`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}
