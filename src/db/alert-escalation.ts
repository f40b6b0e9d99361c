// Escalation's SQL (services/alerts/escalation.ts): the open groups with a policy, a run's groups
// locked with what was already sent for each, the notifications recorded (unique per group and
// key), and the group's message moved one version on.
import type { GroupRow } from './alerts.ts';
import type { Queryable } from './pool.ts';

/** The columns of a group row (GroupRow without old_state), as `g`. */
const GROUP_COLUMNS = `g.id::text AS id, g.source, g.group_key, g.state, g.state AS old_state, g.has_message,
  g.opened_at, g.resolved_at, g.channel, g.policy, g.severity, g.title, g.summary, g.service, g.labels,
  g.links, g.firing_count, g.resolved_count, g.first_seen, g.last_seen, g.acknowledged_by,
  g.acknowledged_at, g.silenced_until, g.silenced_by, g.escalation_step, g.version`;

/** Ids of the open groups with a message and a policy, oldest first (at most `limit`). */
export async function escalationCandidates(db: Queryable, limit: number): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id::text AS id FROM alert_groups
      WHERE state = 'open' AND has_message AND policy IS NOT NULL
      ORDER BY opened_at, id LIMIT $1`,
    [limit],
  );
  return rows.map((r) => r.id);
}

/** What was already sent for a group: the steps by round and index, and the reminder keys. */
export interface SentNotifications {
  steps: { round: number; step: number }[];
  reminderKeys: string[];
}

/**
 * The groups of `ids` (alert_groups ids as decimal text) in id order, each with what was sent for
 * it; a missing id is simply absent. With `lock`, for one escalation run: FOR UPDATE SKIP LOCKED in
 * id order, so a group another replica's run or the intake holds is left to the next run, a minute
 * on, instead of waiting behind a run that holds many rows (and two runs never deadlock).
 */
export async function groupsForEscalation(
  db: Queryable,
  ids: readonly string[],
  opts: { lock: boolean },
): Promise<{ group: GroupRow; sent: SentNotifications }[]> {
  if (ids.length === 0) return [];
  const { rows: groups } = await db.query<GroupRow>(
    `SELECT ${GROUP_COLUMNS} FROM alert_groups g WHERE g.id = ANY($1::bigint[])
      ORDER BY g.id ${opts.lock ? 'FOR UPDATE SKIP LOCKED' : ''}`,
    [ids],
  );
  if (groups.length === 0) return [];
  const { rows: sent } = await db.query<{
    group_id: string;
    kind: string;
    key: string;
    round: number | null;
    step: number | null;
  }>(
    `SELECT group_id::text AS group_id, kind, key, round, step FROM alert_notifications
      WHERE group_id = ANY($1::bigint[])`,
    [groups.map((g) => g.id)],
  );
  const byGroup = new Map<string, SentNotifications>(
    groups.map((g) => [g.id, { steps: [], reminderKeys: [] }]),
  );
  for (const s of sent) {
    const into = byGroup.get(s.group_id)!;
    if (s.kind === 'step') into.steps.push({ round: s.round!, step: s.step! });
    else if (s.kind === 'reminder') into.reminderKeys.push(s.key);
  }
  return groups.map((group) => ({ group, sent: byGroup.get(group.id)! }));
}

export interface NotificationRecord {
  groupId: string;
  key: string;
  kind: 'step' | 'reminder';
  round?: number;
  step?: number;
  reminder?: number;
  dueAt: Date;
  sentAt: Date;
  targets: unknown[];
}

/** Records one notification; false when it was recorded before (nothing written). */
export async function recordNotification(db: Queryable, n: NotificationRecord): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO alert_notifications (group_id, key, kind, round, step, reminder, due_at, sent_at, targets)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (group_id, key) DO NOTHING`,
    [
      n.groupId,
      n.key,
      n.kind,
      n.round ?? null,
      n.step ?? null,
      n.reminder ?? null,
      n.dueAt,
      n.sentAt,
      JSON.stringify(n.targets),
    ],
  );
  return rowCount === 1;
}

/** Sets the group's escalation step (when given) and moves its message one version on. */
export async function bumpGroup(db: Queryable, id: string, step: number | undefined): Promise<GroupRow> {
  const { rows } = await db.query<GroupRow>(
    `UPDATE alert_groups g SET escalation_step = coalesce($2, g.escalation_step), version = g.version + 1
      WHERE g.id = $1 RETURNING ${GROUP_COLUMNS}`,
    [id, step ?? null],
  );
  return rows[0]!;
}

/**
 * Holds the escalation run's lock until COMMIT: one run at a time across replicas. A second
 * replica's run waits, then finds everything of the first recorded; without it, two concurrent runs
 * (SKIP LOCKED) could split one run's groups between them, and a person would get two digests and a
 * channel two `<!here>` for the same minute. Taken first in the run's transaction, before any row
 * lock, so it cannot take part in a deadlock (nothing else takes it).
 */
export async function lockEscalationRun(db: Queryable): Promise<void> {
  await db.query(`SELECT pg_advisory_xact_lock(hashtext('toban.alert-escalation-run'))`);
}
