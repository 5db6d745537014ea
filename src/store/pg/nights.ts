/**
 * Weekly quiz nights: the definition as jsonb, and each run (night + local date) a row whose step
 * columns are set once: a conditional upsert is the claim, so one process reminds or starts a night.
 */
import type { NightsRepo } from '../ports.ts';
import { type QuizNight, type QuizNightRun, quizNightSchema } from '../schema.ts';
import type { Db } from './pool.ts';
import { channelParams, json, parseRow } from './rows.ts';

/** Step names map to columns; anything else is refused before it reaches SQL. */
const STEPS: Record<keyof QuizNightRun, string> = {
  reminded: 'reminded',
  started: 'started',
  skipped: 'skipped',
};

export interface NightRow {
  key: string;
  data: QuizNight;
  runs: { local_date: string; reminded: string | null; started: string | null; skipped: string | null }[];
}

export const SELECT_NIGHTS = `
  SELECT n.platform || ':' || n.workspace_id || ':' || n.channel_id AS key, n.data,
         COALESCE((SELECT json_agg(r ORDER BY r.local_date) FROM quiz_night_runs r
                   WHERE r.platform = n.platform AND r.workspace_id = n.workspace_id
                     AND r.channel_id = n.channel_id AND r.night_id = n.id), '[]') AS runs
  FROM quiz_nights n`;

const WHERE_NIGHT = 'platform = $1 AND workspace_id = $2 AND channel_id = $3 AND id = $4';

export function pgNights(db: Db): NightsRepo {
  return {
    async all() {
      const { rows } = await db.query<NightRow>(`${SELECT_NIGHTS} ORDER BY n.seq`);
      return rows.map(assemble);
    },

    async inChannel(channel) {
      const { rows } = await db.query<NightRow>(
        `${SELECT_NIGHTS} WHERE n.platform = $1 AND n.workspace_id = $2 AND n.channel_id = $3 ORDER BY n.seq`,
        channelParams(channel),
      );
      return rows.map(assemble);
    },

    add(night) {
      const checked = quizNightSchema.parse(night);
      const { runs, ...definition } = checked;
      return db.tx(async (client) => {
        await client.query(
          `INSERT INTO quiz_nights (platform, workspace_id, channel_id, id, data) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (platform, workspace_id, channel_id, id) DO UPDATE SET data = excluded.data`,
          [...channelParams(checked.channel), checked.id, json(definition)],
        );
        for (const [date, run] of Object.entries(runs)) {
          await client.query(
            `INSERT INTO quiz_night_runs (platform, workspace_id, channel_id, night_id, local_date, reminded, started, skipped)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (platform, workspace_id, channel_id, night_id, local_date) DO UPDATE SET
               reminded = excluded.reminded, started = excluded.started, skipped = excluded.skipped`,
            [
              ...channelParams(checked.channel),
              checked.id,
              date,
              run.reminded ?? null,
              run.started ?? null,
              run.skipped ?? null,
            ],
          );
        }
      });
    },

    async remove(channel, id) {
      const res = await db.query(`DELETE FROM quiz_nights WHERE ${WHERE_NIGHT}`, [
        ...channelParams(channel),
        id,
      ]);
      return (res.rowCount ?? 0) > 0;
    },

    async markRun(channel, id, date, step, value, force = false) {
      const column = STEPS[step];
      if (!column) throw new Error(`unknown quiz night step "${String(step)}"`);
      // Inserted from the night's own row, so a removed night records nothing. A concurrent insert of
      // the same run waits, then takes the conflict path and sees the step already set.
      try {
        const res = await db.query(
          `INSERT INTO quiz_night_runs (platform, workspace_id, channel_id, night_id, local_date, ${column})
           SELECT platform, workspace_id, channel_id, id, $5, $6 FROM quiz_nights WHERE ${WHERE_NIGHT}
           ON CONFLICT (platform, workspace_id, channel_id, night_id, local_date) DO UPDATE
             SET ${column} = excluded.${column}
             WHERE $7::boolean OR quiz_night_runs.${column} IS NULL`,
          [...channelParams(channel), id, date, value, force],
        );
        return res.rowCount === 1;
      } catch (err) {
        if ((err as { code?: string }).code === '23503') return false;
        throw err;
      }
    },

    async setPaused(channel, id, paused) {
      if (paused)
        await db.query(
          `UPDATE quiz_nights SET data = jsonb_set(data, '{paused}', $5::jsonb) WHERE ${WHERE_NIGHT}`,
          [...channelParams(channel), id, json(paused)],
        );
      else
        await db.query(`UPDATE quiz_nights SET data = data - 'paused' WHERE ${WHERE_NIGHT}`, [
          ...channelParams(channel),
          id,
        ]);
    },
  };
}

export function assemble(row: NightRow): QuizNight {
  const runs: Record<string, QuizNightRun> = {};
  for (const r of row.runs) {
    runs[r.local_date] = {
      ...(r.reminded !== null ? { reminded: r.reminded } : {}),
      ...(r.started !== null ? { started: r.started } : {}),
      ...(r.skipped !== null ? { skipped: r.skipped } : {}),
    };
  }
  return parseRow(
    quizNightSchema,
    { ...row.data, runs },
    'quiz_nights',
    `${row.key}/${String(row.data?.id)}`,
  );
}
