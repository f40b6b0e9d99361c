-- Up Migration

-- Only this deployment's bot may reach this database (README "Database roles").
--
-- toban_app is one role for the whole PostgreSQL server: every toban deployment's bot on the server
-- is a member of it, and its privileges on toban's tables hold in every database. The database
-- itself is the gate: CONNECT is taken from PUBLIC (which every role belongs to), and the owner
-- grants it to this deployment's bot login role by name (`GRANT CONNECT ON DATABASE … TO toban_bot`;
-- toban does it for the embedded server and says what to run when the bot cannot connect).
-- TEMPORARY goes too: the bot needs no temporary table, and one can shadow a table name for any
-- function that does not put pg_temp last in its search_path.
--
-- Only the database's owner (or a superuser) may change who connects; either keeps its own
-- privileges. A migrating role that is neither gets a warning here, and toban warns at every start
-- while PUBLIC may still connect. Database privileges are not copied by CREATE DATABASE … TEMPLATE.
DO $$
DECLARE
  db   text := current_database();
  dba  oid  := (SELECT datdba FROM pg_catalog.pg_database WHERE datname = current_database());
BEGIN
  IF pg_catalog.pg_has_role(current_user, dba, 'USAGE')
     OR (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) THEN
    EXECUTE format('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM PUBLIC', db);
  ELSE
    RAISE WARNING 'toban: % is not the owner of the database %, so every role may still connect to it; as its owner run: REVOKE CONNECT, TEMPORARY ON DATABASE % FROM PUBLIC',
      current_user, quote_ident(db), quote_ident(db);
  END IF;
END $$;

-- Down Migration
DO $$
BEGIN
  EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO PUBLIC', current_database());
END $$;
