import type { Logger } from '../core/log.ts';
import { openFileStorage } from './open.ts';
import type { Storage } from './ports.ts';

/** The engine the configuration asks for: PostgreSQL when a database URL is set, else lowdb files. */
export async function openStorage(options: {
  databaseUrl?: string;
  /** The PostgreSQL schema (default public). */
  schema?: string;
  file: string;
  log: Logger;
  /** Files only: learners kept in memory (default HOT_LEARNERS). */
  hotLearners?: number | undefined;
}): Promise<Storage> {
  if (options.databaseUrl) {
    // Loaded only when used, so the default start does not load the PostgreSQL driver.
    const { openPgStorage } = await import('./pg/index.ts');
    return openPgStorage({
      url: options.databaseUrl,
      log: options.log.child({ component: 'store' }),
      ...(options.schema ? { schema: options.schema } : {}),
    });
  }
  return openFileStorage({
    file: options.file,
    log: options.log,
    ...(options.hotLearners === undefined ? {} : { hotLearners: options.hotLearners }),
  });
}
