// Heartbeats' SQL (services/alerts/heartbeats.ts): one row per configured heartbeat, locked while a
// beat or a check decides on its alert, and whether its alert for one late period is stored.
import { heartbeatKey } from '../domain/heartbeat.ts';
import type { Queryable } from './pool.ts';

export interface HeartbeatRow {
  name: string;
  watching_since: Date;
  last_beat_at: Date | null;
}

/**
 * The row of heartbeat `name`, created with watching_since = `now` when it has none, and locked
 * (FOR UPDATE) until the caller's transaction ends, so beats and checks take turns.
 */
export async function lockHeartbeat(db: Queryable, name: string, now: Date): Promise<HeartbeatRow> {
  await db.query(
    'INSERT INTO heartbeats (name, watching_since) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING',
    [name, now],
  );
  const { rows } = await db.query<HeartbeatRow>(
    'SELECT name, watching_since, last_beat_at FROM heartbeats WHERE name = $1 FOR UPDATE',
    [name],
  );
  return rows[0]!;
}

export async function recordBeat(db: Queryable, name: string, at: Date): Promise<void> {
  await db.query(
    'UPDATE heartbeats SET last_beat_at = greatest(last_beat_at, $2), beats = beats + 1 WHERE name = $1',
    [name, at],
  );
}

/** Whether heartbeat `name`'s alert has an open group. */
export async function heartbeatAlertOpen(db: Queryable, name: string): Promise<boolean> {
  const { rows } = await db.query(
    `SELECT 1 FROM alert_groups WHERE source = 'generic' AND group_key = $1 AND state = 'open'`,
    [heartbeatKey(name)],
  );
  return rows.length > 0;
}

/** Whether the alert of heartbeat `name` for the late period beginning at `lateSince` is stored. */
export async function heartbeatAlertStored(db: Queryable, name: string, lateSince: Date): Promise<boolean> {
  const { rows } = await db.query(
    `SELECT 1 FROM alerts a JOIN alert_groups g ON g.id = a.group_id
      WHERE g.source = 'generic' AND g.group_key = $1 AND a.fingerprint = $1 AND a.starts_at = $2`,
    [heartbeatKey(name), lateSince],
  );
  return rows.length > 0;
}
