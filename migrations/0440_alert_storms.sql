-- Up Migration

-- Alert storms (issue 9 item 8): when a channel gets more new alert groups than Slack can show at
-- about one post per second, the new groups are not posted one by one but folded into ONE storm
-- summary per channel, updated in place (services/alerts/storm.ts, the rule in domain/alert-storm.ts).
-- A folded group keeps its row (reachable from /alerts and listed by id in the summary) but gets no
-- message of its own (has_message false, storm_id set).
--
-- `version` moves on with every fold; `shown_version` is the version the last message written to the
-- outbox showed. The refresh job writes one slack.update when they differ and the previous message of
-- the storm has left the outbox, so updates coalesce however fast groups arrive.
CREATE TABLE alert_storms (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  channel       text        NOT NULL,
  started_at    timestamptz NOT NULL,
  last_group_at timestamptz NOT NULL,                 -- the storm is over STORM_WINDOW after this
  group_count   integer     NOT NULL DEFAULT 0 CHECK (group_count >= 0),
  version       integer     NOT NULL DEFAULT 0,
  shown_version integer     NOT NULL DEFAULT 0,
  shown_at      timestamptz,
  ended_shown   boolean     NOT NULL DEFAULT false    -- the summary has said the storm is over
);
CREATE INDEX alert_storms_channel ON alert_storms (channel, last_group_at DESC);
CREATE INDEX alert_storms_unshown ON alert_storms (id) WHERE NOT ended_shown;

ALTER TABLE alert_groups ADD COLUMN storm_id bigint REFERENCES alert_storms (id);
CREATE INDEX alert_groups_storm ON alert_groups (storm_id, id) WHERE storm_id IS NOT NULL;
-- "How many groups did this channel open in the last seconds": read by every request opening a group.
CREATE INDEX alert_groups_channel_opened ON alert_groups (channel, opened_at);

GRANT SELECT, INSERT, UPDATE, DELETE ON alert_storms TO toban_app;
GRANT USAGE ON SEQUENCE alert_storms_id_seq TO toban_app;

-- Down Migration
DROP INDEX alert_groups_channel_opened;
DROP INDEX alert_groups_storm;
ALTER TABLE alert_groups DROP COLUMN storm_id;
DROP TABLE alert_storms;
