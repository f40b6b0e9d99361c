// Storm summaries' SQL (services/alerts/storm.ts). The fold runs inside the intake's transaction;
// the refresh in a transaction of its own (the storm refresh job).
import type { Severity } from '../domain/alert.ts';
import type { AlertGroupState } from '../domain/alert-group.ts';
import type { Queryable } from './pool.ts';

/**
 * Serialises, per channel, the requests that open groups in it until COMMIT, so two of them cannot
 * both see a quiet channel and post past the threshold. Channels in sorted order (no deadlock); taken
 * after the intake's group locks, which no holder of a channel lock waits for.
 */
export async function lockChannels(db: Queryable, channels: readonly string[]): Promise<void> {
  await db.query(
    `SELECT pg_advisory_xact_lock(hashtext('toban.alert-storm:' || c))
     FROM (SELECT DISTINCT c FROM unnest($1::text[]) c ORDER BY c) s`,
    [channels],
  );
}

export interface ChannelState {
  /** Groups shown in the channel (posted or folded) opened in (since, now], not counting `except`. */
  recent: number;
  /** The channel's storm with a group after `since`, if any. */
  stormId: string | null;
}

export async function channelState(
  db: Queryable,
  channel: string,
  since: Date,
  except: readonly string[],
): Promise<ChannelState> {
  const { rows } = await db.query<{ recent: number; storm_id: string | null }>(
    `SELECT (SELECT count(*)::int FROM alert_groups
             WHERE channel = $1 AND opened_at > $2 AND (has_message OR storm_id IS NOT NULL)
               AND id <> ALL ($3::bigint[])) AS recent,
            (SELECT id::text FROM alert_storms WHERE channel = $1 AND last_group_at > $2
             ORDER BY last_group_at DESC, id DESC LIMIT 1) AS storm_id`,
    [channel, since, except],
  );
  return { recent: rows[0]!.recent, stormId: rows[0]!.storm_id };
}

export async function createStorm(db: Queryable, channel: string, now: Date): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO alert_storms (channel, started_at, last_group_at) VALUES ($1, $2, $2) RETURNING id::text`,
    [channel, now],
  );
  return rows[0]!.id;
}

/**
 * Folds the groups `ids` into storm `stormId`: they lose their own message and count in the storm.
 * @returns the storm's new version.
 */
export async function foldGroups(
  db: Queryable,
  stormId: string,
  ids: readonly string[],
  now: Date,
): Promise<number> {
  const { rows } = await db.query<{ version: number }>(
    `WITH g AS (
       UPDATE alert_groups SET storm_id = $1, has_message = false WHERE id = ANY ($2::bigint[]) RETURNING id
     )
     UPDATE alert_storms SET last_group_at = greatest(last_group_at, $3), version = version + 1,
                             group_count = group_count + (SELECT count(*) FROM g)
     WHERE id = $1 RETURNING version`,
    [stormId, ids, now],
  );
  return rows[0]!.version;
}

/** Records that the message written to the outbox now shows `version` (and the storm's end). */
export async function markShown(
  db: Queryable,
  stormId: string,
  version: number,
  now: Date,
  ended: boolean,
): Promise<void> {
  await db.query(
    `UPDATE alert_storms SET shown_version = greatest(shown_version, $2), shown_at = $3,
                             ended_shown = ended_shown OR $4 WHERE id = $1`,
    [stormId, version, now, ended],
  );
}

export interface StormRow {
  id: string;
  channel: string;
  started_at: Date;
  last_group_at: Date;
  group_count: number;
  version: number;
}

/**
 * The storms whose summary is behind (a fold not shown yet, or its end not said), whose last message
 * is at least `refreshBefore` old and has left the outbox (no pending row of its ordering key):
 * locked, skipping those another replica is refreshing.
 */
export async function stormsToRefresh(
  db: Queryable,
  refreshBefore: Date,
  endedBefore: Date,
  transport: string,
): Promise<StormRow[]> {
  const { rows } = await db.query<StormRow>(
    `SELECT s.id::text AS id, s.channel, s.started_at, s.last_group_at, s.group_count, s.version
     FROM alert_storms s
     WHERE NOT s.ended_shown
       AND (s.version > s.shown_version OR s.last_group_at <= $2)
       AND (s.shown_at IS NULL OR s.shown_at <= $1)
       AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.state = 'pending' AND o.transport = $3
                         AND o.ordering_key = 'alert-storm:' || s.id::text)
     ORDER BY s.id
     FOR UPDATE OF s SKIP LOCKED`,
    [refreshBefore, endedBefore, transport],
  );
  return rows;
}

export interface StormCount {
  service: string | null;
  severity: Severity;
  groups: number;
  open: number;
}

export interface StormGroup {
  id: string;
  title: string;
  severity: Severity;
  service: string | null;
  state: AlertGroupState;
  firing_count: number;
}

export interface StormContents {
  counts: StormCount[];
  /** The worst groups first (severity, then firing alerts), at most `top`. */
  top: StormGroup[];
  /** Every folded group's id. */
  ids: string[];
  /** Open folded groups nobody acknowledged (what Acknowledge all would acknowledge). */
  unacknowledged: number;
  /** Who pressed Acknowledge all, and when (null: nobody, or a later group restarted the escalation). */
  acknowledgedBy: string | null;
  acknowledgedAt: Date | null;
  /** The 1-based escalation step the storm reached (null: none yet). */
  escalationStep: number | null;
}

export async function stormContents(db: Queryable, stormId: string, top: number): Promise<StormContents> {
  const { rows } = await db.query<{
    counts: StormCount[] | null;
    top: StormGroup[] | null;
    ids: string[] | null;
    unacknowledged: number;
    acknowledged_by: string | null;
    acknowledged_at: Date | null;
    escalation_step: number | null;
  }>(
    `SELECT
       (SELECT jsonb_agg(c ORDER BY c.groups DESC, c.service, c.severity) FROM (
          SELECT service, severity, count(*)::int AS groups, count(*) FILTER (WHERE state = 'open')::int AS open
          FROM alert_groups WHERE storm_id = $1 GROUP BY service, severity) c) AS counts,
       (SELECT jsonb_agg(t) FROM (
          SELECT id::text AS id, title, severity, service, state, firing_count
          FROM alert_groups WHERE storm_id = $1
          ORDER BY (state = 'open') DESC, array_position(ARRAY['critical', 'error', 'warning', 'info'], severity),
                   firing_count DESC, alert_groups.id
          LIMIT $2) t) AS top,
       (SELECT array_agg(id::text ORDER BY id) FROM alert_groups WHERE storm_id = $1) AS ids,
       (SELECT count(*)::int FROM alert_groups
         WHERE storm_id = $1 AND state = 'open' AND acknowledged_by IS NULL) AS unacknowledged,
       s.acknowledged_by, s.acknowledged_at, s.escalation_step
     FROM alert_storms s WHERE s.id = $1`,
    [stormId, top],
  );
  const r = rows[0]!;
  return {
    counts: r.counts ?? [],
    top: r.top ?? [],
    ids: r.ids ?? [],
    unacknowledged: r.unacknowledged,
    acknowledgedBy: r.acknowledged_by,
    acknowledgedAt: r.acknowledged_at,
    escalationStep: r.escalation_step,
  };
}
