// SQL of rotations (migration 0300): the shift history, overrides and cover requests. Rotations
// themselves live in toban.yml; rows name them by id.
import type { Override, OverrideKind } from '../domain/override.ts';
import type { Queryable } from './pool.ts';

/** A handoff that happened (a row of rotation_handoffs). */
export interface RecordedHandoff {
  rotationId: string;
  startsAt: Date;
  /** When it ended, or is expected to end. */
  endsAt: Date;
  userId: string;
  scheduledUserId: string;
  position: number;
  reason: 'schedule' | OverrideKind;
  overrideId: string | null;
}

const HANDOFF = `rotation_id AS "rotationId", starts_at AS "startsAt", ends_at AS "endsAt",
  user_id AS "userId", scheduled_user_id AS "scheduledUserId", position, reason,
  override_id::text AS "overrideId"`;

/** The last handoff recorded in the rotation at or before `at` (any time, without `at`). */
export async function lastHandoff(
  db: Queryable,
  rotationId: string,
  at?: Date,
): Promise<RecordedHandoff | undefined> {
  const { rows } = await db.query<RecordedHandoff>(
    `SELECT ${HANDOFF} FROM rotation_handoffs
      WHERE rotation_id = $1 AND ($2::timestamptz IS NULL OR starts_at <= $2)
      ORDER BY starts_at DESC LIMIT 1`,
    [rotationId, at ?? null],
  );
  return rows[0];
}

/** The recorded handoffs of a rotation starting in [from, to), in order. */
export async function handoffsBetween(
  db: Queryable,
  rotationId: string,
  from: Date,
  to: Date,
): Promise<RecordedHandoff[]> {
  const { rows } = await db.query<RecordedHandoff>(
    `SELECT ${HANDOFF} FROM rotation_handoffs
      WHERE rotation_id = $1 AND starts_at >= $2 AND starts_at < $3 ORDER BY starts_at`,
    [rotationId, from, to],
  );
  return rows;
}

/**
 * Records a handoff once: false when the rotation already has one at that instant (another replica,
 * or an earlier run, wrote it). The handoff before it is closed at its start.
 */
