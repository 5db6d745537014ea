/**
 * Several real bot processes (`src/main.ts`, as `npm start` runs it) on one PostgreSQL schema, for
 * tests of a fleet. Each process gets the shared environment plus its own (`envOf(i)`), so a
 * variable per process (a port, shard ids) is one line.
 */
import { createServer } from 'node:net';
import { type Bot, startBot, tempDir } from './bot-process.ts';
import { TEST_DATABASE_URL, type TestSchema } from './pg.ts';

export interface FleetSpec {
  schema: TestSchema;
  count: number;
  /** Variables every process gets. */
  env: Record<string, string>;
  /** Variables of process `i` (0-based), added to the shared ones. */
  envOf?: (i: number) => Record<string, string>;
}

/** The database variables that put a process on the test schema. */
export function databaseEnv(schema: TestSchema): Record<string, string> {
  return { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema.schema };
}

export function startFleet(spec: FleetSpec): Bot[] {
  return Array.from({ length: spec.count }, (_, i) =>
    startBot(tempDir(), { ...databaseEnv(spec.schema), ...spec.env, ...(spec.envOf?.(i) ?? {}) }),
  );
}

/** A port free at the moment of asking (for a process that needs a fixed one, like Slack's PORT). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The bot of `bots` whose log says it took the scheduler lease last, and when. */
export function leaseHolder(bots: readonly Bot[]): Bot | undefined {
  return bots.find((b) => b.logs.some((l) => l.msg === 'lease taken'));
}
