-- Up Migration

-- A storm is escalated as ONE page (issue 9 items 6 and 8; services/alerts/storm-escalation.ts). The
-- groups folded into a storm summary have no message of their own and are not escalated one by one
-- (one line per group in the summary's thread would be hundreds of posts at Slack's ~1 post/s); the
-- storm walks one escalation policy instead, and **Acknowledge all** on its summary stops it.
--
-- acknowledged_by/at: who pressed Acknowledge all (cleared when a group folded in after it restarts
--   the storm's escalation). escalation_epoch: how many times the escalation (re)started; each start
--   walks the policy from step 1 at escalation_started_at (NULL: the storm's started_at).
--   escalation_step: the 1-based step last sent in this epoch, for the summary.
ALTER TABLE alert_storms
  ADD COLUMN acknowledged_by       text,
  ADD COLUMN acknowledged_at       timestamptz,
  ADD COLUMN escalation_epoch      integer NOT NULL DEFAULT 0,
  ADD COLUMN escalation_started_at timestamptz,
  ADD COLUMN escalation_step       integer;

-- Every escalation notification sent for a storm: a policy step (key `step:<round>:<step>` of
-- src/domain/escalation.ts) of one epoch, with the policy it was walked under. Written in the
-- transaction of its outbox rows (one line in the summary's thread, one DM per person), under the
-- storm's row lock, so however many replicas or re-runs try, each is sent once.
CREATE TABLE alert_storm_notifications (
  storm_id bigint      NOT NULL REFERENCES alert_storms (id) ON DELETE CASCADE,
  epoch    integer     NOT NULL,
  key      text        NOT NULL,
  policy   text        NOT NULL,
  round    integer     NOT NULL,
  step     integer     NOT NULL,
  due_at   timestamptz NOT NULL,
  sent_at  timestamptz NOT NULL,
  targets  jsonb       NOT NULL DEFAULT '[]',
  PRIMARY KEY (storm_id, epoch, key)
);

-- "Which storms have an open folded group nobody acknowledged": read by the escalation job every minute.
CREATE INDEX alert_groups_storm_open ON alert_groups (storm_id)
  WHERE storm_id IS NOT NULL AND state = 'open' AND acknowledged_at IS NULL;

GRANT SELECT, INSERT, UPDATE, DELETE ON alert_storm_notifications TO toban_app;

-- Down Migration
DROP INDEX alert_groups_storm_open;
DROP TABLE alert_storm_notifications;
ALTER TABLE alert_storms
  DROP COLUMN escalation_step,
  DROP COLUMN escalation_started_at,
  DROP COLUMN escalation_epoch,
  DROP COLUMN acknowledged_at,
  DROP COLUMN acknowledged_by;
