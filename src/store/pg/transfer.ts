/**
 * Moving a deployment (`StorageTransfer` in ports.ts) on PostgreSQL: a dump reads every table in one
 * read-only snapshot into the feature documents; a load writes every record in one transaction, so
 * a failed copy leaves the target as it was. Leaderboards and players' records are copied row by
 * row as stored, never recomputed from the finished games (those may have been pruned).
 */
import { type ChannelRef, channelKey } from '../../core/platform.ts';
import { assignmentKey, progressKey } from '../doc/assignments.ts';
import { emptyDocs, type FeatureDocs } from '../doc/shapes.ts';
import { checkDocs } from '../doc/transfer.ts';
import { refOf } from '../doc/workspaces.ts';
import { StoreError } from '../errors.ts';
import { resultKey, scoreKey, userKey, workspaceKey } from '../keys.ts';
import {
  platformSchema,
  resultSchema,
  scoreEntrySchema,
  settingsSchema,
  subscriptionSchema,
} from '../schema.ts';
import { assignmentOf, assignmentRow, progressOf, progressRow } from './assignments.ts';
import { type DeliveryRow, toDelivery } from './daily.ts';
import { DISPUTE_COLUMNS, type DisputeRow, disputeOf, disputeValues } from './disputes.ts';
import { assemble as assembleGame, type GameRow, GROUP_GAMES, SELECT_GAMES, stateOf } from './games.ts';
import { assemble as assembleNight, type NightRow, SELECT_NIGHTS } from './nights.ts';
import type { Db, Queryable } from './pool.ts';
import { SELECT_STUDY, type StudyRow, studyRecordOf } from './results.ts';
import { channelOf, json, parseRow, timeOf } from './rows.ts';
import { CARD_COLUMNS, type CardRow, cardOf, type LearnerRow, logOf, profileOf } from './study.ts';

/** Every table holding records, children after their parents (the order of inserts). */
const TABLES = [
  'workspace_settings',
  'subscriptions',
  'deliveries',
  'quiz_games',
  'quiz_answers',
  'quiz_results',
  'scores',
  'study_records',
  'study_history',
  'quiz_nights',
  'quiz_night_runs',
  'study_learners',
  'study_cards',
  'study_log',
  'study_reminded',
  'assignments',
  'assignment_progress',
  'removed_workspaces',
  'disputes',
] as const;

/** Rows per INSERT: column arrays stay a few megabytes at most. */
const CHUNK = 2_000;

