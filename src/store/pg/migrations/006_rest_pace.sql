-- The pace shared by every process calling one platform's API for the same bot: Discord's global
-- limit (about 50 requests a second) is per bot, not per process. One row per limit ("discord"):
-- the earliest moment the next request may go, on the database's clock.
CREATE TABLE rest_pace (
  name text PRIMARY KEY,
  next_at timestamptz NOT NULL
);
