-- Up Migration

-- The rest of an investigation's life (issue 11): waiting for the customer (the reply clock paused),
-- the answer that resolves it, and whether it was filed as a month-close request.
ALTER TABLE investigations
  -- Filed by finance during the monthly close (月次決算): same-day deadline, urgent, duty paged at once.
  ADD COLUMN month_close   boolean     NOT NULL DEFAULT false,
  -- Since when the request waits for the customer (status 'waiting'); NULL otherwise.
  ADD COLUMN waiting_since timestamptz,
  -- Milliseconds spent waiting for the customer in earlier waits: the deadline moves by this much.
  ADD COLUMN waited_ms     bigint      NOT NULL DEFAULT 0 CHECK (waited_ms >= 0),
  -- The answer given to the customer, its cause and an optional follow-up ticket (URL or reference).
  ADD COLUMN answer        text        CHECK (char_length(answer) BETWEEN 1 AND 3000),
  ADD COLUMN cause         text        CHECK (char_length(cause) BETWEEN 1 AND 3000),
  ADD COLUMN ticket        text        CHECK (char_length(ticket) BETWEEN 1 AND 300),
  ADD COLUMN resolved_at   timestamptz,
  ADD COLUMN resolved_by   text,
  ADD CONSTRAINT investigations_waiting CHECK ((status = 'waiting') = (waiting_since IS NOT NULL)),
  ADD CONSTRAINT investigations_resolved CHECK ((status = 'resolved') = (resolved_at IS NOT NULL AND answer IS NOT NULL));

ALTER TABLE investigation_events DROP CONSTRAINT investigation_events_what_check;
ALTER TABLE investigation_events ADD CONSTRAINT investigation_events_what_check CHECK (what IN (
  'filed', 'taken', 'released', 'reassigned', 'waiting', 'resumed', 'resolved', 'reopened',
  'reminded', 'overdue', 'paged', 'note'));

CREATE INDEX investigations_resolved_at ON investigations (resolved_at) WHERE status = 'resolved';
CREATE INDEX investigations_created_at ON investigations (created_at);

-- Down Migration
DROP INDEX investigations_created_at;
DROP INDEX investigations_resolved_at;
ALTER TABLE investigation_events DROP CONSTRAINT investigation_events_what_check;
ALTER TABLE investigation_events ADD CONSTRAINT investigation_events_what_check CHECK (what IN ('filed', 'taken', 'released'));
ALTER TABLE investigations
  DROP CONSTRAINT investigations_resolved,
  DROP CONSTRAINT investigations_waiting,
  DROP COLUMN resolved_by, DROP COLUMN resolved_at, DROP COLUMN ticket, DROP COLUMN cause,
  DROP COLUMN answer, DROP COLUMN waited_ms, DROP COLUMN waiting_since, DROP COLUMN month_close;
