// The alert intake's SQL (services/alerts/intake.ts runs these in one transaction, in this order).
// Each statement takes the whole batch as one JSON parameter (jsonb_to_recordset), so a request
// costs the same number of statements for 1 alert or 1,000: the payload (1), the groups (open and
// lock: 1), the alerts (1), the groups' counts (1), then the outbox (1, services/alerts/intake.ts).
import type { AlertLinks, AlertSource, AlertStatus, Severity } from '../domain/alert.ts';
import type { AlertGroup, AlertGroupState } from '../domain/alert-group.ts';
import type { Queryable } from './pool.ts';

/** One alert of the batch as the statements take it (deduplicated per group key and fingerprint). */
export interface AlertRow {
  ord: number;
  group_key: string;
  fingerprint: string;
  status: AlertStatus;
  severity: Severity;
  title: string;
  summary: string | null;
  service: string | null;
  starts_at: string;
  ends_at: string | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  links: AlertLinks;
  /** Where the group goes if this alert opens it. */
  channel: string;
  policy: string | null;
}

const INPUT = `jsonb_to_recordset($2::jsonb) AS x(ord int, group_key text, fingerprint text, status text,
  severity text, title text, summary text, service text, starts_at timestamptz, ends_at timestamptz,
  labels jsonb, annotations jsonb, links jsonb, channel text, policy text)`;

/** The newest stored row of the input alert `i` among the groups of its key (LATERAL body). */
const LAST_ROW = `SELECT a.group_id, a.status, a.starts_at, a.ends_at
  FROM alerts a JOIN alert_groups g ON g.id = a.group_id
  WHERE g.source = $1 AND g.group_key = i.group_key AND a.fingerprint = i.fingerprint
  ORDER BY a.group_id DESC LIMIT 1`;

/**
 * `value` as PostgreSQL can store it in text and jsonb: NUL characters and unpaired UTF-16
 * surrogates (which JSON allows and PostgreSQL refuses) become U+FFFD, in keys and values alike.
 */
export function pgSafe(value: unknown): unknown {
  if (typeof value === 'string')
    return value
      .replaceAll('\u0000', '\uFFFD')
      .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
  if (value instanceof Date) return value;
  if (Array.isArray(value)) return value.map(pgSafe);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      Object.defineProperty(out, pgSafe(k) as string, {
        value: pgSafe(v),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    return out;
  }
  return value;
}

/** JSON text of `value` that PostgreSQL takes (see pgSafe). */
export const pgJson = (value: unknown) => JSON.stringify(pgSafe(value));

export async function insertPayload(
  db: Queryable,
  p: { source: AlertSource; receivedAt: Date; body: unknown; requestId?: string; alertCount: number },
): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO alert_payloads (source, received_at, body, request_id, alert_count)
     VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [p.source, p.receivedAt, pgJson(p.body), p.requestId ?? null, p.alertCount],
  );
  return rows[0]!.id;
}

/**
 * Opens the groups the batch triggers and locks the open groups of every key it names, so that two
 * deliveries for one key count its alerts one after the other. A key gets a new OPEN group when an
 * alert of it fires that is newer than everything stored of that alert (a firing delivery older than
 * the alert's stored resolve is stale and opens nothing); a key with no open group gets a RESOLVED
 * group (shown to nobody) when the batch resolves an alert toban has never stored, so that its late
 * firing stays resolved.
 * @returns the ids of the groups this statement created, by group key.
 */
