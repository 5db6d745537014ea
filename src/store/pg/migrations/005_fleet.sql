-- Several processes on one database: the scheduler lease, the Slack replay memory and the quiz
-- step claims. None of it is about a person, and all of it is short-lived coordination.

-- One row per lease ("scheduler"): the process holding it and until when (the database's clock).
CREATE TABLE fleet_leases (
  name text PRIMARY KEY,
  holder text NOT NULL,
  expires_at timestamptz NOT NULL,
  since timestamptz NOT NULL
);

-- Signed Slack requests already accepted, kept while Slack's five-minute window would accept them.
CREATE TABLE request_signatures (
  signature text PRIMARY KEY,
  expires_at timestamptz NOT NULL
);
CREATE INDEX request_signatures_expires_at ON request_signatures (expires_at);

-- The steps a game has taken ("reveal:2", "ask:3"): each is stored by exactly one process.
ALTER TABLE quiz_games ADD COLUMN steps text[] NOT NULL DEFAULT '{}';
