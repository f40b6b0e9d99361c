-- Up Migration

-- Durable side effects. A row is written in the same transaction as the state change that causes
-- it; workers deliver it later, so a crash or an outage delays a message but never loses it.
CREATE TABLE outbox (
  id               bigserial PRIMARY KEY,
  kind             text        NOT NULL,            -- slack.post, slack.update, slack.respond, github.issue, ...
  payload          jsonb       NOT NULL,
  -- Rows with the same ordering key are delivered one at a time, in id order (a message, then its updates).
  ordering_key     text        NOT NULL,
  idempotency_key  text        UNIQUE,
  state            text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'dead')),
  attempts         integer     NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  last_error       text,
  result           jsonb,
  created_at       timestamptz NOT NULL DEFAULT now(),
  delivered_at     timestamptz
);
CREATE INDEX outbox_pending ON outbox (next_attempt_at, id) WHERE state = 'pending';
CREATE INDEX outbox_pending_order ON outbox (ordering_key, id) WHERE state = 'pending';

-- Where a posted message landed, so later rows can update it by a stable reference (alert-group:42).
CREATE TABLE slack_messages (
  ref         text PRIMARY KEY,
  channel     text NOT NULL,
  ts          text NOT NULL,
  posted_at   timestamptz NOT NULL DEFAULT now()
);

-- One row per (job, scheduled time): the unique key is what makes a firing happen once across replicas.
CREATE TABLE job_firings (
  job         text        NOT NULL,
  fire_at     timestamptz NOT NULL,
  claimed_by  text        NOT NULL,
  claimed_at  timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  error       text,
  PRIMARY KEY (job, fire_at)
);

-- Who asked what, allowed or refused. Append-only: the database refuses updates and deletes.
CREATE TABLE audit_log (
  id        bigserial PRIMARY KEY,
  at        timestamptz NOT NULL DEFAULT now(),
  actor     text        NOT NULL,
  action    text        NOT NULL,
  args      jsonb       NOT NULL DEFAULT '{}',
  outcome   text        NOT NULL CHECK (outcome IN ('allowed', 'refused', 'error', 'changed')),
  row_count integer,
  detail    text
);
CREATE INDEX audit_log_actor_at ON audit_log (actor, at);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END $$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- Down Migration
DROP TABLE audit_log;
DROP FUNCTION audit_log_append_only();
DROP TABLE job_firings;
DROP TABLE slack_messages;
DROP TABLE outbox;
