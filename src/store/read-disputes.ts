/**
 * Reading dispute reports for the content maintainers' report (`npm run content:disputes`) without
 * taking over the deployment: the lowdb feature file is read as it is on disk (no lock, so a
 * running bot is no obstacle; it is only ever replaced whole), PostgreSQL through its repository.
 */
import { readFile } from 'node:fs/promises';
import type { Logger } from '../core/log.ts';
import { featureSchemas } from './doc/shapes.ts';
import { StoreError } from './errors.ts';
import { featureFileFor } from './open.ts';
import type { Dispute } from './ports.ts';
import { describeIssues } from './schema.ts';

export async function readDisputes(
  place: { databaseUrl?: string; schema?: string; file: string },
  statuses: readonly Dispute['status'][],
  log: Logger,
): Promise<Dispute[]> {
  if (place.databaseUrl) {
    const { openPgStorage } = await import('./pg/index.ts');
    const storage = await openPgStorage({
      url: place.databaseUrl,
      log,
      poolSize: 1,
      ...(place.schema ? { schema: place.schema } : {}),
    });
    try {
      return await storage.disputes.list(statuses);
    } finally {
      await storage.close();
    }
  }
  const file = featureFileFor(place.file, 'disputes');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    // No file yet: nobody has reported anything.
    if ((error as { code?: string }).code === 'ENOENT') return [];
    throw error;
  }
  const parsed = featureSchemas.disputes.safeParse(JSON.parse(text.replace(/^\uFEFF/, '')));
  if (!parsed.success) throw new StoreError('corrupt', `${file}: ${describeIssues(parsed.error)}`);
  return Object.values(parsed.data.disputes)
    .filter((d) => statuses.includes(d.status))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}
