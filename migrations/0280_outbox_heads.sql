-- Up Migration

-- Claims read only the first pending row of each ordering key (its head). Before, every pending
-- row was a candidate, probed for being first of its key: thousands of rows waiting behind one key
-- whose head was out on a lease or waiting for a retry were read again by every claim (claims fell
-- from 123 to 8.5 rows/s). Now a row is a candidate only while `head` is set, through a partial index
-- on heads alone, and the claim keeps its check that the row is the first of its key, so a head set
-- where it should not be (two writers of one key committing out of id order, a dead row put back)
-- can only be skipped, never break the order.
--
-- `head` is kept by triggers, so every writer (enqueue, answers written claimed, the CLI, a bulk
-- insert) gets it right without knowing:
-- - a row that becomes pending (inserted, or put back from dead) is a head unless an earlier row of
--   its key is pending. That row is locked FOR SHARE until the writer commits, so it cannot leave the
--   queue before the new row is visible: otherwise its successor would be looked for before the
--   new row committed, and the new row would never become a head;
-- - a head that leaves pending (delivered, dead) hands the head on to the next pending row of its
--   key (a row behind it that leaves, e.g. a dependant failed with its post, changes nothing).
--   The trigger runs after the statement, with a fresh snapshot (READ COMMITTED), after any writer
--   holding the lock above has committed.
ALTER TABLE outbox ADD COLUMN head boolean NOT NULL DEFAULT false;
UPDATE outbox o SET head = true
WHERE o.state = 'pending'
  AND o.id = (SELECT min(e.id) FROM outbox e
              WHERE e.state = 'pending' AND e.transport = o.transport AND e.ordering_key = o.ordering_key);

CREATE FUNCTION outbox_take_place() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
  IF NEW.state <> 'pending' THEN
    NEW.head := false;
    RETURN NEW;
  END IF;
  PERFORM 1 FROM outbox
  WHERE state = 'pending' AND transport = NEW.transport AND ordering_key = NEW.ordering_key AND id < NEW.id
  ORDER BY id DESC LIMIT 1
  FOR SHARE;
  NEW.head := NOT FOUND;
  RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION outbox_take_place() FROM PUBLIC;

CREATE FUNCTION outbox_pass_head() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
  UPDATE outbox SET head = true
  WHERE id = (SELECT id FROM outbox
              WHERE state = 'pending' AND transport = OLD.transport AND ordering_key = OLD.ordering_key
              ORDER BY id LIMIT 1)
    AND NOT head;
  RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION outbox_pass_head() FROM PUBLIC;

CREATE TRIGGER outbox_head_on_insert BEFORE INSERT ON outbox
  FOR EACH ROW EXECUTE FUNCTION outbox_take_place();
CREATE TRIGGER outbox_head_on_return BEFORE UPDATE OF state ON outbox
  FOR EACH ROW WHEN (OLD.state <> 'pending' AND NEW.state = 'pending') EXECUTE FUNCTION outbox_take_place();
CREATE TRIGGER outbox_head_on_leave AFTER UPDATE OF state ON outbox
  FOR EACH ROW WHEN (OLD.state = 'pending' AND NEW.state <> 'pending' AND OLD.head)
  EXECUTE FUNCTION outbox_pass_head();

-- Candidates: heads only. The index of every pending row by due time is no longer read.
CREATE INDEX outbox_heads ON outbox (transport, next_attempt_at, id) WHERE state = 'pending' AND head;
DROP INDEX outbox_deliverable;

-- Down Migration
CREATE INDEX outbox_deliverable ON outbox (transport, next_attempt_at, id) WHERE state = 'pending';
DROP INDEX outbox_heads;
DROP TRIGGER outbox_head_on_leave ON outbox;
DROP TRIGGER outbox_head_on_return ON outbox;
DROP TRIGGER outbox_head_on_insert ON outbox;
DROP FUNCTION outbox_pass_head();
DROP FUNCTION outbox_take_place();
ALTER TABLE outbox DROP COLUMN head;