/** Every record, read in one REPEATABLE READ snapshot so the documents are one consistent state. */
export function pgDump(db: Db): Promise<FeatureDocs> {
  return db.tx(async (client) => {
    await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    const docs = emptyDocs();

    const settings = await client.query<{ platform: string; workspace_id: string; data: unknown }>(
      'SELECT platform, workspace_id, data FROM workspace_settings ORDER BY platform, workspace_id',
    );
    for (const row of settings.rows) {
      const key = workspaceKey({ platform: platformOf(row.platform), workspaceId: row.workspace_id });
      docs.settings.settings[key] = parseRow(settingsSchema, row.data, 'workspace_settings', key);
    }

    const subscriptions = await client.query<{
      platform: string;
      workspace_id: string;
      channel_id: string;
      data: unknown;
    }>('SELECT platform, workspace_id, channel_id, data FROM subscriptions ORDER BY 1, 2, 3');
    for (const row of subscriptions.rows) {
      const key = channelKey(channelOf(row));
      docs.daily.subscriptions[key] = parseRow(subscriptionSchema, row.data, 'subscriptions', key);
    }

    const deliveries = await client.query<DeliveryRow>(
      'SELECT * FROM deliveries ORDER BY platform, workspace_id, channel_id, local_date',
    );
    for (const row of deliveries.rows) {
      const key = channelKey(channelOf(row));
      docs.daily.deliveries[key] ??= {};
      docs.daily.deliveries[key][row.local_date] = toDelivery(row);
    }

    const games = await client.query<GameRow>(
      `${SELECT_GAMES} ${GROUP_GAMES} ORDER BY g.platform, g.workspace_id, g.channel_id`,
    );
    for (const row of games.rows) docs.games.sessions[row.key] = assembleGame(row);

    const results = await client.query<{
      platform: string;
      workspace_id: string;
      channel_id: string;
      game_id: string;
      data: unknown;
    }>(
      `SELECT platform, workspace_id, channel_id, game_id, data FROM quiz_results
       ORDER BY ended_at NULLS LAST, platform, workspace_id, channel_id, game_id`,
    );
    for (const row of results.rows) {
      const key = resultKey(channelOf(row), row.game_id);
      docs.results.results[key] = parseRow(resultSchema, row.data, 'quiz_results', key);
    }

    const scores = await client.query<{
      platform: string;
      workspace_id: string;
      period: string;
      user_id: string;
      display_name: string;
      points: number;
      games: number;
      correct: number;
      answered: number;
      updated_at: string;
    }>('SELECT * FROM scores ORDER BY platform, workspace_id, period, user_id');
    for (const row of scores.rows) {
      const ws = { platform: platformOf(row.platform), workspaceId: row.workspace_id };
      const key = scoreKey(ws, row.period);
      docs.results.scores[key] ??= { ...ws, period: row.period, users: {} };
      docs.results.scores[key].users[row.user_id] = parseRow(
        scoreEntrySchema,
        {
          displayName: row.display_name,
          points: row.points,
          games: row.games,
          correct: row.correct,
          answered: row.answered,
          updatedAt: row.updated_at,
        },
        'scores',
        `${key}:${row.user_id}`,
      );
    }

    const study = await client.query<StudyRow & { platform: string; workspace_id: string }>(
      `${SELECT_STUDY} ORDER BY r.platform, r.workspace_id, r.user_id`,
    );
    for (const row of study.rows) {
      const ws = { platform: platformOf(row.platform), workspaceId: row.workspace_id };
      docs.results.study[userKey(ws, row.user_id)] = studyRecordOf(ws, row);
    }

    const nights = await client.query<NightRow>(`${SELECT_NIGHTS} ORDER BY n.seq`);
    for (const row of nights.rows) {
      const night = assembleNight(row);
      docs.nights.nights[`${row.key}:${night.id}`] = night;
    }

    const learners = await client.query<LearnerRow>(
      'SELECT * FROM study_learners ORDER BY platform, workspace_id, user_id',
    );
    const learnerOf = (row: { platform: string; workspace_id: string; user_id: string }) => {
      const ws = { platform: platformOf(row.platform), workspaceId: row.workspace_id };
      const learner = docs.study.learners[userKey(ws, row.user_id)];
      if (!learner)
        throw new StoreError('corrupt', `study row of unknown learner ${userKey(ws, row.user_id)}`);
      return { ws, learner };
    };
    for (const row of learners.rows) {
      const ws = { platform: platformOf(row.platform), workspaceId: row.workspace_id };
      docs.study.learners[userKey(ws, row.user_id)] = {
        ...ws,
        userId: row.user_id,
        profile: profileOf(row),
        cards: {},
        log: [],
        reminded: {},
      };
    }
    type Keyed = { platform: string; workspace_id: string; user_id: string };
    const cards = await client.query<CardRow & Keyed>(
      `SELECT platform, workspace_id, user_id, ${CARD_COLUMNS} FROM study_cards
       ORDER BY platform, workspace_id, user_id, question_id`,
    );
    for (const row of cards.rows) {
      const { ws, learner } = learnerOf(row);
      learner.cards[row.question_id] = cardOf(row, ws, row.user_id);
    }
    const log = await client.query<Keyed & Parameters<typeof logOf>[0]>(
      'SELECT platform, workspace_id, user_id, question_id, at, rating, correct, source FROM study_log ORDER BY seq',
    );
    for (const row of log.rows) {
      const { ws, learner } = learnerOf(row);
      learner.log.push(logOf(row, ws, row.user_id));
    }
    const reminded = await client.query<Keyed & { local_date: string; at: Date }>(
      'SELECT * FROM study_reminded ORDER BY platform, workspace_id, user_id, local_date',
    );
    for (const row of reminded.rows) learnerOf(row).learner.reminded[row.local_date] = row.at.toISOString();

    const assignments = await client.query<{ data: unknown }>(
      'SELECT data FROM assignments ORDER BY platform, workspace_id, id',
    );
    for (const row of assignments.rows) {
      const a = assignmentOf(row);
      docs.assignments.assignments[assignmentKey(a.channel, a.id)] = a;
    }
    const progress = await client.query<{ data: unknown }>(
      'SELECT data FROM assignment_progress ORDER BY platform, workspace_id, assignment_id, user_id',
    );
    for (const row of progress.rows) {
      const p = progressOf(row);
      docs.assignments.progress[progressKey(p, p.assignmentId, p.userId)] = p;
    }

    const removed = await client.query<{ platform: string; workspace_id: string; removed_at: Date }>(
      'SELECT platform, workspace_id, removed_at FROM removed_workspaces ORDER BY removed_at, platform, workspace_id',
    );
    for (const row of removed.rows) {
      const key = workspaceKey({ platform: platformOf(row.platform), workspaceId: row.workspace_id });
      docs.workspaces.removed[key] = row.removed_at.toISOString();
    }

    const disputes = await client.query<DisputeRow>(
      'SELECT * FROM disputes ORDER BY platform, workspace_id, created_at, id',
    );
    for (const row of disputes.rows) {
      const d = disputeOf(row);
      docs.disputes.disputes[userKey(d, d.id)] = d;
    }
    return docs;
  });
}

