/**
 * A workspace's data over its life: when the bot leaves a Discord server or a Slack workspace, its
 * data is kept for a grace period (the bot may be added back) and then deleted; an admin can also
 * delete it at once. Every collection is keyed by `platform:workspaceId`, so deletion goes by key.
 */
import type { Logger } from '../core/log.ts';
import type { Platform } from '../core/platform.ts';
import { inWorkspace, workspaceKey } from './keys.ts';
import type { Data, Store } from './types.ts';

export interface WorkspaceRef {
  platform: Platform;
  workspaceId: string;
}

/** How long a removed workspace's data is kept before it is deleted. */
export const REMOVED_GRACE_DAYS = 30;
const DAY_MS = 86_400_000;

/** Entries deleted, by collection name (only collections that lost something). */
export type ForgetReport = Record<string, number>;

/** Notes that the bot was removed; the first removal counts, so a repeated event does not extend the grace. */
export async function markWorkspaceRemoved(store: Store, ref: WorkspaceRef, now: Date): Promise<boolean> {
  const key = workspaceKey(ref);
  if (store.read().removedWorkspaces[key]) return false;
  return store.update((data) => {
    if (data.removedWorkspaces[key]) return false;
    data.removedWorkspaces[key] = now.toISOString();
    return true;
  });
}

/** The bot is back: its data is kept. Writes nothing when the workspace was not marked. */
export async function markWorkspaceAdded(store: Store, ref: WorkspaceRef): Promise<boolean> {
  const key = workspaceKey(ref);
  if (!store.read().removedWorkspaces[key]) return false;
  return store.update((data) => {
    if (!data.removedWorkspaces[key]) return false;
    delete data.removedWorkspaces[key];
    return true;
  });
}

/** Deletes everything stored for the workspace, in one durable update. */
export async function forgetWorkspace(store: Store, ref: WorkspaceRef): Promise<ForgetReport> {
  return store.update((data) => forgetIn(data, ref));
}

/** How much the workspace has stored, by collection (for the confirmation before deleting). */
export function workspaceFootprint(data: Readonly<Data>, ref: WorkspaceRef): ForgetReport {
  const counts: ForgetReport = {};
  for (const [name, collection] of collections(data)) {
    if (name === 'removedWorkspaces') continue;
    const n = Object.keys(collection).filter((key) => inWorkspace(key, ref)).length;
    if (n > 0) counts[name] = n;
  }
  return counts;
}

/** Deletes the data of every workspace removed more than the grace period ago. */
export async function purgeRemovedWorkspaces(
  store: Store,
  now: Date,
  graceDays = REMOVED_GRACE_DAYS,
): Promise<{ ref: WorkspaceRef; removedAt: string; deleted: ForgetReport }[]> {
  const cutoff = now.getTime() - graceDays * DAY_MS;
  const due = Object.entries(store.read().removedWorkspaces).filter(([, at]) => Date.parse(at) < cutoff);
  if (due.length === 0) return [];
  return store.update((data) => {
    const purged: { ref: WorkspaceRef; removedAt: string; deleted: ForgetReport }[] = [];
    for (const [key, at] of Object.entries(data.removedWorkspaces)) {
      // An unparseable time is kept: nothing is deleted on a date that cannot be read.
      if (!(Date.parse(at) < cutoff)) continue;
      const ref = refOf(key);
      if (!ref) continue;
      purged.push({ ref, removedAt: at, deleted: forgetIn(data, ref) });
    }
    return purged;
  });
}

/**
 * After a platform connects: the workspaces it reports are present, so any removal noted for them is
 * cancelled (the bot was added back while offline); workspaces with stored data that it does not
 * report were left while offline, and their grace period starts now.
 */
export async function reconcileWorkspaces(
  store: Store,
  platform: Platform,
  presentIds: readonly string[],
  now: Date,
): Promise<{ added: string[]; removed: string[] }> {
  const present = new Set(presentIds);
  const data = store.read();
  const stored = storedWorkspaceIds(data, platform);
  const added = [...present].filter((id) => data.removedWorkspaces[`${platform}:${id}`]);
  const removed = [...stored].filter(
    (id) => !present.has(id) && !data.removedWorkspaces[`${platform}:${id}`],
  );
  if (added.length === 0 && removed.length === 0) return { added, removed };
  await store.update((d) => {
    for (const id of added) delete d.removedWorkspaces[`${platform}:${id}`];
    for (const id of removed) d.removedWorkspaces[`${platform}:${id}`] ??= now.toISOString();
  });
  return { added, removed };
}

