import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import {
  BOT_EVENTS,
  BOT_SCOPES,
  buildManifest,
  MANIFEST_PATH,
  manifestText,
} from '../../src/adapters/slack/manifest.ts';
import { RESERVED_SLACK_COMMANDS, slackCommandProblems } from '../../src/adapters/slack/reserved.ts';
import type { Command } from '../../src/core/command.ts';

interface Manifest {
  features: {
    slash_commands: { command: string; description: string; usage_hint?: string; should_escape: boolean }[];
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    socket_mode_enabled: boolean;
    interactivity: { is_enabled: boolean };
    event_subscriptions: { bot_events: string[] };
  };
}

describe('reserved Slack command names', () => {
  it('includes the built-ins the issue names', () => {
    for (const name of ['topic', 'remind', 'invite', 'status', 'me', 'shrug', 'who', 'leave', 'join']) {
      expect(RESERVED_SLACK_COMMANDS).toContain(name);
    }
  });

  it('are avoided by the command list', () => {
    expect(slackCommandProblems(commands.map((c) => c.name))).toEqual([]);
  });

  it('are reported with the name, as are malformed and duplicate names', () => {
    expect(slackCommandProblems(['topic', 'Quiz', 'learn', 'learn'])).toEqual([
      '/topic is a built-in Slack command',
      '/Quiz is not a valid Slack command name',
      '/learn is declared twice',
    ]);
  });
});

describe('app manifest', () => {
  it('is committed in sync with the command list (run `npm run slack:manifest`)', () => {
    expect(readFileSync(MANIFEST_PATH, 'utf8')).toBe(manifestText(commands));
  });

  it('declares every command, escaped, with a usage hint from its options', () => {
    const manifest = buildManifest(commands) as unknown as Manifest;
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual(commands.map((c) => `/${c.name}`));
    for (const c of manifest.features.slash_commands) {
      expect(c.should_escape).toBe(true);
      expect(c.description.length).toBeGreaterThan(0);
      expect(c.description.length).toBeLessThanOrEqual(100);
    }
    const learn = manifest.features.slash_commands.find((c) => c.command === '/learn');
    expect(learn?.usage_hint).toContain('topic:');
  });

  it('asks only for the scopes the adapter uses, with Socket Mode and interactivity on', () => {
    const manifest = buildManifest(commands) as unknown as Manifest;
    expect(manifest.oauth_config.scopes.bot).toEqual(BOT_SCOPES);
    // History lets a restarted bot find its marked daily post instead of posting twice.
    expect(manifest.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining(['channels:history', 'groups:history']),
    );
    for (const broad of ['users:read.email', 'im:history', 'mpim:history', 'chat:write.customize', 'admin'])
      expect(manifest.oauth_config.scopes.bot).not.toContain(broad);
    expect(new Set(manifest.oauth_config.scopes.bot).size).toBe(manifest.oauth_config.scopes.bot.length);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(BOT_EVENTS);
    expect(BOT_EVENTS).toEqual(['app_uninstalled', 'tokens_revoked']);
  });

  it('refuses a command list that uses a reserved name', () => {
    const topic: Command = {
      name: 'topic',
      description: 'clashes with Slack',
      run: () => ({ fallbackText: '' }),
    };
    expect(() => buildManifest([...commands, topic])).toThrow(/\/topic is a built-in Slack command/);
  });
});