/**
 * Writes every record of `input` in one transaction. The tables are locked against writes first
 * (a bot still running on the target waits, it does not interleave); if any holds a row the load
 * refuses, unless `replace`, which deletes every row first in the same transaction.
 */
export async function pgLoad(
  db: Db,
  input: FeatureDocs,
  options: { replace?: boolean; where: string },
): Promise<void> {
  const docs = checkDocs(input);
  const rows = rowsOf(docs);
  await db.tx(async (client) => {
    await client.query(`SET LOCAL lock_timeout = '30s'`);
    await client.query(`LOCK TABLE ${TABLES.join(', ')} IN EXCLUSIVE MODE`);
    if (!options.replace) {
      const held = await heldRows(client);
      if (held.length > 0)
        throw new StoreError('not-empty', `${options.where} already holds data (${held.join(', ')}).`);
    } else {
      for (const table of [...TABLES].reverse()) await client.query(`DELETE FROM ${table}`);
    }
    for (const table of TABLES) await insertRows(client, table, rows[table]);
  });
}

/** "subscriptions: 3 rows", for each table that has any. */
async function heldRows(client: Queryable): Promise<string[]> {
  const select = TABLES.map((t) => `(SELECT count(*) FROM ${t})::int AS ${t}`).join(', ');
  const { rows } = await client.query<Record<string, number>>(`SELECT ${select}`);
  const counts = rows[0] ?? {};
  return TABLES.filter((t) => (counts[t] ?? 0) > 0).map(
    (t) => `${t}: ${counts[t]} row${counts[t] === 1 ? '' : 's'}`,
  );
}

interface TableRows {
  /** Column name, SQL type and (when the column's own type differs) the expression storing it. */
  columns: [string, string, string?][];
  values: unknown[][];
}

const CHANNEL: [string, string][] = [
  ['platform', 'text'],
  ['workspace_id', 'text'],
  ['channel_id', 'text'],
];
const WORKSPACE: [string, string][] = [
  ['platform', 'text'],
  ['workspace_id', 'text'],
];

/**
 * The rows of every table, from documents already checked against the schemas. Each record's key
 * must be the one its content gives (the key PostgreSQL will have), or the copy would not read back
 * the same: a StoreError names the first records that do not fit.
 */
