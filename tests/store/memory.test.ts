import { describe, expect, it } from 'vitest';
import { emptyData, SCHEMA_VERSION } from '../../src/store/data.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { validateData } from '../../src/store/schema.ts';

describe('MemoryStore', () => {
  it('starts from empty data of the current schema, which the file schema accepts', () => {
    const store = new MemoryStore();
    expect(store.read()).toEqual(emptyData());
    expect(store.read().schemaVersion).toBe(SCHEMA_VERSION);
    expect(validateData(store.read()).ok).toBe(true);
  });

  it('behaves like the durable store: synchronous updates, claims once, with the injected clock', async () => {
    const store = new MemoryStore(undefined, () => new Date('2026-11-26T08:00:00Z'));
    expect(await store.update((d) => Object.keys(d.settings).length)).toBe(0);
    await expect(store.update(async () => 1)).rejects.toThrow(/synchronous/);
    expect(await store.claim('discord:g1:job', 'a')).toBe(true);
    expect(await store.claim('discord:g1:job', 'b')).toBe(false);
    expect(store.read().claims['discord:g1:job']).toEqual({ at: '2026-11-26T08:00:00.000Z', value: 'a' });
  });
});
