/** The storage contract on the document engine: in memory, and on lowdb files in a temporary folder. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/core/log.ts';
import { memoryStorage } from '../../src/store/doc/index.ts';
import { openFileStorage } from '../../src/store/open.ts';
import type { Storage } from '../../src/store/ports.ts';
import { storageContract } from './contract.ts';

storageContract('memory documents', async () => ({ storage: memoryStorage(), cleanup: async () => {} }));

storageContract('lowdb files', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'thawbot-contract-'));
  const file = join(dir, 'thawbot.json');
  let current: Storage = await openFileStorage({ file, log: silentLogger });
  return {
    storage: current,
    reopen: async () => {
      await current.close();
      current = await openFileStorage({ file, log: silentLogger });
      return current;
    },
    cleanup: async () => {
      await current.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
