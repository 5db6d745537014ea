/**
 * A workspace's data over its life: when the bot leaves a Discord server or a Slack workspace, its
 * data is kept for a grace period (the bot may be added back) and then deleted; an admin can also
 * delete it at once.
 */
import type { Logger } from '../core/log.ts';
import type { Platform } from '../core/platform.ts';
import { workspaceKey } from './keys.ts';
import type { Footprint, WorkspaceRef, WorkspacesRepo } from './ports.ts';

export type { WorkspaceRef };

/** How long a removed workspace's data is kept before it is deleted. */
export const REMOVED_GRACE_DAYS = 30;
const DAY_MS = 86_400_000;

/** Deletes the data of every workspace removed more than the grace period ago. */
export async function purgeRemovedWorkspaces(
  repo: WorkspacesRepo,
  now: Date,
  graceDays = REMOVED_GRACE_DAYS,
): Promise<{ ref: WorkspaceRef; removedAt: string; deleted: Footprint }[]> {
  const cutoff = now.getTime() - graceDays * DAY_MS;
  const purged: { ref: WorkspaceRef; removedAt: string; deleted: Footprint }[] = [];
  for (const { ws, removedAt } of await repo.removed()) {
    // An unparseable time is kept: nothing is deleted on a date that cannot be read.
    if (!(Date.parse(removedAt) < cutoff)) continue;
    purged.push({ ref: ws, removedAt, deleted: await repo.forget(ws) });
  }
  return purged;
}

/**
 * After a platform connects: the workspaces it reports are present, so any removal noted for them is
 * cancelled (the bot was added back while offline); workspaces with stored data that it does not
 * report were left while offline, and their grace period starts now.
 */
export async function reconcileWorkspaces(
  repo: WorkspacesRepo,
  platform: Platform,
  presentIds: readonly string[],
  now: Date,
  /** The workspaces this process can see (a Discord shard sees only its own guilds); default all. */
  owns: (workspaceId: string) => boolean = () => true,
): Promise<{ added: string[]; removed: string[] }> {
  const present = new Set(presentIds);
  const marked = new Set(
    (await repo.removed()).filter((r) => r.ws.platform === platform).map((r) => r.ws.workspaceId),
  );
  const added = [...present].filter((id) => marked.has(id));
  const removed = (await repo.storedIds(platform)).filter(
    (id) => owns(id) && !present.has(id) && !marked.has(id),
  );
  for (const id of added) await repo.markAdded({ platform, workspaceId: id });
  for (const id of removed) await repo.markRemoved({ platform, workspaceId: id }, now);
  return { added, removed };
}

/**
 * The adapters' removal and addition hooks plus the periodic purge, as the composition root wires
 * them. Hooks never throw: a failure is logged and the removal is noted again on the next event.
 */
export function workspaceHooks(
  repo: WorkspacesRepo,
  log: Logger,
  now: () => Date,
): {
  workspaceRemoved: (ref: WorkspaceRef) => void;
  workspaceAdded: (ref: WorkspaceRef) => void;
  /** `present` lists the workspaces a connected platform reports (RunningAdapter.workspaces). */
  reconcile: (
    platform: Platform,
    present: () => readonly string[],
    owns?: (workspaceId: string) => boolean,
  ) => Promise<void>;
  purge: () => Promise<void>;
} {
  return {
    workspaceRemoved(ref) {
      const removedAt = now();
      const deleteOn = new Date(removedAt.getTime() + REMOVED_GRACE_DAYS * DAY_MS).toISOString().slice(0, 10);
      repo.markRemoved(ref, removedAt).then(
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
      repo.markAdded(ref).then(
        (unmarked) => {
          if (unmarked)
            log.info({ workspace: workspaceKey(ref) }, 'added back to a workspace: its data is kept');
        },
        (err: unknown) =>
          log.error({ err, workspace: workspaceKey(ref) }, 'could not note a workspace addition'),
      );
    },
    async reconcile(platform, present, owns) {
      try {
        const { added, removed } = await reconcileWorkspaces(repo, platform, present(), now(), owns);
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
        for (const { ref, removedAt, deleted } of await purgeRemovedWorkspaces(repo, now()))
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
