import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/log.ts';
import { HealthMonitor, LoopMonitor, StoreProbe } from '../../src/health/monitor.ts';
import { type HealthServer, serveHealth } from '../../src/health/server.ts';
import { memoryStorage } from '../../src/store/doc/index.ts';
import { openFileStorage } from '../../src/store/open.ts';
import type { Storage } from '../../src/store/ports.ts';

const NOW = new Date('2026-11-26T12:00:00Z');

const servers: HealthServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

/** A monitor over fake parts: adapters whose connection the test flips, a clock, a scheduler tick. */
async function setup(storage: Pick<Storage, 'probe'> = memoryStorage()) {
  const daily = { lastTick: new Date(NOW.getTime() - 30_000) as Date | undefined };
  const discord = {
    platform: 'discord' as const,
    mode: 'gateway',
    connected: true,
    ready: () => discord.connected,
  };
  const slack = {
    platform: 'slack' as const,
    mode: 'socket mode',
    connected: true,
    ready: () => slack.connected,
  };
  const monitor = new HealthMonitor({ storage, clock: daily, now: () => NOW, loop: { lagMs: () => 3 } });
  const server = await serveHealth(monitor, { host: '127.0.0.1', port: 0, log: silentLogger });
  servers.push(server);
  const get = async (path: string, init?: RequestInit) => {
    const res = await fetch(`${server.url}${path}`, init);
    const text = await res.text();
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      text,
      body: text ? JSON.parse(text) : undefined,
    };
  };
  return { monitor, daily, discord, slack, server, get };
}

describe('health endpoint', () => {
  it('listens on the loopback address given, on a free port when asked for 0', async () => {
    const { server } = await setup();
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.port).toBeGreaterThan(0);
  });

  it('is alive but not ready while starting', async () => {
    const { get } = await setup();
    const live = await get('/healthz');
    expect(live.status).toBe(200);
    expect(live.type).toMatch(/^application\/json/);
    expect(live.body).toMatchObject({ status: 'ok', checks: { eventLoop: { ok: true } } });
    const ready = await get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({
      status: 'down',
      checks: { process: { ok: false, detail: 'starting up' } },
    });
  });

  it('answers 200 ready with every check once both platforms are connected', async () => {
    const { monitor, discord, slack, get } = await setup();
    monitor.addAdapter(discord);
    monitor.addAdapter(slack);
    monitor.phase = 'running';
    const ready = await get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({
      status: 'ready',
      checks: {
        process: { ok: true, detail: 'running' },
        discord: { ok: true, detail: 'connected (gateway)' },
        slack: { ok: true, detail: 'connected (socket mode)' },
        store: { ok: true, detail: 'writable' },
        scheduler: { ok: true, detail: 'last tick 30 s ago' },
      },
    });
  });

  it('answers 503 degraded when one platform drops, and ready again when it is back', async () => {
    const { monitor, discord, slack, get } = await setup();
    monitor.addAdapter(discord);
    monitor.addAdapter(slack);
    monitor.phase = 'running';
    discord.connected = false;
    const degraded = await get('/readyz');
    expect(degraded.status).toBe(503);
    expect(degraded.body.status).toBe('degraded');
    expect(degraded.body.checks.discord).toEqual({ ok: false, detail: 'not connected (gateway)' });
    expect(degraded.body.checks.slack.ok).toBe(true);
    discord.connected = true;
    expect((await get('/readyz')).status).toBe(200);
  });

  it('answers 503 degraded when the scheduler stopped ticking', async () => {
    const { monitor, discord, daily, get } = await setup();
    monitor.addAdapter(discord);
    monitor.phase = 'running';
    daily.lastTick = new Date(NOW.getTime() - 10 * 60_000);
    const res = await get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body.status).toBe('degraded');
    expect(res.body.checks.scheduler.detail).toBe('last tick 600 s ago (more than 180 s)');
  });

  it('answers 503 down when no platform is connected or the store cannot write', async () => {
    const { monitor, discord, slack, get } = await setup();
    monitor.addAdapter(discord);
    monitor.addAdapter(slack);
    monitor.phase = 'running';
    discord.connected = false;
    slack.connected = false;
    expect((await get('/readyz')).body.status).toBe('down');

    const failing = await setup({
      probe: () => Promise.reject(new Error('ENOSPC: no space left on device')),
    });
    failing.monitor.addAdapter(failing.discord);
    failing.monitor.phase = 'running';
    const res = await failing.get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body.status).toBe('down');
    expect(res.body.checks.store).toEqual({
      ok: false,
      detail: 'the last write failed: ENOSPC: no space left on device',
    });
  });

  it('counts an adapter without ready() as ready and one whose ready() throws as not', async () => {
    const { monitor, get } = await setup();
    monitor.addAdapter({ platform: 'slack', mode: 'http' });
    monitor.addAdapter({
      platform: 'discord',
      mode: 'gateway',
      ready: () => {
        throw new Error('boom');
      },
    });
    monitor.phase = 'running';
    const res = await get('/readyz');
    expect(res.body.checks.slack).toEqual({ ok: true, detail: 'connected (http)' });
    expect(res.body.checks.discord.ok).toBe(false);
    expect(res.body.status).toBe('degraded');
  });

  it('is not ready while shutting down', async () => {
    const { monitor, discord, get } = await setup();
    monitor.addAdapter(discord);
    monitor.phase = 'stopping';
    const res = await get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body.checks.process).toEqual({ ok: false, detail: 'shutting down' });
  });

  it('answers HEAD without a body, refuses other methods and unknown paths', async () => {
    const { get } = await setup();
    const head = await get('/healthz', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
    const post = await get('/readyz', { method: 'POST' });
    expect(post.status).toBe(405);
    const missing = await get('/metrics');
    expect(missing.status).toBe(404);
    expect(missing.body.paths).toEqual(['/healthz', '/readyz']);
    expect((await get('/healthz?verbose=1')).status).toBe(200);
  });

  it('reports a stalled event loop as not alive', async () => {
    const monitor = new HealthMonitor({
      storage: memoryStorage(),
      clock: { lastTick: undefined },
      loop: { lagMs: () => 9_000 },
    });
    const server = await serveHealth(monitor, { host: '127.0.0.1', port: 0, log: silentLogger });
    servers.push(server);
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'down', checks: { eventLoop: { ok: false } } });
  });
});