/** Ids of the workspaces of `platform` that have anything stored. */
function storedWorkspaceIds(data: Readonly<Data>, platform: Platform): Set<string> {
  const ids = new Set<string>();
  const prefix = `${platform}:`;
  for (const [name, collection] of collections(data)) {
    if (name === 'removedWorkspaces') continue;
    for (const key of Object.keys(collection)) {
      if (!key.startsWith(prefix)) continue;
      const id = key.slice(prefix.length).split(':')[0];
      if (id) ids.add(id);
    }
  }
  return ids;
}

/** Workspaces waiting for deletion, oldest removal first. */
export function pendingRemovals(data: Readonly<Data>): { key: string; removedAt: string }[] {
  return Object.entries(data.removedWorkspaces)
    .map(([key, removedAt]) => ({ key, removedAt }))
    .sort((a, b) => a.removedAt.localeCompare(b.removedAt));
}

function forgetIn(data: Data, ref: WorkspaceRef): ForgetReport {
  const report: ForgetReport = {};
  for (const [name, collection] of collections(data)) {
    for (const key of Object.keys(collection)) {
      if (!inWorkspace(key, ref)) continue;
      delete collection[key];
      // The removal marker is bookkeeping, not the workspace's data.
      if (name !== 'removedWorkspaces') report[name] = (report[name] ?? 0) + 1;
    }
  }
  return report;
}

/**
 * Every keyed collection of the data, including ones added by features this file does not know:
 * all of them follow the `platform:workspaceId` key convention.
 */
function collections(data: Readonly<Data>): [string, Record<string, unknown>][] {
  const entries: [string, unknown][] = Object.entries(data);
  return entries.filter(
    (entry): entry is [string, Record<string, unknown>] =>
      typeof entry[1] === 'object' && entry[1] !== null && !Array.isArray(entry[1]),
  );
}

function refOf(key: string): WorkspaceRef | undefined {
  const colon = key.indexOf(':');
  if (colon <= 0) return undefined;
  const platform = key.slice(0, colon);
  if (platform !== 'discord' && platform !== 'slack' && platform !== 'console') return undefined;
  return { platform, workspaceId: key.slice(colon + 1) };
}

/**
 * The adapters' removal and addition hooks plus the periodic purge, as the composition root wires
 * them. Hooks never throw: a failure is logged and the removal is noted again on the next event.
 */
export function workspaceHooks(
  store: Store,
  log: Logger,
  now: () => Date,
): {
  workspaceRemoved: (ref: WorkspaceRef) => void;
  workspaceAdded: (ref: WorkspaceRef) => void;
  /** `present` lists the workspaces a connected platform reports (RunningAdapter.workspaces). */
  reconcile: (platform: Platform, present: () => readonly string[]) => Promise<void>;
  purge: () => Promise<void>;
} {
  return {
    workspaceRemoved(ref) {
      const removedAt = now();
      const deleteOn = new Date(removedAt.getTime() + REMOVED_GRACE_DAYS * DAY_MS).toISOString().slice(0, 10);
      markWorkspaceRemoved(store, ref, removedAt).then(
        (marked) => {
          if (marked)
            log.info(
              { workspace: workspaceKey(ref), deleteOn },
              `removed from a workspace: its data is deleted after ${REMOVED_GRACE_DAYS} days unless the bot is added back`,
            );
        },
        (err: unknown) =>
          log.error({ err, workspace: workspaceKey(ref) }, 'could not note a workspace removal'),
      );
    },
    workspaceAdded(ref) {
      markWorkspaceAdded(store, ref).then(
        (unmarked) => {
          if (unmarked)
            log.info({ workspace: workspaceKey(ref) }, 'added back to a workspace: its data is kept');
        },
        (err: unknown) =>
          log.error({ err, workspace: workspaceKey(ref) }, 'could not note a workspace addition'),
      );
    },
    async reconcile(platform, present) {
      try {
        const { added, removed } = await reconcileWorkspaces(store, platform, present(), now());
        if (added.length > 0)
          log.info({ platform, workspaces: added }, 'added back while offline: their data is kept');
        if (removed.length > 0)
          log.info(
            { platform, workspaces: removed },
            `removed while offline: their data is deleted after ${REMOVED_GRACE_DAYS} days unless the bot is added back`,
          );
      } catch (err) {
        log.error({ err, platform }, 'could not compare the stored workspaces with the connected ones');
      }
    },
    async purge() {
      try {
        for (const { ref, removedAt, deleted } of await purgeRemovedWorkspaces(store, now()))
          log.info(
            { workspace: workspaceKey(ref), removedAt, deleted },
            'deleted the data of a removed workspace',
          );
      } catch (err) {
        log.error({ err }, 'could not delete the data of removed workspaces');
      }
    },
  };
}
