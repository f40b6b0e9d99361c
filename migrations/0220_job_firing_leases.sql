-- Up Migration

-- Scheduled firings get a lease and retries (issue 6, item 5). A row is now inserted 'pending' when
-- its instant is due, claimed 'running' with a lease (next_attempt_at = the lease end, attempts + 1),
-- put back 'pending' with a retry time after a failed attempt, and closed 'succeeded', 'failed' or
-- 'skipped'. Before, a row was inserted by the replica that ran it and never run again, even when
-- that replica died mid-run.
ALTER TABLE job_firings
  ADD COLUMN state text,
  ADD COLUMN attempts integer NOT NULL DEFAULT 0,
  ADD COLUMN next_attempt_at timestamptz;

-- Rows written by the earlier scheduler. One with neither outcome nor error was cut off mid-run: it
-- becomes a running attempt whose lease ends ten minutes after its claim, so it is retried (or given
-- up, when past its job's lateness limit), and not while a replica still running the old code may
-- be finishing it.
UPDATE job_firings SET
  attempts = 1,
  state = CASE
    WHEN error LIKE 'skipped:%' THEN 'skipped'
    WHEN error IS NOT NULL THEN 'failed'
    WHEN finished_at IS NOT NULL THEN 'succeeded'
    ELSE 'running'
  END,
  next_attempt_at = CASE WHEN finished_at IS NULL AND error IS NULL THEN claimed_at + interval '10 minutes' END;
UPDATE job_firings SET attempts = 0 WHERE state = 'skipped';

-- No default: a replica still running the earlier code cannot insert a row without a state, so it
-- stops claiming (and logs why) instead of running firings outside the leases.
ALTER TABLE job_firings
  ALTER COLUMN state SET NOT NULL,
  ADD CONSTRAINT job_firings_state CHECK (state IN ('pending', 'running', 'succeeded', 'failed', 'skipped')),
  ADD CONSTRAINT job_firings_open_has_time CHECK ((state IN ('pending', 'running')) = (next_attempt_at IS NOT NULL)),
  ALTER COLUMN claimed_by DROP NOT NULL,
  ALTER COLUMN claimed_at DROP NOT NULL,
  ALTER COLUMN claimed_at DROP DEFAULT;

-- A claim reads a job's open rows; housekeeping and the wake-up look for them too.
CREATE INDEX job_firings_open ON job_firings (job, fire_at) WHERE state IN ('pending', 'running');

-- toban_app already has SELECT, INSERT, UPDATE, DELETE on job_firings (0200_app_role.sql), which
-- covers the new columns; this migration creates no table and no sequence.

-- Down Migration
DROP INDEX job_firings_open;
DELETE FROM job_firings WHERE claimed_by IS NULL;
UPDATE job_firings SET finished_at = NULL WHERE state = 'running';
ALTER TABLE job_firings
  DROP CONSTRAINT job_firings_open_has_time,
  DROP CONSTRAINT job_firings_state,
  ALTER COLUMN claimed_at SET DEFAULT now(),
  ALTER COLUMN claimed_at SET NOT NULL,
  ALTER COLUMN claimed_by SET NOT NULL,
  DROP COLUMN next_attempt_at,
  DROP COLUMN attempts,
  DROP COLUMN state;
