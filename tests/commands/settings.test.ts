import { describe, expect, it } from 'vitest';
import { settings } from '../../commands/settings.ts';
import { buildApp } from '../../src/app.ts';
import { ContentIndex } from '../../src/content/index.ts';
import type { ActionEvent, Actor, Invocation, RawOptionValue } from '../../src/core/command.ts';
import { silentLogger } from '../../src/core/log.ts';
import type { Platform } from '../../src/core/platform.ts';
import type { Reply } from '../../src/core/reply.ts';
import { isHostBySettings } from '../../src/hosts.ts';
import { type DocStorage, memoryStorage } from '../../src/store/doc/index.ts';

const NOW = new Date('2026-11-26T12:00:00Z');

/** A router with only `/settings`, an in-memory store and a fixed clock; `buildApp` supplies the services. */
function setup(clock: { now: Date } = { now: NOW }) {
  const store = memoryStorage();
  const content = new ContentIndex({ topics: [], events: [], facts: [], questions: [], reading: [] });
  const { router } = buildApp({
    content,
    storage: store,
    log: silentLogger,
    now: () => clock.now,
    random: () => 0.5,
    commands: [settings],
  });
  return { storage: store, router };
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
    const { storage: store, router } = setup();
    for (const kind of ['member', 'host'] as const) {
      const reply = await router.handle(text('timezone timezone:Europe/Berlin', who('slack', kind)));
      expect(reply.ephemeral).toBe(true);
      expect(reply.text).toMatch(/Only server admins can do that/);
    }
    expect(store.updates).toBe(0);
    expect(store.docs.settings.read().settings).toEqual({});
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
    const { storage: store, router } = setup();
    const reply = await router.handle(text('timezone timezone:europe/berlin', who('slack')));
    expect(reply.ephemeral).toBe(true);
    expect(reply.text).toContain('**Europe/Berlin** (it is 13:00 there)');
    expect(store.docs.settings.read().settings['slack:W1']?.timezone).toBe('Europe/Berlin');
    expect(shown(await router.handle(text('show', who('slack'))))).toContain(
      'Europe/Berlin (now 13:00 there)',
    );
  });

  it('refuses an unknown or missing time zone with suggestions, storing nothing', async () => {
    const { storage: store, router } = setup();
    const bad = await router.handle(text('timezone timezone:Europe/Berln', who('slack')));
    expect(bad.ephemeral).toBe(true);
    expect(bad.text).toMatch(/not a time zone I know.*Europe\/Berlin/s);
    const missing = await router.handle(text('timezone', who('slack')));
    expect(missing.text).toMatch(/`timezone` is required/);
    expect(store.updates).toBe(0);
  });

  it('takes timezone: like /daily and /quiz schedule, and still the old zone:', async () => {
    const { storage: store, router } = setup();
    const old = await router.handle(text('timezone zone:Asia/Tokyo', who('slack')));
    expect(old.text).toContain('**Asia/Tokyo**');
    expect(store.docs.settings.read().settings['slack:W1']?.timezone).toBe('Asia/Tokyo');
    const bare = await router.handle(text('timezone Europe/Dublin', who('slack')));
    expect(bare.text).toContain('**Europe/Dublin**');
  });

  it('ends a refused time zone with one full stop and shows an example usage', async () => {
    const { router } = setup();
    const near = await router.handle(text('timezone timezone:Europe/Dubln', who('slack')));
    expect(near.text).toBe(
      '`timezone`: "Europe/Dubln" is not a time zone I know; perhaps you meant `Europe/Dublin`, `Europe/Berlin` or `Europe/Lisbon`.\n\nUsage: `/settings timezone timezone:Europe/Berlin`',
    );
    const none = await router.handle(text('timezone timezone:Foo', who('slack')));
    expect(none.text).toMatch(/; use an IANA name such as Europe\/Berlin or America\/New_York\.\n/);
  });

  it('sets the host role on Discord and shows it by name, never as a mention', async () => {
    const { storage: store, router } = setup();
    const reply = await router.handle(
      typed('host-role', { role: { id: '123456789012345678', label: 'Teachers' } }, who('discord')),
    );
    expect(reply.text).toContain('**Teachers** is now a host');
    const saved = store.docs.settings.read().settings['discord:W1'];
    expect(saved).toMatchObject({ hostRoleId: '123456789012345678', hostRoleName: 'Teachers' });
    expect(isHostBySettings(saved, 'someone', ['123456789012345678'])).toBe(true);
    const show = shown(await router.handle(text('show', who('discord'))));
    expect(show).toContain('Teachers');
    expect(show).not.toMatch(/<@/);
  });

  it('explains politely that host roles are a Discord feature elsewhere', async () => {
    for (const platform of ['slack', 'console'] as const) {
      const { storage: store, router } = setup();
      const reply = await router.handle(text('host-role role:teachers', who(platform)));
      expect(reply.ephemeral).toBe(true);
      expect(reply.title).toBe('Host roles are a Discord feature');
      expect(reply.text).toContain('/settings host-add');
      expect(store.updates).toBe(0);
    }
  });

  it('adds and removes hosts by name on Slack, with plain-text names', async () => {
    const { storage: store, router } = setup();
    const added = await router.handle(text('host-add user:<@U0123ABC|maria>', who('slack')));
    expect(added.text).toContain('**maria** is now a host');
    expect(shown(added)).not.toContain('<@');
    const saved = store.docs.settings.read().settings['slack:W1'];
    expect(saved?.hostUserIds).toEqual(['U0123ABC']);
    expect(saved?.hostNames).toEqual({ U0123ABC: 'maria' });
    expect(isHostBySettings(saved, 'U0123ABC')).toBe(true);

    const again = await router.handle(text('host-add user:<@U0123ABC|maria>', who('slack')));
    expect(again.title).toBe('Already a host');
    expect(store.docs.settings.read().settings['slack:W1']?.hostUserIds).toEqual(['U0123ABC']);
    expect(shown(await router.handle(text('show', who('slack'))))).toContain('maria');

    const removed = await router.handle(text('host-remove user:<@U0123ABC>', who('slack')));
    expect(removed.text).toContain('**maria** is no longer on the host list'); // the stored name, not the id
    expect(store.docs.settings.read().settings['slack:W1']?.hostUserIds).toEqual([]);
    expect(isHostBySettings(store.docs.settings.read().settings['slack:W1'], 'U0123ABC')).toBe(false);

    const absent = await router.handle(text('host-remove user:<@U0123ABC>', who('slack')));
    expect(absent.title).toBe('Not on the host list');
  });

  it('takes a bare name in the terminal and typed users on Discord', async () => {
    const { storage: store, router } = setup();
    await router.handle(text('host-add olga', who('console')));
    expect(store.docs.settings.read().settings['console:W1']?.hostUserIds).toEqual(['olga']);
    await router.handle(
      typed('host-add', { user: { id: '234567890123456789', label: 'Pavel' } }, who('discord')),
    );
    expect(store.docs.settings.read().settings['discord:W1']?.hostNames).toEqual({
      '234567890123456789': 'Pavel',
    });
  });

  it('strips mention markup and formatting from display names', async () => {
    const { storage: store, router } = setup();
    const reply = await router.handle(
      typed(
        'host-add',
        { user: { id: '345678901234567890', label: '@everyone <@&1> **boss**\nline' } },
        who('discord'),
      ),
    );
    expect(reply.text).toContain('**everyone @&1 boss line** is now a host');
    expect(store.docs.settings.read().settings['discord:W1']?.hostNames?.['345678901234567890']).toBe(
      'everyone @&1 boss line',
    );
  });

  it('keeps each workspace apart', async () => {
    const { storage: store, router } = setup();
    await router.handle(text('timezone timezone:Asia/Tokyo', who('slack', 'admin', 'W1')));
    await router.handle(text('timezone timezone:America/New_York', who('slack', 'admin', 'W2')));
    await router.handle(text('timezone timezone:Europe/Moscow', who('discord', 'admin', 'W1')));
    expect(store.docs.settings.read().settings['slack:W1']?.timezone).toBe('Asia/Tokyo');
    expect(store.docs.settings.read().settings['slack:W2']?.timezone).toBe('America/New_York');
    expect(store.docs.settings.read().settings['discord:W1']?.timezone).toBe('Europe/Moscow');
  });

  it('asks for a server channel in a direct message', async () => {
    const { storage: store, router } = setup();
    const reply = await router.handle(
      text('timezone timezone:Europe/Berlin', { ...who('discord'), inServer: false }),
    );
    expect(reply.ephemeral).toBe(true);
    expect(reply.text).toMatch(/Settings belong to a server/);
    expect(store.updates).toBe(0);
  });
});

