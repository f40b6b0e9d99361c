-- Up Migration

-- Outbox reliability (issue 6: faults 1, 2, 4, 11, 12, 14, 15).

-- Which transport a row was written for (fault 11): a console-mode toban sharing the database with
-- a Slack-mode one delivers only its own rows, and the other way round.
ALTER TABLE outbox ADD COLUMN transport text NOT NULL DEFAULT 'slack' CHECK (transport IN ('slack', 'console'));

-- When the row was first tried, by the database's clock: the look-up for an earlier post after an
-- unknown outcome reads the channel from there (minus a margin), following the cursor (fault 1).
ALTER TABLE outbox ADD COLUMN first_attempt_at timestamptz;

-- Since when the row has been waiting: a row goes dead when it is older than the age limit (24 h by
-- default), not after a number of attempts (fault 4). `toban outbox retry` starts the clock again.
ALTER TABLE outbox ADD COLUMN queued_at timestamptz NOT NULL DEFAULT now();
UPDATE outbox SET queued_at = created_at;

-- What a delivery made durable before its outcome was known (e.g. the id of an uploaded file not yet
-- shared into its channel), so a retry finishes that delivery instead of starting a second one.
ALTER TABLE outbox ADD COLUMN progress jsonb;

-- Dependencies by message reference (fault 12): the ref a row's message is recorded under, and the
-- ref it needs posted first (an update, a thread reply). When a row goes dead, the rows that depend on
-- its ref fail with it at once instead of waiting for their age limit and blocking their key.
ALTER TABLE outbox ADD COLUMN provides_ref text;
ALTER TABLE outbox ADD COLUMN needs_ref text;
UPDATE outbox SET
  provides_ref = CASE WHEN kind = 'slack.post' THEN payload ->> 'ref' END,
  needs_ref = CASE WHEN kind = 'slack.update' THEN payload ->> 'ref' ELSE payload ->> 'threadRef' END;
CREATE INDEX outbox_needs_ref ON outbox (needs_ref) WHERE state = 'pending' AND needs_ref IS NOT NULL;
CREATE INDEX outbox_provides_ref ON outbox (provides_ref) WHERE state = 'dead' AND provides_ref IS NOT NULL;

-- Claiming reads only the rows that can still be delivered (fault 15). The old indexes were partial
-- too, but the claim ordered by id, and with stale statistics the planner walked the primary key
-- through every delivered row. Claims now order by (next_attempt_at, id) on this index.
DROP INDEX outbox_pending;
DROP INDEX outbox_pending_order;
CREATE INDEX outbox_deliverable ON outbox (transport, next_attempt_at, id) WHERE state = 'pending';
CREATE INDEX outbox_deliverable_order ON outbox (transport, ordering_key, id) WHERE state = 'pending';
CREATE INDEX outbox_dead ON outbox (id) WHERE state = 'dead';

-- Slack's Retry-After pauses, shared by every replica (fault 14). A scope is what Slack limits: a
-- Web API method per workspace ("conversations.history"), or chat.postMessage per channel
-- ("chat.postMessage:C0123"). A row is never deleted by the bot at a bad moment: an expired pause
-- is simply in the past, and the next 429 overwrites it.
CREATE TABLE slack_rate_pauses (
  scope  text PRIMARY KEY,
  until  timestamptz NOT NULL,
  reason text
);

GRANT SELECT, INSERT, UPDATE, DELETE ON slack_rate_pauses TO toban_app;

-- Down Migration
DROP TABLE slack_rate_pauses;
DROP INDEX outbox_dead;
DROP INDEX outbox_deliverable_order;
DROP INDEX outbox_deliverable;
CREATE INDEX outbox_pending ON outbox (next_attempt_at, id) WHERE state = 'pending';
CREATE INDEX outbox_pending_order ON outbox (ordering_key, id) WHERE state = 'pending';
DROP INDEX outbox_provides_ref;
DROP INDEX outbox_needs_ref;
ALTER TABLE outbox DROP COLUMN needs_ref, DROP COLUMN provides_ref, DROP COLUMN progress,
  DROP COLUMN queued_at, DROP COLUMN first_attempt_at, DROP COLUMN transport;
