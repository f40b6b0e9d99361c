-- Up Migration

-- Investigation requests (調査依頼): a customer's question handed to whoever is on investigation
-- duty, with the reply deadline promised to the customer. Shown to people as INV-<id>.
CREATE TABLE investigations (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  requester   text        NOT NULL,                  -- Slack user id of who filed it
  assignee    text,                                  -- NULL: nobody was on duty
  customer    text        NOT NULL CHECK (char_length(customer) BETWEEN 1 AND 200),
  reference   text        CHECK (char_length(reference) BETWEEN 1 AND 100),   -- order or transaction id
  category    text        NOT NULL CHECK (category IN ('payment', 'payout', 'refund', 'account', 'bug', 'other')),
  question    text        NOT NULL CHECK (char_length(question) BETWEEN 1 AND 3000),
  deadline    timestamptz NOT NULL,
  urgency     text        NOT NULL DEFAULT 'normal' CHECK (urgency IN ('normal', 'urgent')),
  status      text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'taken', 'waiting', 'resolved')),
  -- The message it was filed from: {"channel", "ts", "permalink"?}.
  source      jsonb,
  -- The Slack request it was filed by: filing twice under one key stores it once (NULL in the console).
  request_key text        UNIQUE,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL
);
CREATE INDEX investigations_open ON investigations (deadline) WHERE status <> 'resolved';

-- What happened to each investigation, in order: the working log later features read.
CREATE TABLE investigation_events (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  investigation_id bigint      NOT NULL REFERENCES investigations (id) ON DELETE CASCADE,
  at               timestamptz NOT NULL,
  actor            text        NOT NULL,
  what             text        NOT NULL CHECK (what IN ('filed', 'taken', 'released')),
  detail           jsonb       NOT NULL DEFAULT '{}',
  -- The Slack request (or event) that caused it: handled again under the same key, it is not repeated.
  request_key      text        UNIQUE
);
CREATE INDEX investigation_events_of ON investigation_events (investigation_id, id);

-- A reaction names the message by channel and ts: find the ref posted there (investigation:<id>).
CREATE INDEX slack_messages_channel_ts ON slack_messages (channel, ts);

GRANT SELECT, INSERT, UPDATE, DELETE ON investigations, investigation_events TO toban_app;
GRANT USAGE ON SEQUENCE investigations_id_seq, investigation_events_id_seq TO toban_app;

-- Down Migration
DROP INDEX slack_messages_channel_ts;
DROP TABLE investigation_events;
DROP TABLE investigations;