export async function openGroups(
  db: Queryable,
  source: AlertSource,
  rows: readonly AlertRow[],
  receivedAt: Date,
): Promise<Map<string, string>> {
  const { rows: out } = await db.query<{
    created: { id: string; group_key: string }[] | null;
    locked: string;
  }>(
    `WITH input AS (SELECT * FROM ${INPUT}),
     locked AS (
       SELECT g.id FROM alert_groups g
       -- = ANY(ARRAY(...)): an index scan per key, not a join over every open group.
       WHERE g.source = $1 AND g.state = 'open' AND g.group_key = ANY (ARRAY(SELECT group_key FROM input))
       ORDER BY g.id FOR UPDATE
     ),
     candidates AS (
       SELECT DISTINCT ON (i.group_key) i.*, CASE WHEN i.status = 'firing' THEN 'open' ELSE 'resolved' END AS new_state
       FROM input i LEFT JOIN LATERAL (${LAST_ROW}) last ON true
       WHERE (i.status = 'firing' AND (last.group_id IS NULL OR last.status = 'firing' OR i.starts_at > last.ends_at))
          OR (i.status = 'resolved' AND last.group_id IS NULL AND NOT EXISTS (
                SELECT 1 FROM alert_groups o WHERE o.source = $1 AND o.group_key = i.group_key AND o.state = 'open'))
       ORDER BY i.group_key, (i.status = 'firing') DESC, i.ord
     ),
     ins AS (
       INSERT INTO alert_groups (source, group_key, state, opened_at, resolved_at, channel, policy, severity,
                                 title, summary, service, labels, links, first_seen, last_seen, has_message)
       SELECT $1, c.group_key, c.new_state, $3, CASE WHEN c.new_state = 'resolved' THEN $3::timestamptz END,
              c.channel, c.policy, c.severity, c.title, c.summary, c.service, c.labels, c.links, $3, $3,
              c.new_state = 'open'
       FROM candidates c ORDER BY c.group_key
       ON CONFLICT (source, group_key) WHERE state = 'open'
       DO UPDATE SET last_seen = greatest(alert_groups.last_seen, EXCLUDED.last_seen)
       RETURNING id, group_key, (xmax = 0) AS inserted
     )
     SELECT (SELECT count(*) FROM locked)::text AS locked,
            (SELECT jsonb_agg(jsonb_build_object('id', id::text, 'group_key', group_key)) FROM ins WHERE inserted) AS created`,
    [source, pgJson(rows), receivedAt],
  );
  return new Map((out[0]?.created ?? []).map((c) => [c.group_key, c.id]));
}

/**
 * Deletes those of groups `ids` that hold no alert (a group openGroups created in a transaction
 * whose alerts a concurrent delivery took: services/alerts/intake.ts). Nothing refers to such a
 * group yet: no alerts, no Slack rows, no notifications.
 */
export async function dropEmptyGroups(db: Queryable, ids: readonly string[]): Promise<void> {
  await db.query(
    `DELETE FROM alert_groups g
     WHERE g.id = ANY ($1::bigint[]) AND NOT EXISTS (SELECT 1 FROM alerts a WHERE a.group_id = g.id)`,
    [ids],
  );
}

/** An alert row the upsert inserted or changed. */
export interface ChangedAlert {
  group_id: string;
  status: AlertStatus;
  inserted: boolean;
}

/**
 * Inserts the batch's alerts and applies the newer deliveries: a resolve whose ends_at is not
 * before the stored starts_at, a firing whose starts_at is after the stored ends_at (a re-fire).
 * Anything else (the same delivery again, an older one) changes nothing. A firing alert goes to its
 * key's open group; a resolve to the group holding the alert, else the open group, else the key's
 * newest group.
 * @returns the rows inserted or changed: none for a repeated delivery.
 */
export async function upsertAlerts(
  db: Queryable,
  source: AlertSource,
  rows: readonly AlertRow[],
  payloadId: string,
): Promise<ChangedAlert[]> {
  const { rows: out } = await db.query<ChangedAlert>(
    `WITH input AS (SELECT * FROM ${INPUT}),
     target AS (
       SELECT i.*, CASE
           WHEN i.status = 'firing' THEN coalesce(o.id, last.group_id)
           ELSE coalesce(last.group_id, o.id,
                  (SELECT max(g.id) FROM alert_groups g WHERE g.source = $1 AND g.group_key = i.group_key))
         END AS group_id
       FROM input i
       LEFT JOIN alert_groups o ON o.source = $1 AND o.group_key = i.group_key AND o.state = 'open'
       LEFT JOIN LATERAL (${LAST_ROW}) last ON true
     )
     INSERT INTO alerts AS a (group_id, fingerprint, status, severity, title, starts_at, ends_at, labels,
                              annotations, links, last_payload)
     SELECT group_id, fingerprint, status, severity, title, starts_at, ends_at, labels, annotations, links, $3
     FROM target WHERE group_id IS NOT NULL ORDER BY group_id, fingerprint
     ON CONFLICT (group_id, fingerprint) DO UPDATE SET
       status = EXCLUDED.status,
       starts_at = CASE WHEN EXCLUDED.status = 'firing' THEN EXCLUDED.starts_at ELSE a.starts_at END,
       ends_at = EXCLUDED.ends_at,
       severity = EXCLUDED.severity, title = EXCLUDED.title, labels = EXCLUDED.labels,
       annotations = EXCLUDED.annotations, links = EXCLUDED.links, last_payload = EXCLUDED.last_payload
     WHERE (EXCLUDED.status = 'resolved' AND a.status = 'firing' AND EXCLUDED.ends_at >= a.starts_at)
        OR (EXCLUDED.status = 'firing' AND a.status = 'resolved' AND EXCLUDED.starts_at > a.ends_at)
     RETURNING a.group_id::text AS group_id, a.status, (a.xmax = 0) AS inserted`,
    [source, pgJson(rows), payloadId],
  );
  return out;
}