describe('/settings forget-server', () => {
  /** Settings, a subscription, a leaderboard and a study record in a workspace. */
  async function fill(store: DocStorage, platform: Platform, workspaceId: string) {
    const ws = `${platform}:${workspaceId}`;
    const iso = NOW.toISOString();
    await store.docs.settings.update((data) => {
      data.settings[ws] = { hostUserIds: ['u-host'], timezone: 'Europe/Berlin' };
    });
    await store.docs.daily.update((data) => {
      data.subscriptions[`${ws}:C1`] = {
        channel: { platform, workspaceId, channelId: 'C1' },
        time: '08:00',
        timezone: 'Europe/Berlin',
        days: 'every',
        createdAt: iso,
        createdBy: { id: 'u-admin', displayName: 'admin' },
      };
    });
    await store.docs.results.update((data) => {
      data.scores[`${ws}:all`] = { platform, workspaceId, period: 'all', users: {} };
      data.study[`${ws}:u1`] = {
        platform,
        workspaceId,
        userId: 'u1',
        displayName: 'Ana',
        games: 0,
        practiceGames: 0,
        topics: {},
        history: [],
        updatedAt: iso,
      };
      data.study[`${ws}:u2`] = { ...data.study[`${ws}:u1`], userId: 'u2' } as (typeof data.study)[string];
    });
  }

  function press(actionId: string, actor: Actor): ActionEvent {
    return { ...actor, actionId };
  }

  async function confirmation(router: ReturnType<typeof setup>['router'], actor: Actor) {
    const reply = await router.handle(text('forget-server', actor));
    const button = reply.actions?.[0];
    if (!button) throw new Error(`no confirmation button in ${shown(reply)}`);
    return { reply, button };
  }

  it('asks first, listing what would go, and deletes nothing until the button is pressed', async () => {
    const { storage: store, router } = setup();
    await fill(store, 'discord', 'W1');
    const before = structuredClone(store.snapshot());
    const { reply, button } = await confirmation(router, who('discord'));
    expect(reply.ephemeral).toBe(true);
    expect(reply.title).toBe("Delete this server's data?");
    expect(reply.text).toContain(
      'server: the server settings, 1 daily-post subscription, 1 leaderboard, 2 study records',
    );
    expect(button).toMatchObject({ label: 'Delete everything', style: 'danger' });
    expect(button.id).toMatch(/^forget:W1:[0-9a-z]+$/);
    expect(button.id.length).toBeLessThanOrEqual(100);
    expect(store.snapshot()).toEqual(before);
  });

  it("deletes the server's data when its admin confirms, leaving other servers untouched", async () => {
    const { storage: store, router } = setup();
    await fill(store, 'discord', 'W1');
    await fill(store, 'discord', 'W2');
    await fill(store, 'slack', 'W1');
    const { button } = await confirmation(router, who('discord'));

    const result = await router.handleAction(press(button.id, who('discord')));

    expect(result.mode).toBe('replace');
    expect(result.reply.ephemeral).toBe(true);
    expect(result.reply.title).toBe('Server data deleted');
    expect(result.reply.text).toContain(
      'Deleted the server settings, 1 daily-post subscription, 1 leaderboard, 2 study records',
    );
    const data = store.snapshot();
    expect(Object.keys(data.settings.settings).sort()).toEqual(['discord:W2', 'slack:W1']);
    expect(Object.keys(data.daily.subscriptions).sort()).toEqual(['discord:W2:C1', 'slack:W1:C1']);
    expect(Object.keys(data.results.scores).sort()).toEqual(['discord:W2:all', 'slack:W1:all']);
    expect(Object.keys(data.results.study).sort()).toEqual([
      'discord:W2:u1',
      'discord:W2:u2',
      'slack:W1:u1',
      'slack:W1:u2',
    ]);
    // The command now sees an empty server.
    expect((await confirmation(router, who('discord'))).reply.text).toContain('nothing stored yet');
  });

  it('refuses the button for a non-admin, another server, or a stale confirmation', async () => {
    const clock = { now: NOW };
    const { storage: store, router } = setup(clock);
    await fill(store, 'slack', 'W1');
    await fill(store, 'slack', 'W2');
    const { button } = await confirmation(router, who('slack'));
    const before = structuredClone(store.snapshot());

    for (const kind of ['host', 'member'] as const) {
      const denied = await router.handleAction(press(button.id, who('slack', kind)));
      expect(denied.reply.ephemeral).toBe(true);
      expect(denied.reply.text).toMatch(/Only server admins can delete server data.*Nothing was deleted/);
    }
    const elsewhere = await router.handleAction(press(button.id, who('slack', 'admin', 'W2')));
    expect(elsewhere.reply.text).toMatch(/belongs to another server/);
    const forged = await router.handleAction(press('forget:W1:zzzz', who('slack')));
    expect(forged.reply.text).toMatch(/expired/);
    clock.now = new Date(NOW.getTime() + 16 * 60_000);
    const late = await router.handleAction(press(button.id, who('slack')));
    expect(late.reply.text).toMatch(/expired.*\/settings forget-server/);
    expect(store.snapshot()).toEqual(before);

    // A fresh confirmation still works.
    const fresh = await confirmation(router, who('slack'));
    await router.handleAction(press(fresh.button.id, who('slack')));
    expect(Object.keys(store.docs.settings.read().settings)).toEqual(['slack:W2']);
  });

  it('is for admins only and needs a server', async () => {
    const { storage: store, router } = setup();
    await fill(store, 'discord', 'W1');
    const updates = store.updates;
    const member = await router.handle(text('forget-server', who('discord', 'host')));
    expect(member.text).toMatch(/Only server admins can do that/);
    expect(member.actions).toBeUndefined();
    const dm = await router.handle(text('forget-server', { ...who('discord'), inServer: false }));
    expect(dm.text).toMatch(/Settings belong to a server/);
    expect(store.updates).toBe(updates);
  });
});
