/** The personal-data contract on every engine: in memory, on lowdb files and on PostgreSQL. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe } from 'vitest';
import { silentLogger } from '../../src/core/log.ts';
import { memoryStorage } from '../../src/store/doc/index.ts';
import { openFileStorage } from '../../src/store/open.ts';
import type { Storage } from '../../src/store/ports.ts';
import { testSchema } from '../helpers/pg.ts';
import { personalDataContract } from './personal-contract.ts';

describe('memory documents', () => {
  let s: Storage;
  beforeEach(() => {
    s = memoryStorage();
  });
  personalDataContract(() => ({ s }));
});

describe('lowdb files', () => {
  let s: Storage;
  let dir: string;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'thawbot-personal-'));
    s = await openFileStorage({ file: join(dir, 'thawbot.json'), log: silentLogger });
  });
  afterEach(async () => {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  });
  personalDataContract(() => ({ s }));
});

describe('PostgreSQL', () => {
  const db = testSchema();
  let s: Storage | undefined;
  beforeEach(async () => {
    s ??= await db.open();
    await db.reset();
  });
  afterAll(async () => {
    await s?.close();
    await db.drop();
  });
  personalDataContract(() => ({ s: s as Storage }));
});
