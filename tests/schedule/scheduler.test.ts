import { describe, expect, it } from 'vitest';
import { memoryStorage } from '../../src/store/doc/index.ts';
import { RecordingPoster } from '../helpers/poster.ts';
import { Clock, scheduler, sub, subscribe, today } from './daily-fixtures.ts';

describe('daily scheduler', () => {
  it('marks each post so it can be found again', async () => {
    const store = memoryStorage();
    await subscribe(store, sub('a', '08:00', 'UTC'));
    const clock = new Clock(Date.parse('2026-02-25T08:00:00Z'));
    const poster = new RecordingPoster();
    await scheduler(store, clock, poster).tick();
    expect(poster.posts).toHaveLength(1);
    expect(poster.posts[0]?.marker).toMatch(/^d[\w-]{20}$/);
    expect(poster.posts[0]?.reply.title).toBe('On this day: 25 February');
    expect(store.docs.daily.read().deliveries['discord:g:a']?.['2026-02-25']).toMatchObject({
      status: 'sent',
      messageId: 'm1',
    });
  });

  it('catches up a missed post inside the window and skips one outside it', async () => {
    const store = memoryStorage();
    await subscribe(store, sub('a', '08:00', 'UTC', today), sub('b', '01:00', 'UTC', today));
    const clock = new Clock(Date.parse('2026-03-05T13:00:00Z')); // down from before 01:00 until 13:00
    const poster = new RecordingPoster();
    const report = await scheduler(store, clock, poster).tick();
    expect(report).toEqual({ sent: 1, paused: 0, failed: 0, skipped: 1 });
    expect(poster.posts.map((p) => p.channel.channelId)).toEqual(['a']);
    expect(store.docs.daily.read().deliveries['discord:g:b']?.['2026-03-05']?.status).toBe('skipped');
    expect(await scheduler(store, clock, poster).tick()).toEqual({
      sent: 0,
      paused: 0,
      failed: 0,
      skipped: 0,
    });
  });

  it('never double-posts after a restart right after sending', async () => {
    const store = memoryStorage();
    await subscribe(store, sub('a', '08:00', 'UTC'));
    const clock = new Clock(Date.parse('2026-03-05T08:00:00Z'));
    const poster = new RecordingPoster();
    await scheduler(store, clock, poster).tick();
    clock.t += 60_000;
    const again = scheduler(store, clock, poster);
    await again.recover();
    await again.tick();
    expect(poster.posts).toHaveLength(1);
  });

  it('resolves a delivery left pending: found means sent, absent means send now', async () => {
    const store = memoryStorage();
    await subscribe(store, sub('a', '08:00', 'UTC'), sub('b', '08:00', 'UTC'));
    const clock = new Clock(Date.parse('2026-03-05T08:00:00Z'));
    const poster = new RecordingPoster();
    poster.crashAfterPost = true; // both go out, but the process "dies" before recording "sent"
    await scheduler(store, clock, poster)
      .tick()
      .catch(() => undefined);
    poster.crashAfterPost = false;
    // A post that went out although its answer was lost is found by its marker, not sent again.
    expect(store.docs.daily.read().deliveries['discord:g:a']?.['2026-03-05']?.status).toBe('sent');
    expect(poster.posts).toHaveLength(2);
    // Simulate the crash precisely: "pending" stays on disk for a; b never got out.
    await store.docs.daily.update((d) => {
      d.deliveries['discord:g:a'] = { '2026-03-05': { status: 'pending', at: '2026-03-05T08:00:00Z' } };
      d.deliveries['discord:g:b'] = { '2026-03-05': { status: 'pending', at: '2026-03-05T08:00:00Z' } };
    });
    poster.posts.splice(1); // b's message never reached the channel
    clock.t += 120_000;
    const restarted = scheduler(store, clock, poster);
    expect(await restarted.recover()).toBe(2);
    expect(poster.posts.map((p) => p.channel.channelId)).toEqual(['a', 'b']);
    expect(store.docs.daily.read().deliveries['discord:g:a']?.['2026-03-05']).toMatchObject({
      status: 'sent',
      messageId: 'm1',
    });
    expect(store.docs.daily.read().deliveries['discord:g:b']?.['2026-03-05']?.status).toBe('sent');
    await restarted.tick();
    expect(poster.posts).toHaveLength(2);
  });

  it('leaves a delivery pending when the look-up fails, and looks again at the next tick', async () => {
    const store = memoryStorage();
    await subscribe(store, sub('a', '08:00', 'UTC', today));
    await store.docs.daily.update((d) => {
      d.deliveries['discord:g:a'] = { '2026-03-05': { status: 'pending', at: '2026-03-05T08:00:00Z' } };
    });
    const poster = new RecordingPoster();
    const realFind = poster.findPost.bind(poster);
    let lookups = 0;
    poster.findPost = async (channel, marker) => {
      lookups++;
      if (lookups === 1) throw new Error('history unavailable');
      return realFind(channel, marker);
    };
    const clock = new Clock(Date.parse('2026-03-05T08:05:00Z'));
    const s = scheduler(store, clock, poster);
    await s.recover();
    expect(store.docs.daily.read().deliveries['discord:g:a']?.['2026-03-05']?.status).toBe('pending');
    expect(poster.posts).toHaveLength(0);
    clock.t += 60_000;
    await s.tick();
    expect(lookups).toBe(2);
    expect(poster.posts).toHaveLength(1);
    expect(store.docs.daily.read().deliveries['discord:g:a']?.['2026-03-05']?.status).toBe('sent');
  });

  it('skips a pending delivery found absent after the catch-up window', async () => {
    const store = memoryStorage();
    await subscribe(store, sub('a', '08:00', 'UTC'));
    await store.docs.daily.update((d) => {
      d.deliveries['discord:g:a'] = { '2026-03-05': { status: 'pending', at: '2026-03-05T08:00:00Z' } };
    });
    const poster = new RecordingPoster();
    await scheduler(store, new Clock(Date.parse('2026-03-05T15:00:00Z')), poster).recover();
    expect(poster.posts).toHaveLength(0);
    expect(store.docs.daily.read().deliveries['discord:g:a']?.['2026-03-05']?.status).toBe('skipped');
  });

  it('pauses one subscription on a lost channel or permission and keeps the others going', async () => {
    const store = memoryStorage();
    await subscribe(
      store,
      sub('a', '08:00', 'UTC', today),
      sub('b', '08:00', 'UTC', today),
      sub('c', '08:00', 'UTC', today),
    );
    const clock = new Clock(Date.parse('2026-03-05T08:00:00Z'));
    const poster = new RecordingPoster();
    poster.failuresFor.a = ['gone'];
    poster.failuresFor.b = ['transient'];
    poster.failuresFor.c = ['forbidden'];
    const s = scheduler(store, clock, poster, undefined, 1);
    const report = await s.tick();
    expect(report).toEqual({ sent: 1, paused: 2, failed: 0, skipped: 0 });
    const subs = store.docs.daily.read().subscriptions;
    expect(subs['discord:g:a']?.paused?.reason).toBe(
      'the channel no longer exists or the bot was removed from it',
    );
    expect(subs['discord:g:b']?.paused).toBeUndefined();
    expect(subs['discord:g:c']?.paused?.reason).toBe('the bot lost permission to post in this channel');
    clock.t += 86_400_000;
    expect((await s.tick()).sent).toBe(1);
  });

  it('gives up after retries and tries again on the next tick', async () => {
    const store = memoryStorage();
    await subscribe(store, sub('a', '08:00', 'UTC'));
    const clock = new Clock(Date.parse('2026-03-05T08:00:00Z'));
    const poster = new RecordingPoster();
    poster.failures.push('transient', 'transient', 'transient', 'transient');
    const s = scheduler(store, clock, poster);
    expect((await s.tick()).failed).toBe(1);
    clock.t += 60_000;
    expect((await s.tick()).sent).toBe(1);
  });

  it('does not post for days before the subscription existed', async () => {
    const store = memoryStorage();
    await subscribe(store, sub('a', '08:00', 'UTC', { createdAt: '2026-03-05T09:00:00Z' }));
    const poster = new RecordingPoster();
    await scheduler(store, new Clock(Date.parse('2026-03-05T09:30:00Z')), poster).tick();
    expect(poster.posts).toHaveLength(0);
  });
});