function rowsOf(docs: FeatureDocs): Record<(typeof TABLES)[number], TableRows> {
  const problems: string[] = [];
  const expect = (what: string, key: string, wanted: string) => {
    if (key !== wanted) problems.push(`${what} "${key}" holds the record of "${wanted}"`);
  };
  const ch = (c: ChannelRef) => [c.platform, c.workspaceId, c.channelId];
  const rows: Record<(typeof TABLES)[number], TableRows> = {
    workspace_settings: { columns: [...WORKSPACE, ['data', 'jsonb']], values: [] },
    subscriptions: { columns: [...CHANNEL, ['data', 'jsonb']], values: [] },
    deliveries: {
      columns: [
        ...CHANNEL,
        ['local_date', 'text'],
        ['status', 'text'],
        ['at', 'text'],
        ['message_id', 'text'],
        ['note', 'text'],
      ],
      values: [],
    },
    quiz_games: {
      columns: [...CHANNEL, ['game_id', 'text'], ['state', 'jsonb'], ['updated_at', 'timestamptz']],
      values: [],
    },
    quiz_answers: {
      columns: [...CHANNEL, ['game_id', 'text'], ['round', 'int'], ['user_id', 'text'], ['data', 'jsonb']],
      values: [],
    },
    quiz_results: {
      columns: [...CHANNEL, ['game_id', 'text'], ['ended_at', 'timestamptz'], ['data', 'jsonb']],
      values: [],
    },
    scores: {
      columns: [
        ...WORKSPACE,
        ['period', 'text'],
        ['user_id', 'text'],
        ['display_name', 'text'],
        ['points', 'float8'],
        ['games', 'int'],
        ['correct', 'int'],
        ['answered', 'int'],
        ['updated_at', 'text'],
      ],
      values: [],
    },
    study_records: {
      columns: [
        ...WORKSPACE,
        ['user_id', 'text'],
        ['display_name', 'text'],
        ['games', 'int'],
        ['practice_games', 'int'],
        ['topics', 'jsonb'],
        ['updated_at', 'text'],
      ],
      values: [],
    },
    study_history: {
      columns: [
        ...WORKSPACE,
        ['user_id', 'text'],
        ['question_id', 'text'],
        ['correct', 'bool'],
        ['at', 'text'],
        ['at_time', 'timestamptz'],
        ['source', 'text'],
      ],
      values: [],
    },
    quiz_nights: { columns: [...CHANNEL, ['id', 'text'], ['data', 'jsonb']], values: [] },
    quiz_night_runs: {
      columns: [
        ...CHANNEL,
        ['night_id', 'text'],
        ['local_date', 'text'],
        ['reminded', 'text'],
        ['started', 'text'],
        ['skipped', 'text'],
      ],
      values: [],
    },
    study_learners: {
      columns: [
        ...WORKSPACE,
        ['user_id', 'text'],
        ['new_per_day', 'int'],
        // A text[] column is loaded from JSON text: unnest cannot take an array of arrays.
        ['topics', 'jsonb', 'ARRAY(SELECT jsonb_array_elements_text(x.topics))'],
        ['reminder', 'jsonb'],
      ],
      values: [],
    },
    study_cards: {
      columns: [
        ...WORKSPACE,
        ['user_id', 'text'],
        ['question_id', 'text'],
        ['due', 'timestamptz'],
        ['stability', 'float8'],
        ['difficulty', 'float8'],
        ['elapsed_days', 'float8'],
        ['scheduled_days', 'float8'],
        ['learning_steps', 'int'],
        ['reps', 'int'],
        ['lapses', 'int'],
        ['state', 'text'],
        ['last_review', 'timestamptz'],
        ['added_at', 'timestamptz'],
        ['added_by', 'text'],
      ],
      values: [],
    },
    study_log: {
      columns: [
        ...WORKSPACE,
        ['user_id', 'text'],
        ['question_id', 'text'],
        ['at', 'timestamptz'],
        ['rating', 'int'],
        ['correct', 'bool'],
        ['source', 'text'],
      ],
      values: [],
    },
    study_reminded: {
      columns: [...WORKSPACE, ['user_id', 'text'], ['local_date', 'text'], ['at', 'timestamptz']],
      values: [],
    },
    assignments: {
      columns: [
        ...WORKSPACE,
        ['id', 'text'],
        ['channel_id', 'text'],
        ['created_at', 'timestamptz'],
        ['due_at', 'timestamptz'],
        ['closed_at', 'timestamptz'],
        ['reminded_at', 'timestamptz'],
        ['data', 'jsonb'],
      ],
      values: [],
    },
    assignment_progress: {
      columns: [
        ...WORKSPACE,
        ['assignment_id', 'text'],
        ['user_id', 'text'],
        ['started_at', 'timestamptz'],
        ['data', 'jsonb'],
      ],
      values: [],
    },
    removed_workspaces: { columns: [...WORKSPACE, ['removed_at', 'timestamptz']], values: [] },
    disputes: { columns: DISPUTE_COLUMNS, values: [] },
  };

  for (const [key, settings] of Object.entries(docs.settings.settings)) {
    const ws = refOf(key);
    if (!ws) problems.push(`settings "${key}" is not a workspace key (platform:workspace)`);
    else rows.workspace_settings.values.push([ws.platform, ws.workspaceId, json(settings)]);
  }

  const subscriptions = docs.daily.subscriptions;
  for (const [key, sub] of Object.entries(subscriptions)) {
    expect('subscription', key, channelKey(sub.channel));
    rows.subscriptions.values.push([...ch(sub.channel), json(sub)]);
  }
  for (const [key, byDate] of Object.entries(docs.daily.deliveries)) {
    // A channel's deliveries outlive its subscription; then the key alone names the channel.
    const channel = subscriptions[key]?.channel ?? channelFromKey(key);
    if (!channel || channelKey(channel) !== key) {
      problems.push(`deliveries "${key}" is not a channel key (platform:workspace:channel)`);
      continue;
    }
    for (const [date, d] of Object.entries(byDate))
      rows.deliveries.values.push([
        ...ch(channel),
        date,
        d.status,
        d.at,
        d.messageId ?? null,
        d.note ?? null,
      ]);
  }

  for (const [key, session] of Object.entries(docs.games.sessions)) {
    expect('running game', key, channelKey(session.channel));
    const c = ch(session.channel);
    rows.quiz_games.values.push([...c, session.id, json(stateOf(session)), timeOf(session.updatedAt)]);
    session.rounds.forEach((round, i) => {
      for (const [userId, answer] of Object.entries(round.answers))
        rows.quiz_answers.values.push([...c, session.id, i, userId, json(answer)]);
    });
  }

  for (const [key, result] of Object.entries(docs.results.results)) {
    expect('result', key, resultKey(result.channel, result.id));
    rows.quiz_results.values.push([...ch(result.channel), result.id, timeOf(result.endedAt), json(result)]);
  }
  for (const [key, board] of Object.entries(docs.results.scores)) {
    expect('score board', key, scoreKey(board, board.period));
    for (const [userId, e] of Object.entries(board.users))
      rows.scores.values.push([
        board.platform,
        board.workspaceId,
        board.period,
        userId,
        e.displayName,
        e.points,
        e.games,
        e.correct,
        e.answered,
        e.updatedAt,
      ]);
  }
  for (const [key, record] of Object.entries(docs.results.study)) {
    expect('study record', key, userKey(record, record.userId));
    rows.study_records.values.push([
      record.platform,
      record.workspaceId,
      record.userId,
      record.displayName,
      record.games,
      record.practiceGames,
      json(record.topics),
      record.updatedAt,
    ]);
    for (const entry of record.history)
      rows.study_history.values.push([
        record.platform,
        record.workspaceId,
        record.userId,
        entry.questionId,
        entry.correct,
        entry.at,
        timeOf(entry.at),
        entry.source ?? null,
      ]);
  }

  for (const [key, night] of Object.entries(docs.nights.nights)) {
    expect('quiz night', key, `${channelKey(night.channel)}:${night.id}`);
    const { runs, ...definition } = night;
    const c = ch(night.channel);
    rows.quiz_nights.values.push([...c, night.id, json(definition)]);
    for (const [date, run] of Object.entries(runs))
      rows.quiz_night_runs.values.push([
        ...c,
        night.id,
        date,
        run.reminded ?? null,
        run.started ?? null,
        run.skipped ?? null,
      ]);
  }

  for (const [key, learner] of Object.entries(docs.study.learners)) {
    expect('learner', key, userKey(learner, learner.userId));
    const who = [learner.platform, learner.workspaceId, learner.userId];
    const p = learner.profile;
    rows.study_learners.values.push([
      ...who,
      p.newPerDay,
      json(p.topics),
      p.reminder ? json(p.reminder) : null,
    ]);
    const when = (what: string, iso: string | undefined) => {
      if (iso === undefined) return null;
      const t = timeOf(iso);
      if (!t) problems.push(`${what} of learner "${key}" is not a time ("${iso.slice(0, 40)}")`);
      return t;
    };
    for (const [id, c] of Object.entries(learner.cards)) {
      expect(`card of learner "${key}"`, id, c.questionId);
      rows.study_cards.values.push([
        ...who,
        c.questionId,
        when("a card's due time", c.due),
        c.stability,
        c.difficulty,
        c.elapsedDays,
        c.scheduledDays,
        c.learningSteps,
        c.reps,
        c.lapses,
        c.state,
        when("a card's last review", c.lastReview),
        when("a card's added time", c.addedAt),
        c.addedBy,
      ]);
    }
    for (const e of learner.log)
      rows.study_log.values.push([
        ...who,
        e.questionId,
        when('a log entry', e.at),
        e.rating,
        e.correct,
        e.source,
      ]);
    for (const [date, at] of Object.entries(learner.reminded))
      rows.study_reminded.values.push([...who, date, when('a reminder claim', at)]);
  }

  for (const [key, a] of Object.entries(docs.assignments.assignments)) {
    expect('assignment', key, assignmentKey(a.channel, a.id));
    rows.assignments.values.push(assignmentRow(a));
  }
  for (const [key, p] of Object.entries(docs.assignments.progress)) {
    expect('assignment progress', key, progressKey(p, p.assignmentId, p.userId));
    if (!docs.assignments.assignments[assignmentKey(p, p.assignmentId)])
      problems.push(`assignment progress "${key}" belongs to no assignment`);
    else rows.assignment_progress.values.push(progressRow(p));
  }

  for (const [key, at] of Object.entries(docs.workspaces.removed)) {
    const ws = refOf(key);
    const time = timeOf(at);
    if (!ws) problems.push(`removed workspace "${key}" is not a workspace key (platform:workspace)`);
    else if (!time) problems.push(`removed workspace "${key}" has no valid removal time ("${at}")`);
    else rows.removed_workspaces.values.push([ws.platform, ws.workspaceId, time]);
  }

  for (const [key, d] of Object.entries(docs.disputes.disputes)) {
    expect('dispute report', key, userKey(d, d.id));
    for (const [what, iso] of [
      ['filed', d.createdAt],
      ['closed', d.closedAt],
      ['seen', d.seenAt],
    ] as const)
      if (iso !== undefined && !timeOf(iso))
        problems.push(`dispute report "${key}" has no valid ${what} time`);
    rows.disputes.values.push(disputeValues(d));
  }

  if (problems.length > 0) {
    const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : '';
    throw new StoreError(
      'corrupt',
      `Cannot copy these records as they are: ${problems.slice(0, 5).join('; ')}${more}. Nothing was changed.`,
    );
  }
  return rows;
}

