/**
 * Coordination between processes on one database: the scheduler lease (a row with an expiry on the
 * database's clock, renewed by its holder), the memory of accepted Slack request signatures, and the
 * pace of API requests shared by all processes.
 */
import type { FleetRepo } from '../ports.ts';
import type { Db } from './pool.ts';

/** Expired signatures are deleted at most this often, by whichever process remembers one. */
const SIGNATURE_SWEEP_MS = 60_000;

export function pgFleet(db: Db): FleetRepo {
  let sweptAt = Number.NEGATIVE_INFINITY;
  return {
    async holdLease(name, holder, ttlMs) {
      // Taken when free or expired, renewed when already ours; one statement, so one holder wins.
      const res = await db.query(
        `INSERT INTO fleet_leases (name, holder, expires_at, since)
         VALUES ($1, $2, clock_timestamp() + $3 * interval '1 millisecond', clock_timestamp())
         ON CONFLICT (name) DO UPDATE SET
           holder = excluded.holder,
           expires_at = excluded.expires_at,
           since = CASE WHEN fleet_leases.holder = excluded.holder THEN fleet_leases.since ELSE excluded.since END
         WHERE fleet_leases.holder = excluded.holder OR fleet_leases.expires_at < clock_timestamp()`,
        [name, holder, Math.round(ttlMs)],
      );
      return res.rowCount === 1;
    },

    async releaseLease(name, holder) {
      await db.query('DELETE FROM fleet_leases WHERE name = $1 AND holder = $2', [name, holder]);
    },

    async lease(name) {
      const { rows } = await db.query<{ holder: string; expires_at: Date }>(
        'SELECT holder, expires_at FROM fleet_leases WHERE name = $1 AND expires_at >= clock_timestamp()',
        [name],
      );
      const row = rows[0];
      return row ? { holder: row.holder, expiresAt: row.expires_at } : undefined;
    },

    async rememberSignature(signature, until, now) {
      if (now.getTime() - sweptAt > SIGNATURE_SWEEP_MS) {
        sweptAt = now.getTime();
        await db.query('DELETE FROM request_signatures WHERE expires_at <= $1', [now]);
      }
      // New, or its earlier record has expired: accepted. Still recorded: a replay.
      const res = await db.query(
        `INSERT INTO request_signatures (signature, expires_at) VALUES ($1, $2)
         ON CONFLICT (signature) DO UPDATE SET expires_at = excluded.expires_at
         WHERE request_signatures.expires_at <= $3`,
        [signature, until, now],
      );
      return res.rowCount === 1;
    },

    async paceSlot(name, intervalMs) {
      // One statement: the row lock orders processes booking at once, and each gets its own slot.
      const { rows } = await db.query<{ wait_ms: number }>(
        `INSERT INTO rest_pace (name, next_at) VALUES ($1, clock_timestamp() + $2 * interval '1 millisecond')
         ON CONFLICT (name) DO UPDATE SET
           next_at = greatest(rest_pace.next_at, clock_timestamp()) + $2 * interval '1 millisecond'
         RETURNING (extract(epoch FROM next_at - clock_timestamp()) * 1000 - $2)::float8 AS wait_ms`,
        [name, intervalMs],
      );
      return Math.max(0, rows[0]?.wait_ms ?? 0);
    },
  };
}
