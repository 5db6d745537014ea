import { describe, expect, it } from 'vitest';
import { memoryStorage } from '../../src/store/doc/index.ts';
import { emptyDocs, FEATURES, featureSchemas } from '../../src/store/doc/shapes.ts';
import { answerBy, channelOf, sessionFor, subscriptionFor } from './helpers.ts';

const NOW = new Date('2026-11-26T08:00:00Z');
const c1 = channelOf('g1', 'c1');

describe('memoryStorage', () => {
  it('starts from empty feature documents, which the file schemas accept', () => {
    const storage = memoryStorage();
    for (const feature of FEATURES) {
      expect(storage.docs[feature].read()).toEqual(emptyDocs()[feature]);
      expect(featureSchemas[feature].safeParse(storage.docs[feature].read()).success, feature).toBe(true);
    }
    expect(storage.updates).toBe(0);
    expect(storage.describe()).toMatch(/memory/);
  });

  it('starts from a copy of the initial documents it is given', async () => {
    const initial = { daily: { version: 1 as const, subscriptions: {}, deliveries: {} } };
    const storage = memoryStorage(initial);
    initial.daily.subscriptions = { 'discord:g1:c1': subscriptionFor(c1) };
    expect(await storage.daily.subscription(c1)).toBeUndefined();
    await storage.daily.subscribe(subscriptionFor(c1));
    expect(initial.daily.subscriptions).toEqual({ 'discord:g1:c1': subscriptionFor(c1) });
    expect(Object.keys(storage.docs.daily.read().subscriptions)).toEqual(['discord:g1:c1']);
  });

  it('counts updates, refuses asynchronous update functions and keeps documents per feature', async () => {
    const storage = memoryStorage();
    expect(await storage.daily.subscribe(subscriptionFor(c1))).toBe(false);
    expect(await storage.daily.subscribe(subscriptionFor(c1, { time: '09:00' }))).toBe(true);
    expect(storage.updates).toBe(2);
    await expect(storage.docs.games.update(async () => 1)).rejects.toThrow(/synchronous/);
    expect(storage.updates).toBe(2);
    expect(storage.docs.daily.read().subscriptions['discord:g1:c1']?.time).toBe('09:00');
    expect(storage.docs.games.read().sessions).toEqual({});
    expect(storage.docs.settings.read().settings).toEqual({});
  });

  it('hands out copies: changing a record read or given changes nothing stored', async () => {
    const storage = memoryStorage();
    const sub = subscriptionFor(c1);
    await storage.daily.subscribe(sub);
    sub.time = '23:59';
    const read = await storage.daily.subscription(c1);
    if (!read) throw new Error('no subscription');
    read.createdBy.displayName = 'changed';
    expect(await storage.daily.subscription(c1)).toEqual(subscriptionFor(c1));

    await storage.games.create(sessionFor(c1));
    const game = await storage.games.get(c1);
    game?.rounds[0]?.order.push(9);
    if (game?.rounds[0]) game.rounds[0].answers.u9 = answerBy('u9');
    expect(await storage.games.get(c1)).toEqual(sessionFor(c1));
  });

  it('claims a delivery exactly once among concurrent claimers and keeps what a record does not change', async () => {
    const storage = memoryStorage();
    const results = await Promise.all(
      [1, 2, 3].map(() => storage.daily.claimDelivery(c1, '2026-11-26', NOW)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await storage.daily.delivery(c1, '2026-11-26')).toEqual({
      status: 'pending',
      at: NOW.toISOString(),
    });
    await storage.daily.recordDelivery(c1, '2026-11-26', 'sent', NOW, { messageId: 'm1' });
    const later = new Date(NOW.getTime() + 1000);
    await storage.daily.recordDelivery(c1, '2026-11-26', 'failed', later, { note: 'gone' });
    expect(await storage.daily.delivery(c1, '2026-11-26')).toEqual({
      status: 'failed',
      at: later.toISOString(),
      messageId: 'm1',
      note: 'gone',
    });
    expect(await storage.daily.claimDelivery(c1, '2026-11-27', NOW)).toBe(true);
    expect(await storage.daily.claimDelivery(channelOf('g2', 'c1'), '2026-11-26', NOW)).toBe(true);
    expect((await storage.daily.deliveries(c1, 5)).map((d) => d.date)).toEqual(['2026-11-27', '2026-11-26']);
    expect((await storage.daily.pending()).map((p) => `${p.channel.workspaceId}/${p.date}`).sort()).toEqual([
      'g1/2026-11-27',
      'g2/2026-11-26',
    ]);
  });

  it('records one answer per user and round, exactly once among concurrent answers', async () => {
    const storage = memoryStorage();
    expect(await storage.games.create(sessionFor(c1, 'game1', 2))).toBe(true);
    expect(await storage.games.create(sessionFor(c1, 'other'))).toBe(false);
    const first = answerBy('u1', '2026-11-26T08:00:01.000Z', { choice: 0 });
    const second = answerBy('u1', '2026-11-26T08:00:02.000Z', { choice: 3 });
    const both = await Promise.all([
      storage.games.recordAnswer(c1, 'game1', 1, first),
      storage.games.recordAnswer(c1, 'game1', 1, second),
    ]);
    expect(both).toEqual([true, false]);
    expect(await storage.games.recordAnswer(c1, 'game1', 0, second)).toBe(true); // another round
    expect(await storage.games.recordAnswer(c1, 'wrong-game', 1, answerBy('u2'))).toBe(false);
    expect(await storage.games.recordAnswer(c1, 'game1', 5, answerBy('u2'))).toBe(false);
    const game = await storage.games.get(c1);
    expect(game?.rounds[1]?.answers).toEqual({ u1: first });
    expect(game?.updatedAt).toBe('2026-11-26T08:00:02.000Z');

    // Saving a stale copy of the game keeps the answers recorded meanwhile.
    const stale = sessionFor(c1, 'game1', 2);
    stale.current = 1;
    expect(await storage.games.save(stale)).toBe(true);
    expect((await storage.games.get(c1))?.rounds[1]?.answers).toEqual({ u1: first });
    expect((await storage.games.get(c1))?.current).toBe(1);
    expect(await storage.games.remove(c1, 'other')).toBe(false);
    expect(await storage.games.remove(c1, 'game1')).toBe(true);
    expect(await storage.games.save(stale)).toBe(false);
  });

  it('leaves settings unchanged when the change function throws', async () => {
    const storage = memoryStorage();
    const ws = { platform: 'slack' as const, workspaceId: 'T1' };
    expect(await storage.settings.change(ws, (s) => s.hostUserIds.push('U1'))).toBe(1);
    await expect(
      storage.settings.change(ws, (s) => {
        s.hostUserIds = [];
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(await storage.settings.get(ws)).toEqual({ hostUserIds: ['U1'] });
  });
});
