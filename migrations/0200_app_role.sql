-- Up Migration

-- The bot's database role (ARCHITECTURE.md rule 6). Migrations run as the owner of every table; the
-- running bot connects as a login role that is a member of toban_app. toban_app reads and writes
-- the bot's working tables, may only append to (and read) the audit log, and may only read the
-- ledger and sales schemas. It owns nothing, so it cannot alter a table, disable a trigger or
-- rewrite history.
--
-- Every later migration grants what toban_app needs on each table it creates, explicitly: no default
-- privileges, so a new audit-like table is never writable by accident.
DO $$
BEGIN
  CREATE ROLE toban_app NOLOGIN;
EXCEPTION
  -- Roles are cluster-wide: another database on this server (or a concurrent test run) made it.
  WHEN duplicate_object OR unique_violation THEN NULL;
END $$;

GRANT USAGE ON SCHEMA public TO toban_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON outbox, slack_messages, job_firings TO toban_app;
GRANT SELECT, INSERT ON audit_log TO toban_app;
GRANT USAGE ON SEQUENCE outbox_id_seq, audit_log_id_seq TO toban_app;

GRANT USAGE ON SCHEMA ledger, sales TO toban_app;
GRANT SELECT ON ALL TABLES IN SCHEMA ledger TO toban_app;
GRANT SELECT ON ALL TABLES IN SCHEMA sales TO toban_app;

-- Down Migration
REVOKE ALL ON ALL TABLES IN SCHEMA sales FROM toban_app;
REVOKE ALL ON ALL TABLES IN SCHEMA ledger FROM toban_app;
REVOKE ALL ON SCHEMA ledger, sales FROM toban_app;
REVOKE ALL ON SEQUENCE outbox_id_seq, audit_log_id_seq FROM toban_app;
REVOKE ALL ON outbox, slack_messages, job_firings, audit_log FROM toban_app;
REVOKE ALL ON SCHEMA public FROM toban_app;
