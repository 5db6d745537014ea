/** The storage contract on PostgreSQL: the local server, one schema for this run, dropped after. */
import { afterAll } from 'vitest';
import type { Storage } from '../../src/store/ports.ts';
import { testSchema } from '../helpers/pg.ts';
import { storageContract } from './contract.ts';

const db = testSchema();
// One schema, migrated once, and one engine shared by the tests until one closes it: each test
// starts from empty tables, which is much faster than a schema or a pool of its own.
let current: Storage | undefined;
let closed = true;

async function fresh(): Promise<Storage> {
  const storage = await db.open();
  closed = false;
  current = {
    ...storage,
    close: async () => {
      closed = true;
      await storage.close();
    },
  };
  return current;
}

afterAll(async () => {
  await current?.close();
  await db.drop();
});

storageContract('PostgreSQL', async () => {
  await db.reset();
  const storage = current && !closed ? current : await fresh();
  return {
    storage,
    reopen: async () => {
      await current?.close();
      return fresh();
    },
    cleanup: async () => {},
  };
});
