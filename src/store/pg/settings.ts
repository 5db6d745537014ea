/** Workspace settings: one jsonb document per workspace, changed under a row lock. */
import { isDeepStrictEqual } from 'node:util';
import type { SettingsRepo, WorkspaceRef } from '../ports.ts';
import { settingsSchema, type WorkspaceSettings } from '../schema.ts';
import type { Db } from './pool.ts';
import { json, parseRow } from './rows.ts';

const empty = (): WorkspaceSettings => ({ hostUserIds: [] });

export function pgSettings(db: Db): SettingsRepo {
  return {
    async get(ws) {
      const { rows } = await db.query<{ data: unknown }>(
        'SELECT data FROM workspace_settings WHERE platform = $1 AND workspace_id = $2',
        [ws.platform, ws.workspaceId],
      );
      return rows[0] ? parse(rows[0].data, ws) : undefined;
    },

    change(ws, fn) {
      return db.tx(async (client, rollback) => {
        // Insert-then-lock: two first changes of a workspace cannot both see "no row" and race.
        const created = await client.query(
          `INSERT INTO workspace_settings (platform, workspace_id, data) VALUES ($1, $2, $3)
           ON CONFLICT DO NOTHING`,
          [ws.platform, ws.workspaceId, json(empty())],
        );
        const { rows } = await client.query<{ data: unknown }>(
          'SELECT data FROM workspace_settings WHERE platform = $1 AND workspace_id = $2 FOR UPDATE',
          [ws.platform, ws.workspaceId],
        );
        const settings = parse(rows[0]?.data, ws);
        const result = fn(settings);
        const next = settingsSchema.parse(settings);
        // A change that changed nothing of a workspace with no settings leaves no row behind.
        if (created.rowCount === 1 && isDeepStrictEqual(next, empty())) rollback();
        else
          await client.query(
            `UPDATE workspace_settings SET data = $3, updated_at = now()
             WHERE platform = $1 AND workspace_id = $2`,
            [ws.platform, ws.workspaceId, json(next)],
          );
        return result;
      });
    },
  };
}

function parse(data: unknown, ws: WorkspaceRef): WorkspaceSettings {
  return parseRow(settingsSchema, data, 'workspace_settings', `${ws.platform}:${ws.workspaceId}`);
}
