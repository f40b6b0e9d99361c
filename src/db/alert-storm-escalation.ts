// A storm's escalation and its Acknowledge all button, in SQL (services/alerts/storm-escalation.ts).
// Lock order: a storm's row before its groups' rows, everywhere. The escalation job's run holds the
// storm's row lock (FOR UPDATE) while it decides and records a step, so replicas take turns, and only
// reads the storm's groups; the same transaction then locks the groups it pages (services/alerts/
// escalation.ts escalateRun), after every storm; Acknowledge all locks the storm, then its groups in id order; the intake key-share locks
// the storms of the groups it touches before those groups (db/alerts.ts openGroups) and folds new
// groups into a storm (db/alert-storms.ts foldGroups) after.
import type { Severity } from '../domain/alert.ts';
import type { Queryable } from './pool.ts';

/** A storm as its escalation and its button read it. */
export interface StormEscalationRow {
  id: string;
  channel: string;
  started_at: Date;
  last_group_at: Date;
  group_count: number;
  version: number;
  acknowledged_by: string | null;
  acknowledged_at: Date | null;
  escalation_epoch: number;
  escalation_started_at: Date | null;
  escalation_step: number | null;
}

const STORM_COLUMNS = `s.id::text AS id, s.channel, s.started_at, s.last_group_at, s.group_count, s.version,
  s.acknowledged_by, s.acknowledged_at, s.escalation_epoch, s.escalation_started_at, s.escalation_step`;

/**
 * Ids of the storms with at least one open, unacknowledged folded group whose policy is one of
 * `policies` (the configured ones), oldest first, at most `limit`.
 */
export async function stormEscalationCandidates(
  db: Queryable,
  policies: readonly string[],
  limit: number,
): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT DISTINCT storm_id AS id FROM alert_groups
      WHERE storm_id IS NOT NULL AND state = 'open' AND acknowledged_at IS NULL AND policy = ANY ($1::text[])
      ORDER BY storm_id LIMIT $2`,
    [policies, limit],
  );
  return rows.map((r) => String(r.id));
}

/**
 * Storm `id` locked until COMMIT; undefined when there is none. With `skipLocked` (the escalation
 * run, which holds several storms' locks at once), also undefined when someone else holds it: a
 * delivery key-shares the storms of its groups and may then fold a group into another storm
 * (db/alert-storms.ts foldGroups), in any id order, so a run waiting on one storm while holding
 * another could deadlock with it; the run leaves such a storm to its next minute instead.
 */
export async function lockStorm(
  db: Queryable,
  id: string,
  opts: { skipLocked?: boolean } = {},
): Promise<StormEscalationRow | undefined> {
  const { rows } = await db.query<StormEscalationRow>(
    `SELECT ${STORM_COLUMNS} FROM alert_storms s WHERE s.id = $1 FOR UPDATE${opts.skipLocked ? ' SKIP LOCKED' : ''}`,
    [id],
  );
  return rows[0];
}

/** What pages for a storm: its open, unacknowledged, unsilenced folded groups with a known policy. */
export interface StormPending {
  /** How many there are (0: nothing to page for). */
  count: number;
  /** The worst of them (severity, then the oldest): its policy is the storm's. */
  worst?: { id: string; title: string; severity: Severity; policy: string };
}

export async function stormPending(
  db: Queryable,
  stormId: string,
  policies: readonly string[],
  now: Date,
): Promise<StormPending> {
  const { rows } = await db.query<{
    id: string;
    title: string;
    severity: Severity;
    policy: string;
    count: number;
  }>(
    `SELECT g.id::text AS id, g.title, g.severity, g.policy, count(*) OVER ()::int AS count
       FROM alert_groups g
      WHERE g.storm_id = $1 AND g.state = 'open' AND g.acknowledged_at IS NULL
        AND g.policy = ANY ($2::text[]) AND (g.silenced_until IS NULL OR g.silenced_until <= $3)
      ORDER BY array_position(ARRAY['critical', 'error', 'warning', 'info'], g.severity), g.opened_at, g.id
      LIMIT 1`,
    [stormId, policies, now],
  );
  const r = rows[0];
  if (!r) return { count: 0 };
  return { count: r.count, worst: { id: r.id, title: r.title, severity: r.severity, policy: r.policy } };
}

/**
 * Starts the storm's escalation anew from step 1 at `at` (a group came in after Acknowledge all):
 * clears the acknowledge, moves the epoch and the version on. @returns the storm as it is now.
 */
export async function restartStormEscalation(
  db: Queryable,
  id: string,
  at: Date,
): Promise<StormEscalationRow> {
  const { rows } = await db.query<StormEscalationRow>(
    `UPDATE alert_storms s SET acknowledged_by = NULL, acknowledged_at = NULL,
            escalation_epoch = s.escalation_epoch + 1, escalation_started_at = $2, escalation_step = NULL,
            version = s.version + 1
      WHERE s.id = $1 RETURNING ${STORM_COLUMNS}`,
    [id, at],
  );
  return rows[0]!;
}

/** The steps already sent in the storm's epoch `epoch`, by round and index. */
export async function stormStepsSent(
  db: Queryable,
  id: string,
  epoch: number,
): Promise<{ round: number; step: number }[]> {
  const { rows } = await db.query<{ round: number; step: number }>(
    'SELECT round, step FROM alert_storm_notifications WHERE storm_id = $1 AND epoch = $2',
    [id, epoch],
  );
  return rows;
}

export interface StormNotificationRecord {
  stormId: string;
  epoch: number;
  key: string;
  policy: string;
  round: number;
  step: number;
  dueAt: Date;
  sentAt: Date;
  targets: unknown[];
}

/** Records one notification of a storm; false when it was recorded before (nothing written). */
export async function recordStormNotification(db: Queryable, n: StormNotificationRecord): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO alert_storm_notifications (storm_id, epoch, key, policy, round, step, due_at, sent_at, targets)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (storm_id, epoch, key) DO NOTHING`,
    [n.stormId, n.epoch, n.key, n.policy, n.round, n.step, n.dueAt, n.sentAt, JSON.stringify(n.targets)],
  );
  return rowCount === 1;
}

