-- Up Migration

-- Calendar feeds (iCal): `/oncall calendar [rotation]` gives a person a secret URL to one rotation's
-- shifts (feed = the rotation's id) or to their own shifts over every rotation (feed = ''). The
-- token itself is never stored, only its SHA-256: a copy of the database does not open the feeds.
-- One token per person and feed: asking again replaces it, so the old URL stops working.
CREATE TABLE calendar_feed_tokens (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id     text        NOT NULL,
  feed        text        NOT NULL,
  token_hash  bytea       NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
  created_at  timestamptz NOT NULL,
  UNIQUE (user_id, feed)
);

GRANT SELECT, INSERT, UPDATE, DELETE ON calendar_feed_tokens TO toban_app;
GRANT USAGE ON SEQUENCE calendar_feed_tokens_id_seq TO toban_app;

-- Down Migration
DROP TABLE calendar_feed_tokens;
