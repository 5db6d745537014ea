import type { Actor } from './core/command.ts';
import type { SettingsRepo, WorkspaceSettings } from './store/ports.ts';

/**
 * Whether a member is a host by the workspace's settings: on its host list, or holding its host
 * role (Discord). Admins are hosts too.
 */
export function isHostBySettings(
  settings: WorkspaceSettings | undefined,
  userId: string,
  roleIds: readonly string[] = [],
): boolean {
  if (!settings) return false;
  if (settings.hostUserIds.includes(userId)) return true;
  return settings.hostRoleId !== undefined && roleIds.includes(settings.hostRoleId);
}

/** The one place that decides who hosts: adapters report admin rights and role ids, nothing more. */
export function hostCheck(settings: SettingsRepo): (actor: Actor) => Promise<boolean> {
  return async (actor) => {
    if (actor.isAdmin || actor.isHost) return true;
    if (actor.inServer === false) return false;
    return isHostBySettings(await settings.get(actor.channel), actor.user.id, actor.roleIds);
  };
}
