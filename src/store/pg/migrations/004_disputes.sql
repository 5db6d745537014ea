-- Reports of problems with questions, per workspace. Open until a host accepts or rejects them;
-- closed ones are pruned after a year. A forgotten reporter's rows keep everything but user id and name.

CREATE TABLE disputes (
  platform text NOT NULL,
  workspace_id text NOT NULL,
  id text NOT NULL,
  channel_id text NOT NULL,
  question_id text NOT NULL,
  reason text NOT NULL CHECK (reason IN ('wrong-answer', 'ambiguous', 'source', 'typo', 'other')),
  body text NOT NULL,
  user_id text,
  user_name text,
  created_at timestamptz NOT NULL,
  status text NOT NULL CHECK (status IN ('open', 'accepted', 'rejected')),
  closed_at timestamptz,
  note text,
  seen_at timestamptz,
  PRIMARY KEY (platform, workspace_id, id)
);
CREATE INDEX disputes_open ON disputes (platform, workspace_id, question_id) WHERE status = 'open';
CREATE INDEX disputes_user ON disputes (platform, workspace_id, user_id, created_at);
CREATE INDEX disputes_closed_at ON disputes (closed_at) WHERE status <> 'open';