/** Sets the step the storm reached (when given) and moves its version on. @returns the storm now. */
export async function bumpStorm(
  db: Queryable,
  id: string,
  step: number | undefined,
): Promise<StormEscalationRow> {
  const { rows } = await db.query<StormEscalationRow>(
    `UPDATE alert_storms s SET escalation_step = coalesce($2, s.escalation_step), version = s.version + 1
      WHERE s.id = $1 RETURNING ${STORM_COLUMNS}`,
    [id, step ?? null],
  );
  return rows[0]!;
}

/** Storm `id` as it is (no lock); undefined when there is none. */
export async function stormById(db: Queryable, id: string): Promise<StormEscalationRow | undefined> {
  const { rows } = await db.query<StormEscalationRow>(
    `SELECT ${STORM_COLUMNS} FROM alert_storms s WHERE s.id = $1`,
    [id],
  );
  return rows[0];
}

/**
 * Acknowledges every open, unacknowledged group folded into storm `id` (each its own
 * acknowledged_by/at and version), then the storm itself. Locks the storm row first (FOR UPDATE),
 * then its groups in id order: the order used everywhere the two are locked together (the
 * escalation job locks the storm and only reads groups; the intake key-share locks the storms of
 * the groups it touches before it locks them, db/alerts.ts openGroups), so none can deadlock. A
 * concurrent second press waits on the storm's lock, then finds every group acknowledged and
 * matches nothing. @returns the ids of the groups it acknowledged and the storm after it (no ids:
 * nothing changed, `storm` is the storm as it is, undefined when there is none).
 */
export async function acknowledgeStormGroups(
  db: Queryable,
  id: string,
  by: string,
  at: Date,
): Promise<{ ids: string[]; storm?: StormEscalationRow }> {
  const locked = await lockStorm(db, id);
  if (!locked) return { ids: [] };
  const { rows } = await db.query<{ id: string }>(
    `WITH locked AS (
       SELECT g.id FROM alert_groups g
        WHERE g.storm_id = $1 AND g.state = 'open' AND g.acknowledged_by IS NULL
        ORDER BY g.id FOR UPDATE
     )
     UPDATE alert_groups g SET acknowledged_by = $2, acknowledged_at = $3, version = g.version + 1
       FROM locked l
      WHERE g.id = l.id AND g.state = 'open' AND g.acknowledged_by IS NULL
      RETURNING g.id::text AS id`,
    [id, by, at],
  );
  if (rows.length === 0) return { ids: [], storm: locked };
  const { rows: storms } = await db.query<StormEscalationRow>(
    `UPDATE alert_storms s SET acknowledged_by = $2, acknowledged_at = $3, version = s.version + 1
      WHERE s.id = $1 RETURNING ${STORM_COLUMNS}`,
    [id, by, at],
  );
  return { ids: rows.map((r) => r.id).sort((a, b) => Number(a) - Number(b)), storm: storms[0]! };
}
