-- Personal review: each learner's profile, FSRS cards, answer log and reminder claims, per workspace.
-- The learner row is the parent: deleting it (forgetting a learner or a workspace) takes the rest.

CREATE TABLE study_learners (
  platform text NOT NULL,
  workspace_id text NOT NULL,
  user_id text NOT NULL,
  new_per_day integer NOT NULL,
  topics text[] NOT NULL,
  -- {time, timezone, paused?}; NULL without a reminder.
  reminder jsonb,
  PRIMARY KEY (platform, workspace_id, user_id)
);
CREATE INDEX study_learners_reminders ON study_learners (platform, workspace_id, user_id) WHERE reminder IS NOT NULL;

-- One row per learner and question, the FSRS card in columns (smaller and faster than jsonb).
CREATE TABLE study_cards (
  platform text NOT NULL,
  workspace_id text NOT NULL,
  user_id text NOT NULL,
  question_id text NOT NULL,
  due timestamptz NOT NULL,
  stability double precision NOT NULL,
  difficulty double precision NOT NULL,
  elapsed_days double precision NOT NULL,
  scheduled_days double precision NOT NULL,
  learning_steps integer NOT NULL,
  reps integer NOT NULL,
  lapses integer NOT NULL,
  state text NOT NULL CHECK (state IN ('new', 'learning', 'review', 'relearning')),
  last_review timestamptz,
  added_at timestamptz NOT NULL,
  added_by text NOT NULL,
  PRIMARY KEY (platform, workspace_id, user_id, question_id),
  FOREIGN KEY (platform, workspace_id, user_id)
    REFERENCES study_learners (platform, workspace_id, user_id) ON DELETE CASCADE
);
-- The next due card is the first entry of this index for the learner.
CREATE INDEX study_cards_due ON study_cards (platform, workspace_id, user_id, due, question_id);

CREATE TABLE study_log (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  platform text NOT NULL,
  workspace_id text NOT NULL,
  user_id text NOT NULL,
  question_id text NOT NULL,
  at timestamptz NOT NULL,
  rating smallint NOT NULL CHECK (rating BETWEEN 1 AND 4),
  correct boolean NOT NULL,
  source text NOT NULL,
  FOREIGN KEY (platform, workspace_id, user_id)
    REFERENCES study_learners (platform, workspace_id, user_id) ON DELETE CASCADE
);
CREATE INDEX study_log_user ON study_log (platform, workspace_id, user_id, at);
CREATE INDEX study_log_at ON study_log (at);

-- One row per learner and local date: the primary key is the reminder's claim.
CREATE TABLE study_reminded (
  platform text NOT NULL,
  workspace_id text NOT NULL,
  user_id text NOT NULL,
  local_date text NOT NULL,
  at timestamptz NOT NULL,
  PRIMARY KEY (platform, workspace_id, user_id, local_date),
  FOREIGN KEY (platform, workspace_id, user_id)
    REFERENCES study_learners (platform, workspace_id, user_id) ON DELETE CASCADE
);
CREATE INDEX study_reminded_local_date ON study_reminded (local_date);
