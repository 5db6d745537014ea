/** Daily posts: subscriptions (one jsonb per channel) and deliveries (one row per channel and date). */
import { channelKey } from '../../core/platform.ts';
import type { DailyRepo, SubscriptionState } from '../ports.ts';
import { type Delivery, deliverySchema, type Subscription, subscriptionSchema } from '../schema.ts';
import type { Db } from './pool.ts';
import { channelOf, channelParams, json, parseRow } from './rows.ts';

export interface DeliveryRow {
  platform: string;
  workspace_id: string;
  channel_id: string;
  local_date: string;
  status: string;
  at: string;
  message_id: string | null;
  note: string | null;
}

const WHERE_CHANNEL = 'platform = $1 AND workspace_id = $2 AND channel_id = $3';

export function pgDaily(db: Db): DailyRepo {
  return {
    async subscription(channel) {
      const { rows } = await db.query<{ data: unknown }>(
        `SELECT data FROM subscriptions WHERE ${WHERE_CHANNEL}`,
        channelParams(channel),
      );
      return rows[0] ? parseSubscription(rows[0].data, channelKey(channel)) : undefined;
    },

    async subscribe(sub) {
      const checked = subscriptionSchema.parse(sub);
      // xmax is 0 on a freshly inserted row and set on one that ON CONFLICT updated.
      const { rows } = await db.query<{ replaced: boolean }>(
        `INSERT INTO subscriptions (platform, workspace_id, channel_id, data) VALUES ($1, $2, $3, $4)
         ON CONFLICT (platform, workspace_id, channel_id) DO UPDATE SET data = excluded.data
         RETURNING (xmax <> 0) AS replaced`,
        [...channelParams(checked.channel), json(checked)],
      );
      return rows[0]?.replaced === true;
    },

    async unsubscribe(channel) {
      const res = await db.query(`DELETE FROM subscriptions WHERE ${WHERE_CHANNEL}`, channelParams(channel));
      return (res.rowCount ?? 0) > 0;
    },

    async setPaused(channel, paused) {
      const res = paused
        ? await db.query(
            `UPDATE subscriptions SET data = jsonb_set(data, '{paused}', $4::jsonb) WHERE ${WHERE_CHANNEL}`,
            [...channelParams(channel), json(paused)],
          )
        : await db.query(`UPDATE subscriptions SET data = data - 'paused' WHERE ${WHERE_CHANNEL}`, [
            ...channelParams(channel),
          ]);
      return (res.rowCount ?? 0) > 0;
    },

    async subscriptions(since) {
      // One statement, so the subscriptions and their deliveries are one consistent snapshot.
      const { rows } = await db.query<{ key: string; data: unknown; deliveries: DeliveryRow[] }>(
        `SELECT s.platform || ':' || s.workspace_id || ':' || s.channel_id AS key, s.data,
                COALESCE(json_agg(d ORDER BY d.local_date) FILTER (WHERE d.local_date IS NOT NULL), '[]') AS deliveries
         FROM subscriptions s
         LEFT JOIN deliveries d ON d.platform = s.platform AND d.workspace_id = s.workspace_id
              AND d.channel_id = s.channel_id AND d.local_date >= $1
         GROUP BY s.platform, s.workspace_id, s.channel_id
         ORDER BY s.platform, s.workspace_id, s.channel_id`,
        [since],
      );
      return rows.map((row): SubscriptionState => {
        const deliveries: Record<string, Delivery> = {};
        for (const d of row.deliveries) deliveries[d.local_date] = toDelivery(d);
        return { subscription: parseSubscription(row.data, row.key), deliveries };
      });
    },

    async delivery(channel, date) {
      const { rows } = await db.query<DeliveryRow>(
        `SELECT * FROM deliveries WHERE ${WHERE_CHANNEL} AND local_date = $4`,
        [...channelParams(channel), date],
      );
      return rows[0] ? toDelivery(rows[0]) : undefined;
    },

    async deliveries(channel, limit) {
      const { rows } = await db.query<DeliveryRow>(
        `SELECT * FROM deliveries WHERE ${WHERE_CHANNEL} ORDER BY local_date DESC LIMIT $4`,
        [...channelParams(channel), Math.max(0, Math.floor(limit))],
      );
      return rows.map((row) => ({ date: row.local_date, delivery: toDelivery(row) }));
    },

    async claimDelivery(channel, date, at) {
      // The primary key makes the claim: of any number of concurrent inserts exactly one lands.
      const res = await db.query(
        `INSERT INTO deliveries (platform, workspace_id, channel_id, local_date, status, at)
         VALUES ($1, $2, $3, $4, 'pending', $5) ON CONFLICT DO NOTHING`,
        [...channelParams(channel), date, at.toISOString()],
      );
      return res.rowCount === 1;
    },

    async recordDelivery(channel, date, status, at, extra) {
      await db.query(
        `INSERT INTO deliveries (platform, workspace_id, channel_id, local_date, status, at, message_id, note)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (platform, workspace_id, channel_id, local_date) DO UPDATE SET
           status = excluded.status, at = excluded.at,
           message_id = COALESCE(excluded.message_id, deliveries.message_id),
           note = COALESCE(excluded.note, deliveries.note)`,
        [
          ...channelParams(channel),
          date,
          status,
          at.toISOString(),
          extra?.messageId ?? null,
          extra?.note ?? null,
        ],
      );
    },

    async pending() {
      const { rows } = await db.query<DeliveryRow & { data: unknown }>(
        `SELECT d.*, s.data FROM deliveries d
         LEFT JOIN subscriptions s USING (platform, workspace_id, channel_id)
         WHERE d.status = 'pending'
         ORDER BY d.local_date, d.platform, d.workspace_id, d.channel_id`,
      );
      return rows.map((row) => {
        const channel = channelOf(row);
        return {
          channel,
          date: row.local_date,
          ...(row.data ? { subscription: parseSubscription(row.data, channelKey(channel)) } : {}),
        };
      });
    },
  };
}

export function toDelivery(row: DeliveryRow): Delivery {
  return parseRow(
    deliverySchema,
    {
      status: row.status,
      at: row.at,
      ...(row.message_id !== null ? { messageId: row.message_id } : {}),
      ...(row.note !== null ? { note: row.note } : {}),
    },
    'deliveries',
    `${row.platform}:${row.workspace_id}:${row.channel_id}/${row.local_date}`,
  );
}

function parseSubscription(data: unknown, key: string): Subscription {
  return parseRow(subscriptionSchema, data, 'subscriptions', key);
}
