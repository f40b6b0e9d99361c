-- Up Migration

-- Alert intake (issue 9): every webhook delivery as it came, the alert groups the on-call engineer
-- sees (one Slack message each) and the alerts inside them.

-- Each accepted delivery, as received: what an operator reads when a normalisation looks wrong.
-- A re-delivery of the same bytes is a row of its own (a receipt log), though it changes no alert.
CREATE TABLE alert_payloads (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  source      text        NOT NULL,
  received_at timestamptz NOT NULL,
  body        jsonb       NOT NULL,
  request_id  text,                                   -- the router's request reference, when known
  alert_count integer     NOT NULL CHECK (alert_count >= 0)
);
CREATE INDEX alert_payloads_received ON alert_payloads (received_at);

-- An alert group: alerts of one source with one grouping key, shown as one Slack message. PagerDuty's
-- semantics: at most one OPEN group per (source, group_key); once it resolves, the next trigger of
-- that key opens a new group (alert_groups_one_open). `version` counts the changes the message shows:
-- each is one slack.update, keyed by it.
CREATE TABLE alert_groups (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  source          text        NOT NULL,
  group_key       text        NOT NULL,
  state           text        NOT NULL CHECK (state IN ('open', 'resolved')),
  opened_at       timestamptz NOT NULL,
  resolved_at     timestamptz,
  channel         text        NOT NULL,               -- where toban.yml routes sent it
  policy          text,                                -- its escalation policy (toban.yml id)
  severity        text        NOT NULL CHECK (severity IN ('critical', 'error', 'warning', 'info')),
  title           text        NOT NULL,
  summary         text,
  service         text,
  labels          jsonb       NOT NULL DEFAULT '{}',   -- the labels of the alert that opened it
  links           jsonb       NOT NULL DEFAULT '{}',   -- runbook / dashboard / source URLs
  firing_count    integer     NOT NULL DEFAULT 0,
  resolved_count  integer     NOT NULL DEFAULT 0,
  first_seen      timestamptz NOT NULL,
  last_seen       timestamptz NOT NULL,
  acknowledged_by text,
  acknowledged_at timestamptz,
  silenced_until  timestamptz,
  escalation_step integer     NOT NULL DEFAULT 0,
  version         integer     NOT NULL DEFAULT 0,
  -- Whether it has a Slack message: a group opened by a resolved delivery of an alert toban never
  -- saw firing (a firing delivery lost or late) is kept, so a late firing stays resolved, but shown to nobody.
  has_message     boolean     NOT NULL,
  CHECK ((state = 'resolved') = (resolved_at IS NOT NULL))
);
CREATE UNIQUE INDEX alert_groups_one_open ON alert_groups (source, group_key) WHERE state = 'open';
CREATE INDEX alert_groups_by_key ON alert_groups (source, group_key, id);
CREATE INDEX alert_groups_open ON alert_groups (opened_at) WHERE state = 'open';

-- One alert (a source's fingerprint) within a group. Its state is that of the delivery with the
-- newest event time: starts_at for a firing delivery, ends_at for a resolved one.
CREATE TABLE alerts (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  group_id     bigint      NOT NULL REFERENCES alert_groups (id) ON DELETE CASCADE,
  fingerprint  text        NOT NULL,
  status       text        NOT NULL CHECK (status IN ('firing', 'resolved')),
  severity     text        NOT NULL CHECK (severity IN ('critical', 'error', 'warning', 'info')),
  title        text        NOT NULL,
  starts_at    timestamptz NOT NULL,
  ends_at      timestamptz,
  labels       jsonb       NOT NULL DEFAULT '{}',
  annotations  jsonb       NOT NULL DEFAULT '{}',
  links        jsonb       NOT NULL DEFAULT '{}',
  last_payload bigint      REFERENCES alert_payloads (id) ON DELETE SET NULL,
  UNIQUE (group_id, fingerprint)
);
CREATE INDEX alerts_fingerprint ON alerts (fingerprint, group_id);
CREATE INDEX alerts_last_payload ON alerts (last_payload);

GRANT SELECT, INSERT, UPDATE, DELETE ON alert_payloads, alert_groups, alerts TO toban_app;
GRANT USAGE ON SEQUENCE alert_payloads_id_seq, alert_groups_id_seq, alerts_id_seq TO toban_app;

-- Down Migration
DROP TABLE alerts;
DROP TABLE alert_groups;
DROP TABLE alert_payloads;
