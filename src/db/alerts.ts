// The alert intake's SQL (services/alerts/intake.ts runs these in one transaction, in this order).
// Each statement takes the whole batch as one JSON parameter (jsonb_to_recordset), so a request
// costs the same number of statements for 1 alert or 1,000: the payload with the groups it opens
// and locks (1), the alerts with their groups' counts (1), then the outbox (1, services/alerts/intake.ts)
// and, for new groups, the storm check (services/alerts/storm.ts).
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

// NUL is the character PostgreSQL refuses, so the class names it.
// eslint-disable-next-line no-control-regex
const NOT_STORABLE = /[\u0000\uD800-\uDFFF]/;

/**
 * The id of the open group of key `key` (an SQL expression) of source $1, as a scalar subquery: a
 * probe of the alert_groups_one_open index per key whatever the planner's statistics say. (Written
 * as a join or `= ANY`, a table that grew in a storm since it was last analyzed was scanned whole:
 * every open group of the source, per request.)
 */
/** Severities, worst first: a severity's rank is its position here. */
const SEVERITY_ORDER = `ARRAY['critical', 'error', 'warning', 'info']`;

const OPEN_GROUP = (key: string) =>
  `SELECT o.id FROM alert_groups o WHERE o.source = $1 AND o.group_key = ${key} AND o.state = 'open' LIMIT 1`;

/**
 * `value` as PostgreSQL can store it in text and jsonb: NUL characters and unpaired UTF-16
 * surrogates (which JSON allows and PostgreSQL refuses) become U+FFFD, in keys and values alike.
 */
export function pgSafe(value: unknown): unknown {
  if (typeof value === 'string')
    // Nearly every string has neither: one test spares the replacing pass (a hot path at intake).
    return NOT_STORABLE.test(value)
      ? value
          .replaceAll('\u0000', '\uFFFD')
          .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
      : value;
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  // Copied only from the first change on: unchanged (the usual case) is the same value, not a copy.
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      const safe = pgSafe(v);
      if (!out && safe !== v) out = value.slice(0, i);
      out?.push(safe);
    }
    return out ?? value;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  let out: Record<string, unknown> | undefined;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const v = record[k];
    const safeKey = pgSafe(k) as string;
    const safe = pgSafe(v);
    if (!out && (safeKey !== k || safe !== v)) {
      out = {};
      for (const before of keys.slice(0, i)) define(out, before, record[before]);
    }
    if (out) define(out, safeKey, safe);
  }
  return out ?? value;
}

