/**
 * The storage contract on the document engine: in memory, and on lowdb files in a temporary folder
 * (also with every learner held on disk only between uses).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/core/log.ts';
import { memoryStorage } from '../../src/store/doc/index.ts';
import { openFileStorage } from '../../src/store/open.ts';
import type { Storage } from '../../src/store/ports.ts';
import { storageContract } from './contract.ts';

storageContract('memory documents', async () => ({ storage: memoryStorage(), cleanup: async () => {} }));

function onFiles(options: { hotLearners?: number }) {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'thawbot-contract-'));
    const file = join(dir, 'thawbot.json');
    let current: Storage = await openFileStorage({ file, log: silentLogger, ...options });
    return {
      storage: current,
      reopen: async () => {
        await current.close();
        current = await openFileStorage({ file, log: silentLogger, ...options });
        return current;
      },
      cleanup: async () => {
        await current.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  };
}

storageContract('lowdb files', onFiles({}));

// Every learner goes to disk only as soon as it is not in use: each read and change reads it back.
storageContract('lowdb files, no learner held in memory', onFiles({ hotLearners: 0 }));
