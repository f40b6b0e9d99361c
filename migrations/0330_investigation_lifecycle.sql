-- Up Migration

-- The rest of an investigation's life (issue 11): waiting for the customer (the reply clock paused),
-- the answer that resolves it, and whether it was filed as a month-close request.
ALTER TABLE investigations
  -- Filed by finance during the monthly close (月次決算): same-day deadline, urgent, duty paged at once.
  ADD COLUMN month_close   boolean     NOT NULL DEFAULT false,
  -- Since when the request waits for the customer (status 'waiting'); NULL otherwise.
  ADD COLUMN waiting_since timestamptz,
  -- Business milliseconds (business hours of business days) spent waiting for the customer in
  -- earlier waits.
  ADD COLUMN waited_ms     bigint      NOT NULL DEFAULT 0 CHECK (waited_ms >= 0),
  -- The deadline as it stands: the promised one (`deadline`, kept as promised) moved on by the
  -- business time of each wait when the wait ends. Set to `deadline` on insert (trigger below).
  ADD COLUMN due_at        timestamptz,
  -- The answer given to the customer, its cause and an optional follow-up ticket (URL or reference).
  ADD COLUMN answer        text        CHECK (char_length(answer) BETWEEN 1 AND 3000),
  ADD COLUMN cause         text        CHECK (char_length(cause) BETWEEN 1 AND 3000),
  ADD COLUMN ticket        text        CHECK (char_length(ticket) BETWEEN 1 AND 300),
  ADD COLUMN resolved_at   timestamptz,
  ADD COLUMN resolved_by   text,
  ADD CONSTRAINT investigations_waiting CHECK ((status = 'waiting') = (waiting_since IS NOT NULL)),
  ADD CONSTRAINT investigations_resolved CHECK ((status = 'resolved') = (resolved_at IS NOT NULL AND answer IS NOT NULL));

UPDATE investigations SET due_at = deadline;
ALTER TABLE investigations ALTER COLUMN due_at SET NOT NULL;

-- A new request is due when it was promised; only ending a wait moves it (services/investigations).
CREATE FUNCTION investigations_due_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.due_at IS NULL THEN
    NEW.due_at := NEW.deadline;
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER investigations_due_at BEFORE INSERT ON investigations
  FOR EACH ROW EXECUTE FUNCTION investigations_due_at();

ALTER TABLE investigation_events DROP CONSTRAINT investigation_events_what_check;
ALTER TABLE investigation_events ADD CONSTRAINT investigation_events_what_check CHECK (what IN (
  'filed', 'taken', 'released', 'reassigned', 'waiting', 'resumed', 'resolved', 'reopened',
  'reminded', 'overdue', 'paged', 'note'));

CREATE INDEX investigations_resolved_at ON investigations (resolved_at) WHERE status = 'resolved';
CREATE INDEX investigations_created_at ON investigations (created_at);
CREATE INDEX investigations_due ON investigations (due_at) WHERE status IN ('open', 'taken');

-- Down Migration
DROP INDEX investigations_due;
DROP TRIGGER investigations_due_at ON investigations;
DROP FUNCTION investigations_due_at();
DROP INDEX investigations_created_at;
DROP INDEX investigations_resolved_at;
ALTER TABLE investigation_events DROP CONSTRAINT investigation_events_what_check;
ALTER TABLE investigation_events ADD CONSTRAINT investigation_events_what_check CHECK (what IN ('filed', 'taken', 'released'));
ALTER TABLE investigations
  DROP CONSTRAINT investigations_resolved,
  DROP CONSTRAINT investigations_waiting,
  DROP COLUMN resolved_by, DROP COLUMN resolved_at, DROP COLUMN ticket, DROP COLUMN cause,
  DROP COLUMN answer, DROP COLUMN due_at, DROP COLUMN waited_ms, DROP COLUMN waiting_since, DROP COLUMN month_close;
