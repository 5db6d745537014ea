import { afterEach, describe, expect, it } from 'vitest';
import type { Platform } from '../../src/core/platform.ts';
import { eventCallback, send, signedEvent } from '../fakes/slack/signed.ts';
import { type Harness, SECRET, startHarness } from './harness.ts';

type Removed = { platform: Platform; workspaceId: string };

let h: Harness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Resolves once the hook has been called `count` times, or fails after a while. */
function waitForCalls(list: Removed[], count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const check = () => {
      if (list.length >= count) resolve();
      else if (Date.now() - started > 5_000) reject(new Error('workspaceRemoved was not called'));
      else setTimeout(check, 2);
    };
    check();
  });
}

describe('workspace lifecycle events', () => {
  it('reports an uninstall and a revoked bot token over signed HTTP events', async () => {
    const removed: Removed[] = [];
    h = await startHarness('http', { workspaceRemoved: (ref) => removed.push(ref) });
    expect(h.adapter.ready?.()).toBe(true);

    const uninstall = await send(
      h.url,
      signedEvent(SECRET, eventCallback({ type: 'app_uninstalled' }, 'T0GONE')),
    );
    expect(uninstall.status).toBe(200);
    await waitForCalls(removed, 1);
    expect(removed).toEqual([{ platform: 'slack', workspaceId: 'T0GONE' }]);

    // Only user tokens revoked: the bot keeps working there.
    const users = await send(
      h.url,
      signedEvent(SECRET, eventCallback({ type: 'tokens_revoked', tokens: { oauth: ['U0MARIA'], bot: [] } })),
    );
    expect(users.status).toBe(200);
    const bot = await send(
      h.url,
      signedEvent(
        SECRET,
        eventCallback({ type: 'tokens_revoked', tokens: { oauth: [], bot: ['U0BOT'] } }, 'T0REVOKED'),
      ),
    );
    expect(bot.status).toBe(200);
    await waitForCalls(removed, 2);
    expect(removed).toEqual([
      { platform: 'slack', workspaceId: 'T0GONE' },
      { platform: 'slack', workspaceId: 'T0REVOKED' },
    ]);
  });

  it('ignores an unsigned or wrongly signed uninstall', async () => {
    const removed: Removed[] = [];
    h = await startHarness('http', { workspaceRemoved: (ref) => removed.push(ref) });
    const forged = await send(
      h.url,
      signedEvent('not-the-secret', eventCallback({ type: 'app_uninstalled' }, 'T0VICTIM')),
    );
    expect(forged.status).toBe(401);
    // A genuine event after it is handled, so the forged one had its chance and was dropped.
    await send(h.url, signedEvent(SECRET, eventCallback({ type: 'app_uninstalled' }, 'T0REAL')));
    await waitForCalls(removed, 1);
    expect(removed).toEqual([{ platform: 'slack', workspaceId: 'T0REAL' }]);
  });

  it('reports an uninstall arriving over Socket Mode', async () => {
    const removed: Removed[] = [];
    h = await startHarness('socket', { workspaceRemoved: (ref) => removed.push(ref) });
    await h.fake.waitForSocket();
    const ack = await h.fake.sendEnvelope('events_api', eventCallback({ type: 'app_uninstalled' }, 'T0SOCK'));
    expect(ack.envelope_id).toBeTruthy();
    await waitForCalls(removed, 1);
    expect(removed).toEqual([{ platform: 'slack', workspaceId: 'T0SOCK' }]);
  });
});
