-- Up Migration

-- The latest :eyes: event (added or removed) each person has sent on an investigation's post, by
-- Slack's event_ts. Slack may deliver a person's events out of order (a retried reaction_added after
-- the reaction_removed that followed it): an event older than the one recorded here is stale and is
-- ignored, even when the newer one changed nothing (removing :eyes: from a request one does not hold).
-- The ts of the last take or release applied is kept in that event's investigation_events.detail (eventTs).
CREATE TABLE investigation_reactions (
  investigation_id bigint NOT NULL REFERENCES investigations (id) ON DELETE CASCADE,
  user_id          text   NOT NULL,
  -- Slack's event_ts ("1712710800.000200"): seconds, a dot, microseconds.
  event_ts         text   NOT NULL CHECK (event_ts ~ '^[0-9]{1,12}\.[0-9]{1,6}$'),
  PRIMARY KEY (investigation_id, user_id)
);

GRANT SELECT, INSERT, UPDATE, DELETE ON investigation_reactions TO toban_app;

-- Down Migration
DROP TABLE investigation_reactions;
