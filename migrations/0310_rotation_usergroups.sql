-- Up Migration

-- The members toban last set in each Slack user group (rotation.usergroup), so the handoff job sets
-- a group only when the people on duty in the rotations sharing it change (src/services/rotations/
-- handoffs.ts). Written under a transaction-scoped advisory lock per group, in the transaction that
-- records the handoff and writes the slack.usergroup outbox row.
CREATE TABLE rotation_usergroups (
  usergroup text        PRIMARY KEY,
  -- Slack user ids, sorted, without repeats.
  users     text[]      NOT NULL,
  set_at    timestamptz NOT NULL
);

GRANT SELECT, INSERT, UPDATE, DELETE ON rotation_usergroups TO toban_app;

-- Down Migration
DROP TABLE rotation_usergroups;
