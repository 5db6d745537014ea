/** Reading rows back: each record is checked against its schema, so bad data fails loudly. */
import type { z } from 'zod';
import type { ChannelRef } from '../../core/platform.ts';
import { StoreError } from '../errors.ts';
import { channelSchema, describeIssues } from '../schema.ts';

/** The record in a row, checked: a malformed row is an error naming the table and the row's key. */
export function parseRow<S extends z.ZodType>(
  schema: S,
  value: unknown,
  table: string,
  key: string,
): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new StoreError('corrupt', `PostgreSQL table ${table}, row ${key}: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

/** The three key columns of a channel's rows, in the order the tables declare them. */
export function channelParams(channel: ChannelRef): [string, string, string] {
  return [channel.platform, channel.workspaceId, channel.channelId];
}

/** A time column's value for an ISO text: null when it is not a time (never pruned, sorted last). */
export function timeOf(iso: string | undefined): Date | null {
  if (iso === undefined) return null;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? new Date(ms) : null;
}

/** Copies a record into JSON for a jsonb parameter (pg would stringify it anyway; this is explicit). */
export function json(value: unknown): string {
  return JSON.stringify(value);
}

/** The channel of a row's key columns. */
export function channelOf(row: { platform: string; workspace_id: string; channel_id: string }): ChannelRef {
  const channel = { platform: row.platform, workspaceId: row.workspace_id, channelId: row.channel_id };
  return parseRow(
    channelSchema,
    channel,
    'channel key',
    `${row.platform}:${row.workspace_id}:${row.channel_id}`,
  );
}
