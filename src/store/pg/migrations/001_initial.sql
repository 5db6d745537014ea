-- thawbot's tables. Every row carries its platform and workspace id, so one workspace's data is
-- listed, counted and deleted with plain equality (no key prefixes to get wrong).
-- Times copied from records stay text, exactly as written; a timestamptz column beside them is
-- what SQL sorts and prunes by (NULL when the text is not a time: retention never deletes those).

CREATE TABLE workspace_settings (
  platform text NOT NULL,
  workspace_id text NOT NULL,
  data jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (platform, workspace_id)
);

CREATE TABLE subscriptions (
  platform text NOT NULL,
  workspace_id text NOT NULL,
  channel_id text NOT NULL,
  data jsonb NOT NULL,
  PRIMARY KEY (platform, workspace_id, channel_id)
);

-- One row per channel and local date: the primary key is the claim.
CREATE TABLE deliveries (
  platform text NOT NULL,
  workspace_id text NOT NULL,
  channel_id text NOT NULL,
  local_date text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'sent', 'skipped', 'failed')),
  at text NOT NULL,
  message_id text,
  note text,
  PRIMARY KEY (platform, workspace_id, channel_id, local_date)
);
CREATE INDEX deliveries_pending ON deliveries (platform, workspace_id, channel_id) WHERE status = 'pending';
CREATE INDEX deliveries_local_date ON deliveries (local_date);

-- One running game per channel; its answers live in quiz_answers, one row per game, round and user.
CREATE TABLE quiz_games (
  platform text NOT NULL,
  workspace_id text NOT NULL,
  channel_id text NOT NULL,
  game_id text NOT NULL,
  state jsonb NOT NULL,
  updated_at timestamptz,
  PRIMARY KEY (platform, workspace_id, channel_id),
  UNIQUE (platform, workspace_id, channel_id, game_id)
);
CREATE INDEX quiz_games_updated_at ON quiz_games (updated_at);

CREATE TABLE quiz_answers (
  platform text NOT NULL,
  workspace_id text NOT NULL,
  channel_id text NOT NULL,
  game_id text NOT NULL,
  round integer NOT NULL,
  user_id text NOT NULL,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  data jsonb NOT NULL,
  PRIMARY KEY (platform, workspace_id, channel_id, game_id, round, user_id),
  FOREIGN KEY (platform, workspace_id, channel_id, game_id)
    REFERENCES quiz_games (platform, workspace_id, channel_id, game_id) ON DELETE CASCADE
);

CREATE TABLE quiz_results (
  platform text NOT NULL,
  workspace_id text NOT NULL,
  channel_id text NOT NULL,
  game_id text NOT NULL,
  ended_at timestamptz,
  data jsonb NOT NULL,
  PRIMARY KEY (platform, workspace_id, channel_id, game_id)
);
CREATE INDEX quiz_results_recent ON quiz_results (platform, workspace_id, channel_id, ended_at DESC);
CREATE INDEX quiz_results_ended_at ON quiz_results (ended_at);

-- Leaderboards: one row per workspace, period ("all" or "YYYY-MM") and user.
CREATE TABLE scores (
  platform text NOT NULL,
  workspace_id text NOT NULL,
  period text NOT NULL,
  user_id text NOT NULL,
  display_name text NOT NULL,
  points double precision NOT NULL,
  games integer NOT NULL,
  correct integer NOT NULL,
  answered integer NOT NULL,
  updated_at text NOT NULL,
  PRIMARY KEY (platform, workspace_id, period, user_id)
);
-- The top-N query reads this index in order and stops.
CREATE INDEX scores_top ON scores (platform, workspace_id, period, points DESC, display_name COLLATE "C", user_id);

-- A player's totals; the answer history is its own table so pruning and appending stay cheap.
CREATE TABLE study_records (
  platform text NOT NULL,
  workspace_id text NOT NULL,
  user_id text NOT NULL,
  display_name text NOT NULL,
  games integer NOT NULL,
  practice_games integer NOT NULL,
  topics jsonb NOT NULL,
  updated_at text NOT NULL,
  PRIMARY KEY (platform, workspace_id, user_id)
);

CREATE TABLE study_history (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  platform text NOT NULL,
  workspace_id text NOT NULL,
  user_id text NOT NULL,
  question_id text NOT NULL,
  correct boolean NOT NULL,
  at text NOT NULL,
  at_time timestamptz,
  source text,
  FOREIGN KEY (platform, workspace_id, user_id)
    REFERENCES study_records (platform, workspace_id, user_id) ON DELETE CASCADE
);
CREATE INDEX study_history_user ON study_history (platform, workspace_id, user_id, seq);
CREATE INDEX study_history_at_time ON study_history (at_time);

-- Quiz nights; each night's runs by local date are rows of their own, so a step is claimed once.
CREATE TABLE quiz_nights (
  platform text NOT NULL,
  workspace_id text NOT NULL,
  channel_id text NOT NULL,
  id text NOT NULL,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  data jsonb NOT NULL,
  PRIMARY KEY (platform, workspace_id, channel_id, id)
);

CREATE TABLE quiz_night_runs (
  platform text NOT NULL,
  workspace_id text NOT NULL,
  channel_id text NOT NULL,
  night_id text NOT NULL,
  local_date text NOT NULL,
  reminded text,
  started text,
  skipped text,
  PRIMARY KEY (platform, workspace_id, channel_id, night_id, local_date),
  FOREIGN KEY (platform, workspace_id, channel_id, night_id)
    REFERENCES quiz_nights (platform, workspace_id, channel_id, id) ON DELETE CASCADE
);
CREATE INDEX quiz_night_runs_local_date ON quiz_night_runs (local_date);

CREATE TABLE removed_workspaces (
  platform text NOT NULL,
  workspace_id text NOT NULL,
  removed_at timestamptz NOT NULL,
  PRIMARY KEY (platform, workspace_id)
);

-- probe() writes here: a readiness check that proves writes work, not just connections.
CREATE TABLE thawbot_probe (
  id integer PRIMARY KEY,
  at timestamptz NOT NULL
);
