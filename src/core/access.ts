import type { WorkspaceSettings } from '../store/types.ts';

/**
 * Whether a member is a host by the workspace's settings: on its host list, or holding its host
 * role (Discord). Admins are hosts too; adapters add that themselves.
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