export async function insertHandoff(db: Queryable, h: RecordedHandoff): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO rotation_handoffs (rotation_id, starts_at, ends_at, user_id, scheduled_user_id, position,
                                    reason, override_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (rotation_id, starts_at) DO NOTHING`,
    [h.rotationId, h.startsAt, h.endsAt, h.userId, h.scheduledUserId, h.position, h.reason, h.overrideId],
  );
  if (rowCount === 0) return false;
  await db.query(
    `UPDATE rotation_handoffs SET ends_at = $2
      WHERE rotation_id = $1 AND starts_at < $2 AND ends_at > $2`,
    [h.rotationId, h.startsAt],
  );
  return true;
}

/**
 * Holds the rotation's lock until the transaction ends: overrides are checked for overlap and
 * written, and handoffs recorded, one writer per rotation at a time across replicas.
 */
export async function lockRotation(db: Queryable, rotationId: string): Promise<void> {
  await db.query(`SELECT pg_advisory_xact_lock(hashtext('toban.rotation:' || $1))`, [rotationId]);
}

const OVERRIDE = `id::text, rotation_id AS "rotationId", user_id AS "userId", starts_at AS "start",
  ends_at AS "end", kind, created_by AS "createdBy"`;

/** Overrides of a rotation (every rotation when `rotationId` is undefined) overlapping [from, to). */
export async function overridesBetween(
  db: Queryable,
  rotationId: string | undefined,
  from: Date,
  to: Date,
): Promise<Override[]> {
  const { rows } = await db.query<Override>(
    `SELECT ${OVERRIDE} FROM rotation_overrides
      WHERE ($1::text IS NULL OR rotation_id = $1) AND ends_at > $2 AND starts_at < $3
      ORDER BY starts_at`,
    [rotationId ?? null, from, to],
  );
  return rows;
}

/** A person's overrides ending after `after` (the ones they hold, and the ones they set), soonest first. */
export async function overridesOf(
  db: Queryable,
  userId: string,
  after: Date,
  limit: number,
): Promise<Override[]> {
  const { rows } = await db.query<Override>(
    `SELECT ${OVERRIDE} FROM rotation_overrides
      WHERE (user_id = $1 OR created_by = $1) AND ends_at > $2 ORDER BY starts_at LIMIT $3`,
    [userId, after, limit],
  );
  return rows;
}

export async function overrideByRequestKey(db: Queryable, key: string): Promise<Override | undefined> {
  const { rows } = await db.query<Override>(
    `SELECT ${OVERRIDE} FROM rotation_overrides WHERE request_key = $1`,
    [key],
  );
  return rows[0];
}

/** Inserts an override; undefined when one with the same request key exists. */
export async function insertOverride(
  db: Queryable,
  o: Omit<Override, 'id'> & { coverRequestId: string | null; requestKey: string | null; at: Date },
): Promise<Override | undefined> {
  const { rows } = await db.query<Override>(
    `INSERT INTO rotation_overrides (rotation_id, user_id, starts_at, ends_at, kind, created_by,
                                     cover_request_id, request_key, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (request_key) DO NOTHING
     RETURNING ${OVERRIDE}`,
    [o.rotationId, o.userId, o.start, o.end, o.kind, o.createdBy, o.coverRequestId, o.requestKey, o.at],
  );
  return rows[0];
}

export interface CoverRequest {
  id: string;
  rotationId: string;
  requester: string;
  start: Date;
  end: Date;
  status: 'open' | 'accepted';
  acceptedBy: string | null;
}

const COVER = `id::text, rotation_id AS "rotationId", requester, starts_at AS "start", ends_at AS "end",
  status, accepted_by AS "acceptedBy"`;

/** Inserts an open cover request; undefined when one with the same request key exists. */
export async function insertCoverRequest(
  db: Queryable,
  c: Pick<CoverRequest, 'rotationId' | 'requester' | 'start' | 'end'> & {
    requestKey: string | null;
    at: Date;
  },
): Promise<CoverRequest | undefined> {
  const { rows } = await db.query<CoverRequest>(
    `INSERT INTO rotation_cover_requests (rotation_id, requester, starts_at, ends_at, request_key, created_at)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (request_key) DO NOTHING
     RETURNING ${COVER}`,
    [c.rotationId, c.requester, c.start, c.end, c.requestKey, c.at],
  );
  return rows[0];
}

export async function coverRequestByKey(db: Queryable, key: string): Promise<CoverRequest | undefined> {
  const { rows } = await db.query<CoverRequest>(
    `SELECT ${COVER} FROM rotation_cover_requests WHERE request_key = $1`,
    [key],
  );
  return rows[0];
}

/** The cover request, locked until the transaction ends (two accepts: the second waits, then reads it taken). */
export async function lockCoverRequest(db: Queryable, id: string): Promise<CoverRequest | undefined> {
  const { rows } = await db.query<CoverRequest>(
    `SELECT ${COVER} FROM rotation_cover_requests WHERE id = $1 FOR UPDATE`,
    [id],
  );
  return rows[0];
}

/** Who asked for cover request `id` (undefined: no such request). */
export async function coverRequester(db: Queryable, id: string): Promise<string | undefined> {
  const { rows } = await db.query<{ requester: string }>(
    'SELECT requester FROM rotation_cover_requests WHERE id = $1',
    [id],
  );
  return rows[0]?.requester;
}

export async function markCoverAccepted(db: Queryable, id: string, by: string, at: Date): Promise<void> {
  await db.query(
    `UPDATE rotation_cover_requests SET status = 'accepted', accepted_by = $2, accepted_at = $3 WHERE id = $1`,
    [id, by, at],
  );
}

/** The ref a cover request's channel post is recorded under (outbox slack.post `ref`). */
export function coverPostRef(id: string): string {
  return `cover:${id}`;
}
