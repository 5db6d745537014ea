import { describe, expect, it } from 'vitest';
import { settings } from '../../commands/settings.ts';
import { buildApp } from '../../src/app.ts';
import { ContentIndex } from '../../src/content/index.ts';
import { isHostBySettings } from '../../src/core/access.ts';
import type { Actor, Invocation, RawOptionValue } from '../../src/core/command.ts';
import { silentLogger } from '../../src/core/log.ts';
import type { Platform } from '../../src/core/platform.ts';
import type { Reply } from '../../src/core/reply.ts';
import { MemoryStore } from '../../src/store/memory.ts';

const NOW = new Date('2026-11-26T12:00:00Z');

/** A router with only `/settings`, an in-memory store and a fixed clock; `buildApp` supplies the services. */
function setup() {
  const store = new MemoryStore();
  const content = new ContentIndex({ topics: [], events: [], facts: [], questions: [], reading: [] });
  const { router } = buildApp({
    content,
    store,
    log: silentLogger,
    now: () => NOW,
    random: () => 0.5,
    commands: [settings],
  });
  return { store, router };
}

function who(platform: Platform, kind: 'admin' | 'host' | 'member' = 'admin', workspaceId = 'W1'): Actor {
  return {
    user: { platform, id: `u-${kind}`, displayName: kind },
    channel: { platform, workspaceId, channelId: 'C1' },
    isAdmin: kind === 'admin',
    isHost: kind !== 'member',
    inServer: true,
  };
}

function text(line: string, actor: Actor): Invocation {
  return { ...actor, command: 'settings', input: { kind: 'text', text: line } };
}

function typed(subcommand: string, values: Record<string, RawOptionValue>, actor: Actor): Invocation {
  return { ...actor, command: 'settings', subcommand, input: { kind: 'values', values } };
}

/** Everything a reply shows, as one string. */
function shown(reply: Reply): string {
  return [
    reply.title,
    reply.text,
    ...(reply.fields ?? []).flatMap((f) => [f.label, f.value]),
    reply.fallbackText,
  ].join('\n');
}

