/** /review remind and /review remind-off through the router (attached to a /review command here). */
import { describe, expect, it } from 'vitest';
import { remindSubcommands } from '../../commands/review-remind.ts';
import type { Actor, Command } from '../../src/core/command.ts';
import type { Poster } from '../../src/core/platform.ts';
import { memoryStorage } from '../../src/store/doc/index.ts';
import type { WorkspaceRef } from '../../src/store/ports.ts';
import { testApp, textInvocation } from '../helpers/deps.ts';

const review: Command = { name: 'review', description: 'Review', subcommands: remindSubcommands };
const WS: WorkspaceRef = { platform: 'discord', workspaceId: 'g1' };
const me: Actor = {
  user: { platform: 'discord', id: 'u1', displayName: 'Mia' },
  channel: { platform: 'discord', workspaceId: 'g1', channelId: 'c1' },
  isAdmin: false,
  isHost: false,
  inServer: true,
};
const dmPoster: Poster = {
  post: async () => {
    throw new Error('not used');
  },
  edit: async () => {},
  dm: async (user) => ({
    channel: { platform: 'discord', workspaceId: 'dm', channelId: user.id },
    messageId: '1',
  }),
};

function setup(now = '2026-03-10T06:00:00Z') {
  const storage = memoryStorage();
  const app = testApp({ storage, commands: [review], now: () => new Date(now) });
  app.deps.posters.register('discord', dmPoster);
  return { storage, run: (line: string, who: Actor = me) => app.router.handle(textInvocation(line, who)) };
}

describe('/review remind', () => {
  it('stores the time and zone, and says when the first can come', async () => {
    const { storage, run } = setup();
    const out = await run('/review remind time:8am timezone:europe/berlin');
    expect(out.ephemeral).toBe(true);
    expect(out.text).toContain('at 08:00 Europe/Berlin on days when you have cards to review');
    expect(out.text).toContain('The first can come today at 08:00 (Europe/Berlin).');
    expect((await storage.study.profile(WS, 'u1'))?.reminder).toEqual({
      time: '08:00',
      timezone: 'Europe/Berlin',
    });
    // Not claimed: today's reminder can still come.
    expect(await storage.study.claimReminder(WS, 'u1', '2026-03-10', new Date())).toBe(true);
  });

  it('starts tomorrow when the time has passed today, and takes the server zone by default', async () => {
    const { storage, run } = setup('2026-03-10T09:00:00Z');
    await storage.settings.change(WS, (s) => {
      s.timezone = 'Europe/Berlin';
    });
    const out = await run('/review remind 07:30');
    expect(out.text).toContain('The first can come tomorrow at 07:30 (Europe/Berlin).');
    expect(await storage.study.claimReminder(WS, 'u1', '2026-03-10', new Date())).toBe(false);
  });

  it('turns a paused reminder back on', async () => {
    const { storage, run } = setup();
    await storage.study.changeProfile(WS, 'u1', (p) => {
      p.reminder = {
        time: '08:00',
        timezone: 'UTC',
        paused: { reason: 'closed', at: '2026-03-09T08:00:00Z' },
      };
    });
    await run('/review remind time:09:15 timezone:UTC');
    expect((await storage.study.profile(WS, 'u1'))?.reminder).toEqual({ time: '09:15', timezone: 'UTC' });
  });

  it('answers bad input politely and stores nothing', async () => {
    const { storage, run } = setup();
    const time = await run('/review remind time:25:00 timezone:UTC');
    expect(time.ephemeral).toBe(true);
    expect(time.text).toContain('"25:00" is not a time of day (hours go up to 23)');
    const zone = await run('/review remind time:08:00 timezone:Europe/Berln');
    expect(zone.text).toContain(
      '"Europe/Berln" is not a time zone I know; perhaps you meant `Europe/Berlin`',
    );
    const noZone = await run('/review remind time:08:00');
    expect(noZone.text).toContain('Which time zone?');
    const dm = await run('/review remind time:08:00 timezone:UTC', { ...me, inServer: false });
    expect(dm.text).toContain('set reminders there');
    expect(await storage.study.profile(WS, 'u1')).toBeUndefined();
  });

  it('remind-off removes the reminder, and says so when there was none', async () => {
    const { storage, run } = setup();
    expect((await run('/review remind-off')).text).toContain('You had no review reminders.');
    expect(await storage.study.profile(WS, 'u1')).toBeUndefined();
    await run('/review remind time:08:00 timezone:UTC');
    const off = await run('/review remind-off');
    expect(off.ephemeral).toBe(true);
    expect(off.text).toContain('Review reminders are off.');
    expect((await storage.study.profile(WS, 'u1'))?.reminder).toBeUndefined();
  });
});
