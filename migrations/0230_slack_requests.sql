-- Up Migration

-- Every request Slack sends (slash command, interaction, Events API event) is stored here in one
-- INSERT before it is acknowledged, so an acknowledged request is never lost: if the replica that
-- took it dies or is stopped before answering, any replica claims it once its lease has run out.
-- The unique key makes the same insert the replay check and the retry dedupe:
--   sig:<v0 signature>     a slash command or interaction over HTTP (a replay repeats the signature)
--   event:<event_id>       an Events API event (Slack's retries repeat the event_id)
--   envelope:<id>          a command or interaction over Socket Mode
CREATE TABLE slack_requests (
  id           bigserial   PRIMARY KEY,
  key          text        NOT NULL UNIQUE,
  kind         text        NOT NULL CHECK (kind IN ('command', 'interaction', 'event')),
  payload      jsonb       NOT NULL,
  -- pending: to be answered; answered: done (reply rows committed with it); expired: too old to
  -- answer (a response_url lives 30 minutes); refused: the acknowledgement told the person toban
  -- could not take it (database unavailable), so it must never run; failed: gave up after retries.
  state        text        NOT NULL DEFAULT 'pending'
                           CHECK (state IN ('pending', 'answered', 'expired', 'refused', 'failed')),
  received_at  timestamptz NOT NULL DEFAULT now(),
  -- A claim is a lease fenced by attempts, as in the outbox: the claim that ran out cannot record
  -- an outcome over the one that took the request over.
  attempts     integer     NOT NULL DEFAULT 1,
  lease_until  timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz,
  last_error   text
);
CREATE INDEX slack_requests_pending ON slack_requests (lease_until, id) WHERE state = 'pending';
CREATE INDEX slack_requests_received ON slack_requests (received_at);

GRANT SELECT, INSERT, UPDATE, DELETE ON slack_requests TO toban_app;
GRANT USAGE ON SEQUENCE slack_requests_id_seq TO toban_app;

-- Down Migration
DROP TABLE slack_requests;
