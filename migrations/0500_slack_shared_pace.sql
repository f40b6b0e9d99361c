-- Up Migration

-- Slack's pace, shared by every replica. Slack counts its limits per workspace (chat.postMessage:
-- about 1 a second per channel; chat.update: Tier 3, 50 a minute), so a pace kept in each
-- process's memory let two replicas post to one channel at twice the rate, and Slack answered 429.
-- Each bucket ("chat.postMessage:C0123", "chat.update", "chat.update:summary") is one row holding
-- its GCRA theoretical arrival time (the generic cell rate algorithm, ITU-T I.371: the token bucket
-- written as one timestamp). A call that must wait is not slept on: its outbox row is rescheduled to
-- the slot reserved for it in slack_pace_slots, and any replica that takes the row up then finds the
-- slot and goes.
CREATE TABLE slack_paces (
  bucket text PRIMARY KEY,
  tat    timestamptz NOT NULL
);

CREATE TABLE slack_pace_slots (
  row_key text NOT NULL,
  bucket  text NOT NULL,
  at      timestamptz NOT NULL,
  PRIMARY KEY (row_key, bucket)
);
CREATE INDEX slack_pace_slots_at ON slack_pace_slots (at);

GRANT SELECT, INSERT, UPDATE, DELETE ON slack_paces, slack_pace_slots TO toban_app;

-- The milliseconds `p_key` (an outbox row) must wait before its call in `p_bucket` goes: 0 now.
-- `p_interval_ms` is one call's share of time (1000 for 1 a second), `p_burst` the calls allowed
-- back to back. A key that holds a slot gets it (0 once it is due, and the slot is spent); else
-- the next slot is taken, in call order, and held for the key if it lies ahead. `p_now` null is the
-- database's clock (tests pass theirs). Slots never taken up (their row went elsewhere) are removed
-- two minutes after they fell due.
CREATE FUNCTION slack_pace_take(p_bucket text, p_key text, p_interval_ms float8, p_burst int, p_now timestamptz)
RETURNS float8
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
  t       timestamptz := coalesce(p_now, now());
  step    interval := p_interval_ms * interval '1 millisecond';
  held    timestamptz;
  arrival timestamptz;
  allowed timestamptz;
BEGIN
  SELECT s.at INTO held FROM slack_pace_slots s WHERE s.row_key = p_key AND s.bucket = p_bucket;
  IF FOUND THEN
    IF held > t THEN
      RETURN extract(epoch FROM held - t) * 1000;
    END IF;
    DELETE FROM slack_pace_slots s WHERE s.row_key = p_key AND s.bucket = p_bucket;
    RETURN 0;
  END IF;
  INSERT INTO slack_paces (bucket, tat) VALUES (p_bucket, t) ON CONFLICT (bucket) DO NOTHING;
  SELECT p.tat INTO arrival FROM slack_paces p WHERE p.bucket = p_bucket FOR UPDATE;
  arrival := greatest(arrival, t);
  -- The request may go `burst - 1` steps before its theoretical arrival time.
  allowed := arrival - (greatest(p_burst, 1) - 1) * step;
  UPDATE slack_paces SET tat = arrival + step WHERE bucket = p_bucket;
  IF allowed <= t THEN
    RETURN 0;
  END IF;
  INSERT INTO slack_pace_slots (row_key, bucket, at) VALUES (p_key, p_bucket, allowed)
    ON CONFLICT (row_key, bucket) DO UPDATE SET at = EXCLUDED.at;
  DELETE FROM slack_pace_slots s WHERE s.at < t - interval '2 minutes';
  RETURN extract(epoch FROM allowed - t) * 1000;
END
$$;
REVOKE ALL ON FUNCTION slack_pace_take(text, text, float8, int, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION slack_pace_take(text, text, float8, int, timestamptz) TO toban_app;

-- Down Migration
DROP FUNCTION slack_pace_take(text, text, float8, int, timestamptz);
DROP TABLE slack_pace_slots;
DROP TABLE slack_paces;
