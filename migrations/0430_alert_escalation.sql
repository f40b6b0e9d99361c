-- Up Migration

-- Escalation and heartbeats, running (issue 9, items 6 and 9).

-- Every escalation notification sent for an alert group: a policy step (key `step:<round>:<step>`)
-- or a reminder of an acknowledged group (`remind:<acknowledgedAt ms>:<n>`), the keys of
-- src/domain/escalation.ts. Written in the transaction of its outbox rows (mentions in the group's
-- thread, DMs), so however many replicas or re-runs try, each notification is sent once.
-- targets: what the step named, with whom it reached: [{"target": "rotation:primary", "user": "U…"}].
CREATE TABLE alert_notifications (
  group_id bigint      NOT NULL REFERENCES alert_groups (id) ON DELETE CASCADE,
  key      text        NOT NULL,
  kind     text        NOT NULL CHECK (kind IN ('step', 'reminder')),
  round    integer,
  step     integer,
  reminder integer,
  due_at   timestamptz NOT NULL,
  sent_at  timestamptz NOT NULL,
  targets  jsonb       NOT NULL DEFAULT '[]',
  PRIMARY KEY (group_id, key),
  CHECK ((kind = 'step') = (round IS NOT NULL AND step IS NOT NULL)),
  CHECK ((kind = 'reminder') = (reminder IS NOT NULL))
);

-- One row per heartbeat of toban.yml (src/domain/heartbeat.ts): since when toban watches it (the
-- first check or beat with it configured) and its last beat (POST /hooks/heartbeat/:name).
CREATE TABLE heartbeats (
  name           text        PRIMARY KEY,
  watching_since timestamptz NOT NULL,
  last_beat_at   timestamptz,
  beats          bigint      NOT NULL DEFAULT 0
);

GRANT SELECT, INSERT, UPDATE, DELETE ON alert_notifications, heartbeats TO toban_app;

-- Down Migration
DROP TABLE heartbeats;
DROP TABLE alert_notifications;
