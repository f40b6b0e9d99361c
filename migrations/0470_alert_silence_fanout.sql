-- Up Migration

-- Silences shown on every group they match (issue 9 items 5 and 7; services/alerts/silence-groups.ts).
-- alert_groups.silence_id / silenced_until (0400, 0450) now hold the silence a group shows, whoever
-- made it (its button, `/alerts silence`, or a local mute found by the jobs), and silenced_by who
-- made it, for the message's "silenced until …, by …".
-- alert_silences.ended_shown_at: when the silence's end (expiry or Unsilence) was shown on every group
-- holding it; the silence job looks for ended silences where it is NULL, so each end is shown once.
ALTER TABLE alert_groups ADD COLUMN silenced_by text;
ALTER TABLE alert_silences ADD COLUMN ended_shown_at timestamptz;

-- The groups holding a silence (its end is shown on them) and the silences whose end is not shown yet.
CREATE INDEX alert_groups_silence ON alert_groups (silence_id) WHERE silence_id IS NOT NULL;
CREATE INDEX alert_silences_end_unshown ON alert_silences (ends_at) WHERE ended_shown_at IS NULL;

-- Table-level grants (0400, 0410) already cover new columns; repeated here so this file says so.
GRANT SELECT, INSERT, UPDATE, DELETE ON alert_groups TO toban_app;
GRANT SELECT, INSERT, UPDATE ON alert_silences TO toban_app;

-- Down Migration
DROP INDEX alert_silences_end_unshown;
DROP INDEX alert_groups_silence;
ALTER TABLE alert_silences DROP COLUMN ended_shown_at;
ALTER TABLE alert_groups DROP COLUMN silenced_by;
