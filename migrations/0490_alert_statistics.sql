-- Up Migration

-- The intake's plans (src/db/alerts.ts) read alert_groups and alerts by key through their indexes,
-- which the planner picks only while its statistics know how many rows there are. A storm can grow
-- these tables tenfold in a minute, and PostgreSQL's default (analyze after 10 % of the table
-- changed) then leaves them stale for long: a fresh table was seen scanned whole on every request.
-- Analyze them after 2 % (at least 1,000 rows) instead; the cost is a sampled ANALYZE now and then.
ALTER TABLE alert_groups SET (autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 1000);
ALTER TABLE alerts SET (autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 1000);

-- Down Migration
ALTER TABLE alerts RESET (autovacuum_analyze_scale_factor, autovacuum_analyze_threshold);
ALTER TABLE alert_groups RESET (autovacuum_analyze_scale_factor, autovacuum_analyze_threshold);