/** `platform:workspace:channel` (ids hold no colon on any platform). */
function channelFromKey(key: string): ChannelRef | undefined {
  const parts = key.split(':');
  const platform = platformSchema.safeParse(parts[0]);
  if (parts.length !== 3 || !platform.success) return undefined;
  return { platform: platform.data, workspaceId: parts[1]!, channelId: parts[2]! };
}

/** Inserts rows in chunks, each one statement over column arrays, keeping their order (and so `seq`). */
async function insertRows(client: Queryable, table: string, rows: TableRows): Promise<void> {
  const names = rows.columns.map(([name]) => name).join(', ');
  const arrays = rows.columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ');
  const selected = rows.columns.map(([name, , stored]) => stored ?? `x.${name}`).join(', ');
  const sql = `INSERT INTO ${table} (${names})
    SELECT ${selected} FROM unnest(${arrays}) WITH ORDINALITY AS x(${names}, ord) ORDER BY ord`;
  for (let start = 0; start < rows.values.length; start += CHUNK) {
    const chunk = rows.values.slice(start, start + CHUNK);
    await client.query(
      sql,
      rows.columns.map((_, i) => chunk.map((row) => row[i])),
    );
  }
}

function platformOf(value: string) {
  return parseRow(platformSchema, value, 'platform column', value);
}
