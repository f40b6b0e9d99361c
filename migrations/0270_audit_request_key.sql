-- Up Migration

-- One audit row per Slack request (fault D of the request review). A request can be answered more
-- than once: the recovery sweep after a crash, another replica taking over a stored request, a
-- retried answer. Each run used to append its own row, so the log said a balance was asked twice.
--
-- * request_key holds the stored request's key (slack_requests.key: sig:…, envelope:…, event:…);
--   NULL for rows no Slack request stands behind (console, CLI).
-- * The chain trigger, once it holds the head's lock (so the appender before it has committed),
--   skips the row when one with the same key is already in the log: the INSERT then inserts nothing,
--   takes no position in the chain and leaves the head as it was. A unique index is the backstop.
--   (ON CONFLICT cannot do this: BEFORE ROW triggers run before the conflict check, so the head
--   would move for a row that is then dropped, and the chain would have a gap.)
-- * The key is covered by the hash, so it cannot be changed unseen. Rows without a key keep the
--   version 1 content byte for byte (every existing hash stays valid); a row with a key hashes the
--   version 2 content: version 1's lines with 'toban-audit-v2' first and the key, as
--   <UTF-8 byte length>:<text>, as one more line after the previous hash. src/db/audit-chain.ts
--   computes the same bytes.

ALTER TABLE audit_log ADD COLUMN request_key text;
CREATE UNIQUE INDEX audit_log_request_key ON audit_log (request_key) WHERE request_key IS NOT NULL;

CREATE FUNCTION audit_log_content_v2(
  seq bigint, id bigint, at timestamptz, actor text, action text, args jsonb, outcome text,
  row_count integer, detail text, prev_hash bytea, request_key text
) RETURNS text
  LANGUAGE sql STABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  AS $$
  SELECT CASE WHEN request_key IS NULL
    THEN public.audit_log_content(seq, id, at, actor, action, args, outcome, row_count, detail, prev_hash)
    ELSE concat_ws(E'\n',
      'toban-audit-v2',
      seq::text,
      id::text,
      to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
      public.audit_log_field(actor),
      public.audit_log_field(action),
      public.audit_log_field(args::text),
      public.audit_log_field(outcome),
      coalesce(row_count::text, '-'),
      coalesce(public.audit_log_field(detail), '-'),
      encode(prev_hash, 'hex'),
      public.audit_log_field(request_key))
    END
$$;

-- As in 0240 (SECURITY DEFINER written safely: qualified names, pg_temp last), plus the skip.
CREATE OR REPLACE FUNCTION audit_log_chain() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
DECLARE
  head public.audit_chain_head%ROWTYPE;
BEGIN
  -- Wait for the appender before this one to commit or roll back: one chain, no forks.
  SELECT * INTO STRICT head FROM public.audit_chain_head FOR UPDATE;
  -- Taken after the lock, in a new snapshot (READ COMMITTED), so a row the previous appender
  -- committed for the same request is seen: this run of the request writes none.
  IF NEW.request_key IS NOT NULL
     AND EXISTS (SELECT 1 FROM public.audit_log WHERE request_key = NEW.request_key) THEN
    RETURN NULL;
  END IF;
  NEW.seq := head.seq + 1;
  -- The time is the database's, taken once the row's turn has come, so times rise along the chain.
  NEW.at := clock_timestamp();
  NEW.prev_hash := head.hash;
  NEW.hash := sha256(convert_to(public.audit_log_content_v2(NEW.seq, NEW.id, NEW.at, NEW.actor,
                                                            NEW.action, NEW.args, NEW.outcome,
                                                            NEW.row_count, NEW.detail, NEW.prev_hash,
                                                            NEW.request_key),
                                'UTF8'));
  UPDATE public.audit_chain_head SET seq = NEW.seq, hash = NEW.hash;
  RETURN NEW;
END $$;

GRANT INSERT (request_key) ON audit_log TO toban_app;

-- Down Migration
REVOKE INSERT (request_key) ON audit_log FROM toban_app;
CREATE OR REPLACE FUNCTION audit_log_chain() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
DECLARE
  head public.audit_chain_head%ROWTYPE;
BEGIN
  SELECT * INTO STRICT head FROM public.audit_chain_head FOR UPDATE;
  NEW.seq := head.seq + 1;
  NEW.at := clock_timestamp();
  NEW.prev_hash := head.hash;
  NEW.hash := sha256(convert_to(public.audit_log_content(NEW.seq, NEW.id, NEW.at, NEW.actor,
                                                         NEW.action, NEW.args, NEW.outcome,
                                                         NEW.row_count, NEW.detail, NEW.prev_hash),
                                'UTF8'));
  UPDATE public.audit_chain_head SET seq = NEW.seq, hash = NEW.hash;
  RETURN NEW;
END $$;
DROP FUNCTION audit_log_content_v2(bigint, bigint, timestamptz, text, text, jsonb, text, integer, text, bytea, text);
DROP INDEX audit_log_request_key;
ALTER TABLE audit_log DROP COLUMN request_key;