describe('/settings', () => {
  it('is for admins only and changes nothing for others', async () => {
    const { store, router } = setup();
    for (const kind of ['member', 'host'] as const) {
      const reply = await router.handle(text('timezone zone:Europe/Berlin', who('slack', kind)));
      expect(reply.ephemeral).toBe(true);
      expect(reply.text).toMatch(/Only server admins can do that/);
    }
    expect(store.updates).toBe(0);
    expect(store.read().settings).toEqual({});
  });

  it('shows empty settings with how to set each one, privately', async () => {
    const { router } = setup();
    const discord = await router.handle(text('show', who('discord')));
    expect(discord.ephemeral).toBe(true);
    expect(discord.fields?.map((f) => f.label)).toEqual(['Default time zone', 'Host role', 'Hosts by name']);
    expect(shown(discord)).toContain('/settings timezone');
    const slack = await router.handle(text('show', who('slack')));
    expect(slack.fields?.map((f) => f.label)).toEqual(['Default time zone', 'Hosts by name']);
  });

  it('saves a validated time zone for the workspace in its canonical spelling', async () => {
    const { store, router } = setup();
    const reply = await router.handle(text('timezone zone:europe/berlin', who('slack')));
    expect(reply.ephemeral).toBe(true);
    expect(reply.text).toContain('**Europe/Berlin** (it is 13:00 there)');
    expect(store.read().settings['slack:W1']?.timezone).toBe('Europe/Berlin');
    expect(shown(await router.handle(text('show', who('slack'))))).toContain(
      'Europe/Berlin (now 13:00 there)',
    );
  });

  it('refuses an unknown or missing time zone with suggestions, storing nothing', async () => {
    const { store, router } = setup();
    const bad = await router.handle(text('timezone zone:Europe/Berln', who('slack')));
    expect(bad.ephemeral).toBe(true);
    expect(bad.text).toMatch(/not a time zone I know.*Europe\/Berlin/s);
    const missing = await router.handle(text('timezone', who('slack')));
    expect(missing.text).toMatch(/`zone` is required/);
    expect(store.updates).toBe(0);
  });

  it('sets the host role on Discord and shows it by name, never as a mention', async () => {
    const { store, router } = setup();
    const reply = await router.handle(
      typed('host-role', { role: { id: '123456789012345678', label: 'Teachers' } }, who('discord')),
    );
    expect(reply.text).toContain('**Teachers** is now a host');
    const saved = store.read().settings['discord:W1'];
    expect(saved).toMatchObject({ hostRoleId: '123456789012345678', hostRoleName: 'Teachers' });
    expect(isHostBySettings(saved, 'someone', ['123456789012345678'])).toBe(true);
    const show = shown(await router.handle(text('show', who('discord'))));
    expect(show).toContain('Teachers');
    expect(show).not.toMatch(/<@/);
  });

  it('explains politely that host roles are a Discord feature elsewhere', async () => {
    for (const platform of ['slack', 'console'] as const) {
      const { store, router } = setup();
      const reply = await router.handle(text('host-role role:teachers', who(platform)));
      expect(reply.ephemeral).toBe(true);
      expect(reply.title).toBe('Host roles are a Discord feature');
      expect(reply.text).toContain('/settings host-add');
      expect(store.updates).toBe(0);
    }
  });

  it('adds and removes hosts by name on Slack, with plain-text names', async () => {
    const { store, router } = setup();
    const added = await router.handle(text('host-add user:<@U0123ABC|maria>', who('slack')));
    expect(added.text).toContain('**maria** is now a host');
    expect(shown(added)).not.toContain('<@');
    const saved = store.read().settings['slack:W1'];
    expect(saved?.hostUserIds).toEqual(['U0123ABC']);
    expect(saved?.hostNames).toEqual({ U0123ABC: 'maria' });
    expect(isHostBySettings(saved, 'U0123ABC')).toBe(true);

    const again = await router.handle(text('host-add user:<@U0123ABC|maria>', who('slack')));
    expect(again.title).toBe('Already a host');
    expect(store.read().settings['slack:W1']?.hostUserIds).toEqual(['U0123ABC']);
    expect(shown(await router.handle(text('show', who('slack'))))).toContain('maria');

    const removed = await router.handle(text('host-remove user:<@U0123ABC>', who('slack')));
    expect(removed.text).toContain('**maria** is no longer on the host list'); // the stored name, not the id
    expect(store.read().settings['slack:W1']?.hostUserIds).toEqual([]);
    expect(isHostBySettings(store.read().settings['slack:W1'], 'U0123ABC')).toBe(false);

    const absent = await router.handle(text('host-remove user:<@U0123ABC>', who('slack')));
    expect(absent.title).toBe('Not on the host list');
  });

  it('takes a bare name in the terminal and typed users on Discord', async () => {
    const { store, router } = setup();
    await router.handle(text('host-add olga', who('console')));
    expect(store.read().settings['console:W1']?.hostUserIds).toEqual(['olga']);
    await router.handle(
      typed('host-add', { user: { id: '234567890123456789', label: 'Pavel' } }, who('discord')),
    );
    expect(store.read().settings['discord:W1']?.hostNames).toEqual({ '234567890123456789': 'Pavel' });
  });

  it('strips mention markup and formatting from display names', async () => {
    const { store, router } = setup();
    const reply = await router.handle(
      typed(
        'host-add',
        { user: { id: '345678901234567890', label: '@everyone <@&1> **boss**\nline' } },
        who('discord'),
      ),
    );
    expect(reply.text).toContain('**everyone @&1 boss line** is now a host');
    expect(store.read().settings['discord:W1']?.hostNames?.['345678901234567890']).toBe(
      'everyone @&1 boss line',
    );
  });

  it('keeps each workspace apart', async () => {
    const { store, router } = setup();
    await router.handle(text('timezone zone:Asia/Tokyo', who('slack', 'admin', 'W1')));
    await router.handle(text('timezone zone:America/New_York', who('slack', 'admin', 'W2')));
    await router.handle(text('timezone zone:Europe/Moscow', who('discord', 'admin', 'W1')));
    expect(store.read().settings['slack:W1']?.timezone).toBe('Asia/Tokyo');
    expect(store.read().settings['slack:W2']?.timezone).toBe('America/New_York');
    expect(store.read().settings['discord:W1']?.timezone).toBe('Europe/Moscow');
  });

  it('asks for a server channel in a direct message', async () => {
    const { store, router } = setup();
    const reply = await router.handle(
      text('timezone zone:Europe/Berlin', { ...who('discord'), inServer: false }),
    );
    expect(reply.ephemeral).toBe(true);
    expect(reply.text).toMatch(/Settings belong to a server/);
    expect(store.updates).toBe(0);
  });
});
