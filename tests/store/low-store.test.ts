import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/log.ts';
import { StoreError } from '../../src/store/errors.ts';
import { openStore } from '../../src/store/open.ts';
import type { Data } from '../../src/store/types.ts';
import { recordingLogger, tempDir } from './helpers.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function open(file: string, log = silentLogger) {
  const store = await openStore({ file, log });
  cleanups.push(() => store.close());
  return store;
}

function setup() {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t;
}

function onDisk(file: string): Data {
  return JSON.parse(readFileSync(file, 'utf8')) as Data;
}

function bump(data: Data, key: string): void {
  const n = Number(data.claims[key]?.value ?? 0);
  data.claims[key] = { at: '2026-11-26T00:00:00.000Z', value: String(n + 1) };
}

describe('LowStore group commit', () => {
  it('loses none of thousands of interleaved updates and writes far fewer times', async () => {
    const { file } = setup();
    const store = await open(file);
    const before = store.stats.writes;
    const workers = Array.from({ length: 20 }, async (_, w) => {
      for (let n = 0; n < 200; n++) {
        await store.update((data) => {
          bump(data, 'counter');
          data.claims[`w${w}-${n}`] = { at: '2026-11-26T00:00:00.000Z' };
        });
      }
    });
    const burst = Array.from({ length: 2000 }, (_, i) =>
      store.update((data) => {
        bump(data, 'counter');
        data.claims[`b${i}`] = { at: '2026-11-26T00:00:00.000Z' };
      }),
    );
    await Promise.all([...workers, ...burst]);
    const writes = store.stats.writes - before;
    await store.close();

    const data = onDisk(file);
    expect(data.claims.counter?.value).toBe('6000');
    for (let w = 0; w < 20; w++)
      for (let n = 0; n < 200; n++) expect(data.claims[`w${w}-${n}`]).toBeDefined();
    for (let i = 0; i < 2000; i++) expect(data.claims[`b${i}`]).toBeDefined();
    // 20 workers waiting on the same write go out together: about 200 writes for 6,000 updates.
    expect(writes).toBeLessThan(600);
  });

  it('writes one synchronous burst of updates in a single write', async () => {
    const { file } = setup();
    const store = await open(file);
    const before = store.stats.writes;
    await Promise.all(Array.from({ length: 1000 }, (_, i) => store.update((d) => bump(d, `k${i % 10}`))));
    expect(store.stats.writes - before).toBe(1);
    expect(onDisk(file).claims.k3?.value).toBe('100');
  });

  it('resolves an update only when the change is in the file', async () => {
    const { file } = setup();
    const store = await open(file);
    const checks = Array.from({ length: 50 }, (_, i) =>
      store
        .update((d) => {
          d.claims[`seen${i}`] = { at: '2026-11-26T00:00:00.000Z' };
          return i;
        })
        .then((value) => {
          expect(value).toBe(i);
          expect(onDisk(file).claims[`seen${i}`]).toBeDefined();
        }),
    );
    await Promise.all(checks);
  });

  it('applies an update in memory at once', async () => {
    const { file } = setup();
    const store = await open(file);
    const pending = store.update((d) => bump(d, 'now'));
    expect(store.read().claims.now?.value).toBe('1');
    await pending;
  });

  it('claims a key exactly once among concurrent claimers, durably', async () => {
    const { file } = setup();
    const store = await open(file);
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => store.claim('delivery:x', `runner${i}`)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(onDisk(file).claims['delivery:x']?.value).toBe('runner0');
    expect(await store.claim('delivery:x')).toBe(false);
    await store.close();
    const again = await open(file);
    expect(await again.claim('delivery:x')).toBe(false);
    expect(await again.claim('delivery:y')).toBe(true);
  });

  it('rejects an update whose function throws, and refuses asynchronous functions', async () => {
    const { file } = setup();
    const store = await open(file);
    await expect(
      store.update(() => {
        throw new Error('not allowed');
      }),
    ).rejects.toThrow('not allowed');
    await expect(store.update(async () => 1)).rejects.toThrow(/synchronous/);
    await expect(store.update((d) => bump(d, 'after'))).resolves.toBeUndefined();
    expect(onDisk(file).claims.after?.value).toBe('1');
  });

  it('rejects the updates of a failed write, keeps them in memory and stores them with a later write', async () => {
    const { dir, file } = setup();
    const log = recordingLogger();
    const store = await open(file, log);
    rmSync(dir, { recursive: true, force: true }); // every write now fails
    const failed = store.update((d) => bump(d, 'kept'));
    const failedClaim = store.claim('job');
    await expect(failed).rejects.toThrow(/ENOENT/);
    await expect(failedClaim).rejects.toThrow(/ENOENT/);
    expect(store.stats.failedWrites).toBeGreaterThan(0);
    expect(log.entries.some((e) => e.level === 'error' && /could not write the data file/.test(e.msg))).toBe(
      true,
    );
    expect(store.read().claims.kept?.value).toBe('1');
    expect(store.read().claims.job).toBeUndefined(); // a claim that did not become durable is given back

    mkdirSync(dir, { recursive: true });
    await store.flush();
    expect(onDisk(file).claims.kept?.value).toBe('1');
    expect(await store.claim('job')).toBe(true);
  });

  it('flushes on close, refuses updates afterwards and releases the file', async () => {
    const { file } = setup();
    const store = await open(file);
    void store.update((d) => bump(d, 'last'));
    await store.close();
    await store.close();
    expect(onDisk(file).claims.last?.value).toBe('1');
    expect(existsSync(`${file}.lock`)).toBe(false);
    await expect(store.update((d) => bump(d, 'late'))).rejects.toBeInstanceOf(StoreError);
    await expect(store.claim('late')).rejects.toBeInstanceOf(StoreError);
    const again = await open(file);
    expect(again.read().claims.last?.value).toBe('1');
  });

  it('flush resolves at once when nothing is pending and waits for a write in flight', async () => {
    const { file } = setup();
    const store = await open(file);
    const writes = store.stats.writes;
    await store.flush();
    expect(store.stats.writes).toBe(writes);
    void store.update((d) => bump(d, 'f'));
    await store.flush();
    expect(onDisk(file).claims.f?.value).toBe('1');
  });

  it('creates the data directory on demand and leaves no temp file behind', async () => {
    const { dir } = setup();
    const file = `${dir}/nested/deeper/thawbot.json`;
    const store = await open(file);
    await store.update((d) => bump(d, 'x'));
    expect(existsSync(file)).toBe(true);
    expect(existsSync(`${dir}/nested/deeper/.thawbot.json.tmp`)).toBe(false);
  });
});