describe('StoreProbe', () => {
  it('writes at most once per interval, only when asked', async () => {
    const store = memoryStorage();
    let t = 0;
    const probe = new StoreProbe(store, { clock: () => t, intervalMs: 60_000 });
    expect(await probe.check()).toEqual({ ok: true, detail: 'writable' });
    expect(store.updates).toBe(1);
    t = 59_000;
    await probe.check();
    expect(store.updates).toBe(1);
    t = 60_000;
    await probe.check();
    expect(store.updates).toBe(2);
  });

  it('reports a failed write, and recovery on the next probe', async () => {
    let fail = true;
    const store: Pick<Storage, 'probe'> = {
      probe: () => (fail ? Promise.reject(new Error('EACCES: permission denied')) : Promise.resolve()),
    };
    let t = 0;
    const probe = new StoreProbe(store, { clock: () => t, intervalMs: 1_000 });
    expect(await probe.check()).toEqual({
      ok: false,
      detail: 'the last write failed: EACCES: permission denied',
    });
    fail = false;
    t = 1_000;
    expect((await probe.check()).ok).toBe(true);
  });

  it('reports a failing write at once, and its recovery at once, without waiting for the probe interval', async () => {
    let failing: string | undefined;
    let probes = 0;
    const storage: Pick<Storage, 'probe' | 'health'> = {
      probe: async () => {
        probes++;
      },
      health: () =>
        failing
          ? { ok: false, detail: `the last write failed: ${failing}` }
          : { ok: true, detail: 'writable' },
    };
    const t = 0;
    const probe = new StoreProbe(storage, { clock: () => t, intervalMs: 60_000 });
    expect((await probe.check()).ok).toBe(true);
    expect(probes).toBe(1);
    failing = 'ENOSPC: no space left on device';
    expect(await probe.check()).toEqual({
      ok: false,
      detail: 'the last write failed: ENOSPC: no space left on device',
    });
    failing = undefined;
    expect(await probe.check()).toEqual({ ok: true, detail: 'writable' });
  });

  it('turns readiness 503 the moment a feature file write fails, and 200 once one succeeds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'thawbot-health-'));
    const storage = await openFileStorage({ file: join(dir, 'thawbot.json'), log: silentLogger });
    const { get, monitor, discord } = await setup(storage);
    monitor.addAdapter(discord);
    monitor.phase = 'running';
    expect((await get('/readyz')).status).toBe(200);
    // A folder where the settings file's temp file goes: every write of it fails, even as root.
    const blocker = join(dir, '.thawbot.settings.json.tmp');
    mkdirSync(blocker);
    await expect(
      storage.settings.change({ platform: 'discord', workspaceId: 'g' }, (s) => {
        s.timezone = 'UTC';
      }),
    ).rejects.toThrow();
    const down = await get('/readyz');
    expect(down.status).toBe(503);
    expect(down.body.checks.store?.detail).toMatch(/^the last write failed at/);
    rmSync(blocker, { recursive: true });
    await storage.settings.change({ platform: 'discord', workspaceId: 'g' }, (s) => {
      s.timezone = 'UTC';
    });
    expect((await get('/readyz')).status).toBe(200);
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails the check while a write hangs past the timeout, without starting another', async () => {
    let release!: () => void;
    let calls = 0;
    const store: Pick<Storage, 'probe'> = {
      probe: () => {
        calls++;
        return new Promise<void>((resolve) => {
          release = () => resolve();
        });
      },
    };
    let t = 0;
    // The wait resolves at once: the timeout is simulated by the clock, not slept.
    const probe = new StoreProbe(store, { clock: () => t, intervalMs: 60_000, wait: async () => {} });
    t = 0;
    const first = probe.check();
    t = 4_000;
    expect(await first).toEqual({ ok: false, detail: 'a write to the data file has been waiting for 4 s' });
    t = 9_000;
    expect((await probe.check()).ok).toBe(false);
    expect(calls).toBe(1);
    release();
    await new Promise((r) => setImmediate(r));
    expect(await probe.check()).toEqual({ ok: true, detail: 'writable' });
  });
});

describe('LoopMonitor', () => {
  it('measures how late the timer fires', () => {
    let t = 0;
    const loop = new LoopMonitor(1_000, () => t);
    loop.start();
    loop.stop();
    t = 1_000;
    loop.sample();
    expect(loop.lagMs()).toBe(0);
    t = 2_250;
    loop.sample();
    expect(loop.lagMs()).toBe(250);
    t = 9_250; // the next firing is 6 s overdue right now
    expect(loop.lagMs()).toBe(6_000);
  });
});