export interface GroupRow {
  id: string;
  source: AlertSource;
  group_key: string;
  state: AlertGroupState;
  old_state: AlertGroupState;
  has_message: boolean;
  opened_at: Date;
  resolved_at: Date | null;
  channel: string;
  policy: string | null;
  severity: Severity;
  title: string;
  summary: string | null;
  service: string | null;
  labels: Record<string, string>;
  links: AlertLinks;
  firing_count: number;
  resolved_count: number;
  first_seen: Date;
  last_seen: Date;
  acknowledged_by: string | null;
  acknowledged_at: Date | null;
  silenced_until: Date | null;
  escalation_step: number;
  version: number;
}

/**
 * Counts the alerts of the groups `ids` again, resolves those with none firing (at their alerts'
 * latest ends_at) and moves each one version on.
 * @returns the groups as they now are, with the state each had before.
 */
export async function recountGroups(
  db: Queryable,
  ids: readonly string[],
  receivedAt: Date,
): Promise<GroupRow[]> {
  const { rows } = await db.query<GroupRow>(
    `UPDATE alert_groups g SET
       firing_count = c.firing,
       resolved_count = c.resolved,
       state = CASE WHEN c.firing = 0 THEN 'resolved' ELSE g.state END,
       resolved_at = CASE WHEN c.firing = 0 THEN coalesce(g.resolved_at, c.last_end, $2) ELSE g.resolved_at END,
       severity = coalesce(c.worst, g.severity),
       last_seen = greatest(g.last_seen, $2),
       version = g.version + 1
     FROM (
       SELECT a.group_id, count(*) FILTER (WHERE a.status = 'firing')::int AS firing,
              count(*) FILTER (WHERE a.status = 'resolved')::int AS resolved,
              max(a.ends_at) AS last_end,
              (array_agg(a.severity ORDER BY array_position(ARRAY['critical', 'error', 'warning', 'info'], a.severity))
                 FILTER (WHERE a.status = 'firing'))[1] AS worst
       FROM alerts a WHERE a.group_id = ANY($1::bigint[]) GROUP BY a.group_id
     ) c, (SELECT id, state AS old_state FROM alert_groups WHERE id = ANY($1::bigint[])) o
     WHERE g.id = c.group_id AND o.id = g.id
     RETURNING g.id::text AS id, g.source, g.group_key, g.state, o.old_state, g.has_message, g.opened_at,
               g.resolved_at, g.channel, g.policy, g.severity, g.title, g.summary, g.service, g.labels, g.links,
               g.firing_count, g.resolved_count, g.first_seen, g.last_seen, g.acknowledged_by,
               g.acknowledged_at, g.silenced_until, g.escalation_step, g.version`,
    [ids, receivedAt],
  );
  return rows;
}

/** The domain's view of a group row. */
export function groupOf(r: Omit<GroupRow, 'old_state' | 'has_message'>): AlertGroup {
  return {
    id: r.id,
    source: r.source,
    groupKey: r.group_key,
    state: r.state,
    openedAt: r.opened_at,
    ...(r.resolved_at ? { resolvedAt: r.resolved_at } : {}),
    channel: r.channel,
    ...(r.policy ? { policy: r.policy } : {}),
    severity: r.severity,
    title: r.title,
    ...(r.summary ? { summary: r.summary } : {}),
    ...(r.service ? { service: r.service } : {}),
    labels: r.labels,
    links: r.links,
    firingCount: r.firing_count,
    resolvedCount: r.resolved_count,
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    ...(r.acknowledged_by ? { acknowledgedBy: r.acknowledged_by } : {}),
    ...(r.acknowledged_at ? { acknowledgedAt: r.acknowledged_at } : {}),
    ...(r.silenced_until ? { silencedUntil: r.silenced_until } : {}),
    escalationStep: r.escalation_step,
    version: r.version,
  };
}
