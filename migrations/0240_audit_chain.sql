-- Up Migration

-- The audit log as one hash chain, written only by the database (issue 7, fault 5).
--
-- * The bot (toban_app) may INSERT only what a caller should give: actor, action, args, outcome,
--   row_count, detail. The id, the time, the chain position and the hashes are the database's: a
--   trigger sets them on every insert, whoever inserts, so no row can be back-dated.
-- * Each row's hash covers its content and the previous row's hash. `toban audit verify` recomputes
--   the chain in TypeScript from the stored columns (src/db/audit-chain.ts) and names the first row
--   that does not match, so changing or deleting a row (as the owner, triggers off) is found.
-- * audit_chain_head holds the last position and hash. Its row lock makes concurrent appends take
--   turns (held until commit), so they form one chain; it also shows rows deleted from the end.
--
-- The canonical content (version 1), one field a line; text fields as <UTF-8 byte length>:<text>
-- so no value can imitate a separator; NULL as "-":
--   toban-audit-v1, seq, id, at (UTC, YYYY-MM-DDTHH:MI:SS.ffffffZ), actor, action, args (jsonb's
--   text form), outcome, row_count, detail, previous hash (hex)
-- hash = sha256 of that text (UTF-8). The first row's previous hash is 32 zero bytes.

CREATE FUNCTION audit_log_field(value text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  AS $$ SELECT octet_length(value)::text || ':' || value $$;

CREATE FUNCTION audit_log_content(
  seq bigint, id bigint, at timestamptz, actor text, action text, args jsonb, outcome text,
  row_count integer, detail text, prev_hash bytea
) RETURNS text
  LANGUAGE sql STABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  AS $$
  SELECT concat_ws(E'\n',
    'toban-audit-v1',
    seq::text,
    id::text,
    to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    public.audit_log_field(actor),
    public.audit_log_field(action),
    public.audit_log_field(args::text),
    public.audit_log_field(outcome),
    coalesce(row_count::text, '-'),
    coalesce(public.audit_log_field(detail), '-'),
    encode(prev_hash, 'hex'))
$$;

CREATE TABLE audit_chain_head (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  seq       bigint NOT NULL,
  hash      bytea  NOT NULL
);

ALTER TABLE audit_log
  ADD COLUMN seq bigint,
  ADD COLUMN prev_hash bytea,
  ADD COLUMN hash bytea;

-- Chain the rows written before this migration, in id order. The append-only trigger is off for
-- this one statement block only (the owner runs migrations).
ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change;
DO $$
DECLARE
  r    record;
  n    bigint := 0;
  prev bytea := decode(repeat('00', 32), 'hex');
  h    bytea;
BEGIN
  FOR r IN SELECT * FROM audit_log ORDER BY id LOOP
    n := n + 1;
    h := sha256(convert_to(audit_log_content(n, r.id, r.at, r.actor, r.action, r.args, r.outcome,
                                             r.row_count, r.detail, prev), 'UTF8'));
    UPDATE audit_log SET seq = n, prev_hash = prev, hash = h WHERE id = r.id;
    prev := h;
  END LOOP;
  INSERT INTO audit_chain_head (seq, hash) VALUES (n, prev);
END $$;
ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change;

ALTER TABLE audit_log
  ALTER COLUMN seq SET NOT NULL,
  ALTER COLUMN prev_hash SET NOT NULL,
  ALTER COLUMN hash SET NOT NULL,
  ADD CONSTRAINT audit_log_seq_unique UNIQUE (seq);

-- SECURITY DEFINER: the bot may not touch audit_chain_head itself, only through this trigger.
-- Written as PostgreSQL's "Writing SECURITY DEFINER Functions Safely" asks (CREATE FUNCTION,
-- PostgreSQL 15 documentation): every name of ours is schema-qualified and the search_path holds
-- pg_catalog and then pg_temp, last. PostgreSQL searches the session's temporary schema first for
-- tables unless pg_temp is listed, so a caller's temporary table named audit_chain_head would
-- otherwise stand in for ours: a forged position and hash, and no lock between appenders.
CREATE FUNCTION audit_log_chain() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
DECLARE
  head public.audit_chain_head%ROWTYPE;
BEGIN
  -- Wait for the appender before this one to commit or roll back: one chain, no forks.
  SELECT * INTO STRICT head FROM public.audit_chain_head FOR UPDATE;
  NEW.seq := head.seq + 1;
  -- The time is the database's, taken once the row's turn has come, so times rise along the chain.
  NEW.at := clock_timestamp();
  NEW.prev_hash := head.hash;
  NEW.hash := sha256(convert_to(public.audit_log_content(NEW.seq, NEW.id, NEW.at, NEW.actor,
                                                         NEW.action, NEW.args, NEW.outcome,
                                                         NEW.row_count, NEW.detail, NEW.prev_hash),
                                'UTF8'));
  UPDATE public.audit_chain_head SET seq = NEW.seq, hash = NEW.hash;
  RETURN NEW;
END $$;
REVOKE ALL ON FUNCTION audit_log_chain() FROM PUBLIC;

CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_chain();

-- The bot appends the caller's columns only, and reads the log and its head (for verify).
REVOKE INSERT ON audit_log FROM toban_app;
GRANT INSERT (actor, action, args, outcome, row_count, detail) ON audit_log TO toban_app;
GRANT SELECT ON audit_chain_head TO toban_app;

-- /readyz, run by the bot, compares the applied migrations with the files.
GRANT SELECT ON pgmigrations TO toban_app;

-- Down Migration
REVOKE ALL ON pgmigrations FROM toban_app;
REVOKE ALL ON audit_chain_head FROM toban_app;
REVOKE INSERT (actor, action, args, outcome, row_count, detail) ON audit_log FROM toban_app;
GRANT INSERT ON audit_log TO toban_app;
DROP TRIGGER audit_log_chain ON audit_log;
DROP FUNCTION audit_log_chain();
ALTER TABLE audit_log
  DROP CONSTRAINT audit_log_seq_unique,
  DROP COLUMN hash,
  DROP COLUMN prev_hash,
  DROP COLUMN seq;
DROP TABLE audit_chain_head;
DROP FUNCTION audit_log_content(bigint, bigint, timestamptz, text, text, jsonb, text, integer, text, bytea);
DROP FUNCTION audit_log_field(text);
