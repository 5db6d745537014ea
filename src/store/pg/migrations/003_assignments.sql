-- Assignments: the assignment (its fixed question set and due time as jsonb, with the columns the
-- reminder and retention look at) and each learner's progress. Progress goes with its assignment.

CREATE TABLE assignments (
  platform text NOT NULL,
  workspace_id text NOT NULL,
  id text NOT NULL,
  channel_id text NOT NULL,
  created_at timestamptz NOT NULL,
  due_at timestamptz NOT NULL,
  closed_at timestamptz,
  -- The day-before reminder's claim: set once, by one process.
  reminded_at timestamptz,
  data jsonb NOT NULL,
  PRIMARY KEY (platform, workspace_id, id)
);
CREATE INDEX assignments_awaiting ON assignments (due_at) WHERE closed_at IS NULL AND reminded_at IS NULL;

CREATE TABLE assignment_progress (
  platform text NOT NULL,
  workspace_id text NOT NULL,
  assignment_id text NOT NULL,
  user_id text NOT NULL,
  started_at timestamptz NOT NULL,
  data jsonb NOT NULL,
  PRIMARY KEY (platform, workspace_id, assignment_id, user_id),
  FOREIGN KEY (platform, workspace_id, assignment_id)
    REFERENCES assignments (platform, workspace_id, id) ON DELETE CASCADE
);
CREATE INDEX assignment_progress_user ON assignment_progress (platform, workspace_id, user_id);
