// SQL of what people do to an alert group (services/alerts/actions.ts): acknowledge, resolve by
// hand, silence and unsilence from its message's buttons, and the reads of /alerts. Every change is
// one UPDATE whose WHERE holds the rule (open, not yet acknowledged, ...): the row lock it takes
// makes a concurrent second change wait, re-read the row and then match nothing, so a double or
// concurrent click changes the group once and moves its `version` once.
import type { AlertStatus, Severity } from '../domain/alert.ts';
import type { GroupRow } from './alerts.ts';
import type { Queryable } from './pool.ts';

/** A group as the buttons and /alerts read it. */
export type ActionGroupRow = Omit<GroupRow, 'old_state'> & {
  resolved_by: string | null;
  silence_id: string | null;
  /** The storm summary the group is folded into (it has no message of its own then). */
  storm_id: string | null;
};

/** The columns of ActionGroupRow, as `g` (db/alert-silence-groups.ts reads them too). */
export const GROUP_COLUMNS = `g.id::text AS id, g.source, g.group_key, g.state, g.has_message, g.opened_at,
  g.resolved_at, g.channel, g.policy, g.severity, g.title, g.summary, g.service, g.labels, g.links,
  g.firing_count, g.resolved_count, g.first_seen, g.last_seen, g.acknowledged_by, g.acknowledged_at,
  g.silenced_until, g.silenced_by, g.escalation_step, g.version, g.resolved_by, g.silence_id::text AS silence_id,
  g.storm_id::text AS storm_id`;

/**
 * Group `id` (a decimal string), or undefined; `lock`: FOR UPDATE until COMMIT (the Silence
 * submission: concurrent ones for one group take turns and the later ones see the first's silence).
 */
export async function groupById(
  db: Queryable,
  id: string,
  lock = false,
): Promise<ActionGroupRow | undefined> {
  const { rows } = await db.query<ActionGroupRow>(
    `SELECT ${GROUP_COLUMNS} FROM alert_groups g WHERE g.id = $1 ${lock ? 'FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0];
}

/** Sets who acknowledged an open, unacknowledged group; undefined when it was not (either). */
export async function markAcknowledged(
  db: Queryable,
  id: string,
  by: string,
  at: Date,
): Promise<ActionGroupRow | undefined> {
  const { rows } = await db.query<ActionGroupRow>(
    `UPDATE alert_groups g SET acknowledged_by = $2, acknowledged_at = $3, version = g.version + 1
     WHERE g.id = $1 AND g.state = 'open' AND g.acknowledged_by IS NULL
     RETURNING ${GROUP_COLUMNS}`,
    [id, by, at],
  );
  return rows[0];
}

/**
 * Resolves an open group by hand: the group and its firing alerts (ends_at = `at`), so that the same
 * alert delivered again (Alertmanager repeats a firing alert every repeat_interval) does not open a
 * new group; a new firing of it (a later startsAt) does. Undefined when the group was not open.
 */
export async function markResolvedByHand(
  db: Queryable,
  id: string,
  by: string,
  at: Date,
): Promise<ActionGroupRow | undefined> {
  const { rows } = await db.query<ActionGroupRow>(
    `WITH done AS (
       UPDATE alert_groups g SET state = 'resolved', resolved_at = $3, resolved_by = $2,
         firing_count = 0, resolved_count = g.firing_count + g.resolved_count, version = g.version + 1
       WHERE g.id = $1 AND g.state = 'open'
       RETURNING ${GROUP_COLUMNS}
     ),
     -- A data-modifying WITH runs whether or not it is read.
     alerts_done AS (
       UPDATE alerts a SET status = 'resolved', ends_at = greatest($3, a.starts_at)
       WHERE a.group_id IN (SELECT id::bigint FROM done) AND a.status = 'firing'
     )
     SELECT * FROM done`,
    [id, by, at],
  );
  return rows[0];
}

/** Records the silence the group's Silence button made (by `by`); undefined when it holds that one already or is resolved. */
export async function markSilenced(
  db: Queryable,
  id: string,
  silenceId: string,
  until: Date,
  by: string,
): Promise<ActionGroupRow | undefined> {
  const { rows } = await db.query<ActionGroupRow>(
    `UPDATE alert_groups g SET silence_id = $2, silenced_until = $3, silenced_by = $4, version = g.version + 1
     WHERE g.id = $1 AND g.state = 'open' AND g.silence_id IS DISTINCT FROM $2::bigint
     RETURNING ${GROUP_COLUMNS}`,
    [id, silenceId, until, by],
  );
  return rows[0];
}

/** The labels of every alert of group `id`. */
export async function alertLabelsOf(db: Queryable, id: string): Promise<Record<string, string>[]> {
  const { rows } = await db.query<{ labels: Record<string, string> }>(
    'SELECT labels FROM alerts WHERE group_id = $1 ORDER BY id',
    [id],
  );
  return rows.map((r) => r.labels);
}

/** One alert of a group, as /alerts show lists it. */
export interface GroupAlertRow {
  fingerprint: string;
  status: AlertStatus;
  severity: Severity;
  title: string;
  starts_at: Date;
  ends_at: Date | null;
  labels: Record<string, string>;
}

/** The alerts of group `id`, firing first, then newest first; at most `limit`. */
export async function alertsOfGroup(db: Queryable, id: string, limit: number): Promise<GroupAlertRow[]> {
  const { rows } = await db.query<GroupAlertRow>(
    `SELECT fingerprint, status, severity, title, starts_at, ends_at, labels FROM alerts
     WHERE group_id = $1 ORDER BY (status = 'firing') DESC, starts_at DESC, id LIMIT $2`,
    [id, limit],
  );
  return rows;
}

/**
 * The open groups shown in Slack (with a message of their own, or folded into a storm summary),
 * newest first: `limit` of them after skipping `offset`; only those `acknowledgedBy` acknowledged
 * when given. `total` counts them all, whatever the page.
 */
export async function openGroups(
  db: Queryable,
  limit: number,
  acknowledgedBy?: string,
  offset = 0,
): Promise<{ rows: ActionGroupRow[]; total: number }> {
  const { rows } = await db.query<ActionGroupRow & { total: string }>(
    `WITH shown AS (
       SELECT ${GROUP_COLUMNS} FROM alert_groups g
       -- Shown in Slack: with a message of its own, or folded into a storm summary (issue 9: every
       -- group stays reachable from /alerts). A hidden resolved group is never open.
       WHERE g.state = 'open' AND (g.has_message OR g.storm_id IS NOT NULL)
         AND ($2::text IS NULL OR g.acknowledged_by = $2)
     )
     -- One row at least, so that the total is known on a page past the last.
     SELECT p.*, (SELECT count(*) FROM shown)::text AS total
     FROM (SELECT 1) one
     LEFT JOIN LATERAL (SELECT * FROM shown ORDER BY id::bigint DESC LIMIT $1 OFFSET $3) p ON true`,
    [limit, acknowledgedBy ?? null, offset],
  );
  return { rows: rows.filter((r) => r.id !== null), total: Number(rows[0]?.total ?? 0) };
}
