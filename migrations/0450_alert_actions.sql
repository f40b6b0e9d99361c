-- Up Migration

-- The alert group message's buttons (issue 9 items 5 and 7): who resolved a group by hand (NULL when
-- its alerts resolved it), and the silence its Silence button made (what Unsilence expires; cleared
-- by Unsilence). silenced_until (0400) stays the instant the message shows.
ALTER TABLE alert_groups
  ADD COLUMN resolved_by text,
  ADD COLUMN silence_id  bigint REFERENCES alert_silences (id);

-- Down Migration
ALTER TABLE alert_groups DROP COLUMN silence_id, DROP COLUMN resolved_by;