/** Sets a key as JSON.parse does: a key named __proto__ stays a key, not the prototype. */
function define(out: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * `text`, JSON as received, when PostgreSQL's jsonb surely takes it as it is: no `\u0000` and no
 * `\uD800`–`\uDFFF` escape (raw NUL or lone surrogates cannot be in valid JSON decoded from UTF-8),
 * and no number beyond what `numeric` holds (an exponent of 4 digits or more, or 1,000 digits in a
 * row: JSON.parse makes these Infinity or rounds them, jsonb refuses them). Else undefined: the
 * parsed value must go through pgJson. Storing the received text spares re-serializing a large body.
 */
export function storableJsonText(text: string): string | undefined {
  return /\\u(?:0000|[dD][89a-fA-F])|[eE][+-]?\d{4}|\d{1000}/.test(text) ? undefined : text;
}

/** JSON text of `value` that PostgreSQL takes (see pgSafe). */
export const pgJson = (value: unknown) => JSON.stringify(pgSafe(value));

/** What alert_payloads keeps of a delivery. */
export interface PayloadToStore {
  source: AlertSource;
  receivedAt: Date;
  body: unknown;
  /** `body` as JSON text PostgreSQL takes (storableJsonText), when the caller has it. */
  bodyText?: string;
  requestId?: string;
  alertCount: number;
}

/**
 * Stores the delivery's payload and makes the deliveries that name any of `keys` of its source wait
 * for each other until COMMIT: a transaction-scoped advisory lock per key, taken in one order (by
 * the lock's value) so that two batches naming the same keys cannot deadlock. It must come before
 * openGroups, as a statement of its own: each later statement's snapshot then holds what the
 * previous delivery of the key committed. Without it a firing and a resolve of a never-seen alert,
 * delivered at once, each opened a group (one left open and paged, the other resolved), and a
 * repeat racing a resolve posted a second message for one alert (an outside test, two replicas:
 * 19 of 20 keys split). The payload's insert rides in the same statement (no round trip more);
 * a delivery with no alert to store (a control message, an empty batch) passes no key.
 * @returns the payload's id.
 */
export async function storePayloadLockingKeys(
  db: Queryable,
  payload: PayloadToStore,
  keys: readonly string[],
): Promise<string> {
  const { rows } = await db.query<{ id: string; locks: string }>({
    name: 'alert-intake-payload-locks',
    text: `WITH payload AS (
       INSERT INTO alert_payloads (source, received_at, body, request_id, alert_count)
       VALUES ($1, $2, $3, $4, $5) RETURNING id
     ),
     locks AS (
       SELECT count(pg_advisory_xact_lock(s.k)) AS n
       FROM (SELECT DISTINCT hashtextextended('toban.alert-key:' || $1 || ':' || key, 0) AS k
             FROM unnest($6::text[]) AS key ORDER BY k) s
     )
     -- locks is read so that its CTE runs.
     SELECT (SELECT id FROM payload)::text AS id, (SELECT n FROM locks)::text AS locks`,
    values: [
      payload.source,
      payload.receivedAt,
      payload.bodyText ?? pgJson(payload.body),
      payload.requestId ?? null,
      payload.alertCount,
      [...new Set(keys)],
    ],
  });
  return rows[0]!.id;
}

// Every intake statement is prepared (a named statement, parsed and planned once per connection):
// their plans do not depend on the values (the batch is one jsonb parameter), and planning these
// CTEs cost as much as running them (EXPLAIN: ~0.5 ms each at one alert, bench/intake.ts).

/**
 * Opens the groups the batch triggers and locks the open groups of every key it names (after
 * storePayloadLockingKeys), so that two deliveries for one key count its alerts one after the other. A key
 * gets a new OPEN group when an alert of it fires that is newer than everything stored of that alert
 * (a firing delivery older than the alert's stored resolve is stale and opens nothing); a key with no
 * open group gets a RESOLVED group (shown to nobody) when the batch resolves an alert toban has never
 * stored, so that its late firing stays resolved.
 * @returns the ids of the groups this statement created, by group key.
 */
export async function openGroups(
  db: Queryable,
  source: AlertSource,
  receivedAt: Date,
  rows: readonly AlertRow[],
): Promise<Map<string, string>> {
  const { rows: out } = await db.query<{
    created: { id: string; group_key: string }[] | null;
    locked: string;
  }>({
    name: 'alert-intake-groups',
    text: `WITH input AS (SELECT * FROM ${INPUT}),
     -- The storms the locked groups are folded into, key-share locked BEFORE the groups: a storm's row
     -- lock comes before its groups' everywhere (Acknowledge all, db/alert-storm-escalation.ts), and
     -- this delivery may fold a new group into that storm (foldGroups) while it holds the groups.
     -- KEY SHARE: deliveries do not wait for each other, only for Acknowledge all and the escalation.
     storms AS (
       SELECT s.id FROM alert_storms s
       WHERE s.id IN (SELECT g.storm_id FROM alert_groups g
                       WHERE g.id = ANY (ARRAY(SELECT (${OPEN_GROUP('k.key')}) FROM unnest($4::text[]) AS k(key))))
       ORDER BY s.id FOR KEY SHARE
     ),
     locked AS (
       SELECT g.id FROM alert_groups g
       WHERE g.id = ANY (ARRAY(SELECT (${OPEN_GROUP('k.key')}) FROM unnest($4::text[]) AS k(key)))
       ORDER BY g.id FOR UPDATE
     ),
     candidates AS (
       SELECT DISTINCT ON (i.group_key) i.*, CASE WHEN i.status = 'firing' THEN 'open' ELSE 'resolved' END AS new_state
       FROM input i LEFT JOIN LATERAL (${LAST_ROW}) last ON true
       WHERE (i.status = 'firing' AND (last.group_id IS NULL OR last.status = 'firing' OR i.starts_at > last.ends_at))
          OR (i.status = 'resolved' AND last.group_id IS NULL AND (${OPEN_GROUP('i.group_key')}) IS NULL)
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
     SELECT (SELECT count(*) FROM storms)::text AS storms,
            (SELECT count(*) FROM locked)::text AS locked,
            (SELECT jsonb_agg(jsonb_build_object('id', id::text, 'group_key', group_key)) FROM ins WHERE inserted) AS created`,
    values: [source, pgJson(rows), receivedAt, [...new Set(rows.map((r) => r.group_key))]],
  });
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
  /** Who made the silence the group shows (migration 0470); optional so older SELECT lists still fit. */
  silenced_by?: string | null;
  escalation_step: number;
  version: number;
}

/** A group the delivery changed, as it now is. */
export interface ChangedGroup extends GroupRow {
  /** Its alerts this delivery fired again (resolved before, firing now). */
  refired: number;
}

/**
 * Applies the batch's alerts and counts their groups again, in one statement.
 *
 * The alerts: inserts new ones and applies the newer deliveries: a resolve whose ends_at is not
 * before the stored starts_at, a firing whose starts_at is after the stored ends_at (a re-fire).
 * Anything else (the same delivery again, an older one) changes nothing. A firing alert goes to its
 * key's open group; a resolve to the group holding the alert, else the open group, else the key's
 * newest group.
 *
 * The groups the alerts changed: their counts moved by the rows written (not counted again: a
 * group of thousands of alerts costs no more than one of ten), their severity the worst firing
 * one, resolved when none fires (at their alerts' latest ends_at), one version on. Only a delivery
 * that stops an alert firing reads the group's other alerts (its worst may have left).
 * @returns the changed groups with the state each had before: none for a repeated delivery.
 */
export async function applyAlerts(
  db: Queryable,
  source: AlertSource,
  rows: readonly AlertRow[],
  payloadId: string,
  receivedAt: Date,
): Promise<ChangedGroup[]> {
  const { rows: out } = await db.query<ChangedGroup>({
    name: 'alert-intake-alerts',
    text: `WITH input AS (SELECT * FROM ${INPUT}),
     -- The open group of each key, looked up once per key (a webhook's alerts share a key).
     open_group AS MATERIALIZED (
       SELECT k.group_key, (${OPEN_GROUP('k.group_key')}) AS id FROM (SELECT DISTINCT group_key FROM input) k
     ),
     target AS (
       SELECT i.*, CASE
           WHEN i.status = 'firing' THEN coalesce(o.id, last.group_id)
           ELSE coalesce(last.group_id, o.id,
                  (SELECT max(g.id) FROM alert_groups g WHERE g.source = $1 AND g.group_key = i.group_key))
         END AS group_id
       FROM input i
       JOIN open_group o ON o.group_key = i.group_key
       LEFT JOIN LATERAL (${LAST_ROW}) last ON true
     ),
     up AS (
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
       RETURNING a.group_id, a.fingerprint, a.status, a.severity, a.ends_at, (a.xmax = 0) AS inserted
     ),
     -- What the delivery changed per group. Counts move by the rows written: a new alert adds to its
     -- status, a changed one moved from the other status (the upsert changes only a status flip).
     d AS (
       SELECT u.group_id,
              sum(CASE WHEN u.status = 'firing' THEN 1 WHEN NOT u.inserted THEN -1 ELSE 0 END)::int AS firing,
              sum(CASE WHEN u.status = 'resolved' THEN 1 WHEN NOT u.inserted THEN -1 ELSE 0 END)::int AS resolved,
              max(u.ends_at) AS last_end,
              min(array_position(${SEVERITY_ORDER}, u.severity)) FILTER (WHERE u.status = 'firing') AS worst,
              bool_or(u.status = 'resolved' AND NOT u.inserted) AS stopped,
              count(*) FILTER (WHERE u.status = 'firing' AND NOT u.inserted)::int AS refired
       FROM up u GROUP BY u.group_id
     ),
     -- Only where an alert stopped firing may the group's worst severity have left with it, and may
     -- the group resolve: there, and only there, its other alerts are read (the snapshot holds none of
     -- this statement's writes, so the rows it wrote are left out and counted from up).
     rest AS (
       SELECT d.group_id,
              (SELECT min(array_position(${SEVERITY_ORDER}, a.severity)) FROM alerts a
                WHERE a.group_id = d.group_id AND a.status = 'firing'
                  AND NOT EXISTS (SELECT 1 FROM up u WHERE u.group_id = a.group_id AND u.fingerprint = a.fingerprint))
                AS worst,
              (SELECT max(a.ends_at) FROM alerts a WHERE a.group_id = d.group_id) AS last_end
       FROM d WHERE d.stopped
     ),
     c AS (
       SELECT d.group_id, g.firing_count + d.firing AS firing, g.resolved_count + d.resolved AS resolved,
              greatest(d.last_end, r.last_end) AS last_end,
              (${SEVERITY_ORDER})[CASE
                 WHEN r.group_id IS NOT NULL THEN least(r.worst, d.worst)
                 WHEN g.firing_count = 0 THEN d.worst
                 ELSE least(array_position(${SEVERITY_ORDER}, g.severity), d.worst)
               END] AS worst,
              d.refired
       FROM d JOIN alert_groups g ON g.id = d.group_id LEFT JOIN rest r ON r.group_id = d.group_id
     ),
     counted AS (
       UPDATE alert_groups g SET
         firing_count = c.firing,
         resolved_count = c.resolved,
         state = CASE WHEN c.firing = 0 THEN 'resolved' ELSE g.state END,
         resolved_at = CASE WHEN c.firing = 0 THEN coalesce(g.resolved_at, c.last_end, $4) ELSE g.resolved_at END,
         severity = coalesce(c.worst, g.severity),
         last_seen = greatest(g.last_seen, $4),
         version = g.version + 1
       FROM c WHERE g.id = c.group_id
       RETURNING g.id, g.source, g.group_key, g.state, g.has_message, g.opened_at,
                 g.resolved_at, g.channel, g.policy, g.severity, g.title, g.summary, g.service, g.labels, g.links,
                 g.firing_count, g.resolved_count, g.first_seen, g.last_seen, g.acknowledged_by,
                 g.acknowledged_at, g.silenced_until, g.silenced_by, g.escalation_step, g.version
     )
     -- The groups as they were come from the snapshot, which holds none of this statement's writes.
     SELECT n.id::text AS id, n.source, n.group_key, n.state, o.state AS old_state, n.has_message, n.opened_at,
            n.resolved_at, n.channel, n.policy, n.severity, n.title, n.summary, n.service, n.labels, n.links,
            n.firing_count, n.resolved_count, n.first_seen, n.last_seen, n.acknowledged_by,
            n.acknowledged_at, n.silenced_until, n.silenced_by, n.escalation_step, n.version, c.refired
     FROM counted n JOIN alert_groups o ON o.id = n.id JOIN c ON c.group_id = n.id
     ORDER BY n.id`,
    values: [source, pgJson(rows), payloadId, receivedAt],
  });
  return out;
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
    ...(r.silenced_by ? { silencedBy: r.silenced_by } : {}),
    escalationStep: r.escalation_step,
    version: r.version,
  };
}
