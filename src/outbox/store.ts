// The outbox worker's SQL, all of it (enqueue.ts holds the writer's side).
//
// A claim is a lease, not a held lock: one short transaction picks due rows with
// FOR UPDATE SKIP LOCKED, counts the attempt and pushes next_attempt_at to the end of the lease, then
// commits. The delivery runs with no transaction open; its outcome is written by a second short
// statement fenced on (attempts, next_attempt_at), so a worker whose lease ran out cannot overwrite
// the outcome of the worker that took the row over. A row whose worker died stays 'pending' and
// becomes due again when the lease ends: it is retried, never lost.
//
// Time: every function takes `now`. Null means the database's clock, which is what production uses
// (rows are enqueued with next_attempt_at = the database's now(), so comparing against the same clock
// avoids skew between the app host and the database host). Tests may pass their own clock.
import { withTransaction, type Pool, type Queryable } from '../db/pool.ts';
import type { Delivered, MessageLocation, OutboxRow } from './deliverer.ts';

export type Now = Date | null;

/** A claimed row plus the lease that identifies this claim. */
export interface Claim extends OutboxRow {
  leaseUntil: Date;
}

// A row is eligible when it is pending and no earlier pending row shares its ordering key: a leased
// row stays 'pending', so the rows behind it wait until it is delivered or dead.
const ELIGIBLE = `
  o.state = 'pending'
  AND NOT EXISTS (
    SELECT 1 FROM outbox e
    WHERE e.state = 'pending' AND e.ordering_key = o.ordering_key AND e.id < o.id
  )`;

const MS = `* interval '1 millisecond'`;

export async function claimDue(
  db: Queryable,
  opts: { now: Now; limit: number; leaseMs: number },
): Promise<Claim[]> {
  const { rows } = await db.query<{
    id: string;
    kind: string;
    payload: unknown;
    attempts: number;
    created_at: Date;
    lease_until: Date;
  }>(
    `WITH picked AS (
       SELECT o.id FROM outbox o
       WHERE ${ELIGIBLE} AND o.next_attempt_at <= coalesce($1, now())
       ORDER BY o.id
       LIMIT $2
       FOR UPDATE OF o SKIP LOCKED
     )
     UPDATE outbox SET attempts = outbox.attempts + 1,
       next_attempt_at = date_trunc('milliseconds', coalesce($1, now()) + $3 ${MS})
     FROM picked WHERE outbox.id = picked.id
     RETURNING outbox.id, outbox.kind, outbox.payload, outbox.attempts, outbox.created_at,
               outbox.next_attempt_at AS lease_until`,
    [opts.now, opts.limit, opts.leaseMs],
  );
  return rows
    .map((r) => ({
      id: r.id,
      kind: r.kind,
      payload: r.payload,
      attempts: r.attempts,
      createdAt: r.created_at,
      leaseUntil: r.lease_until,
    }))
    .sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)));
}

/** Milliseconds until the next eligible row is due (0 if one is due now), or undefined when none is pending. */
export async function nextDueInMs(db: Queryable, now: Now): Promise<number | undefined> {
  const { rows } = await db.query<{ ms: number | null }>(
    `SELECT greatest(0, extract(epoch FROM min(o.next_attempt_at) - coalesce($1, now())) * 1000)::float8 AS ms
     FROM outbox o WHERE ${ELIGIBLE}`,
    [now],
  );
  return rows[0]?.ms ?? undefined;
}

export async function anyDue(db: Queryable, now: Now): Promise<boolean> {
  const { rows } = await db.query(
    `SELECT 1 FROM outbox o WHERE ${ELIGIBLE} AND o.next_attempt_at <= coalesce($1, now()) LIMIT 1`,
    [now],
  );
  return rows.length > 0;
}

// The lease end is truncated to milliseconds when claimed, so the JS Date read back compares equal.
const FENCE = `id = $1 AND attempts = $2 AND next_attempt_at = $3 AND state = 'pending'`;

/** Records a delivery (and the message it posted under a ref) in one transaction. False if the lease was lost. */
export async function markDelivered(
  pool: Pool,
  claim: Claim,
  delivered: Delivered,
  now: Now,
): Promise<boolean> {
  return withTransaction(pool, async (tx) => {
    const { rowCount } = await tx.query(
      `UPDATE outbox SET state = 'delivered', delivered_at = coalesce($4, now()), result = $5 WHERE ${FENCE}`,
      [claim.id, claim.attempts, claim.leaseUntil, now, JSON.stringify(delivered.result)],
    );
    if (rowCount !== 1) return false;
    const m = delivered.message;
    if (m) {
      await tx.query(
        `INSERT INTO slack_messages (ref, channel, ts, posted_at) VALUES ($1, $2, $3, coalesce($4, now()))
         ON CONFLICT (ref) DO UPDATE SET channel = EXCLUDED.channel, ts = EXCLUDED.ts, posted_at = EXCLUDED.posted_at`,
        [m.ref, m.channel, m.ts, now],
      );
    }
    return true;
  });
}

/**
 * Puts the row back to wait `delayMs`. `refundAttempt` gives the attempt back (rate limits and unmet
 * dependencies are not the row's fault and must not bring it closer to dead).
 */
export async function reschedule(
  db: Queryable,
  claim: Claim,
  opts: { now: Now; delayMs: number; error: string; refundAttempt: boolean },
): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE outbox SET next_attempt_at = coalesce($4, now()) + $5 ${MS}, last_error = $6, attempts = attempts - $7
     WHERE ${FENCE}`,
    [
      claim.id,
      claim.attempts,
      claim.leaseUntil,
      opts.now,
      Math.ceil(opts.delayMs),
      opts.error,
      opts.refundAttempt ? 1 : 0,
    ],
  );
  return rowCount === 1;
}

export async function markDead(db: Queryable, claim: Claim, error: string): Promise<boolean> {
  const { rowCount } = await db.query(`UPDATE outbox SET state = 'dead', last_error = $4 WHERE ${FENCE}`, [
    claim.id,
    claim.attempts,
    claim.leaseUntil,
    error,
  ]);
  return rowCount === 1;
}

export async function lookupRef(db: Queryable, ref: string): Promise<MessageLocation | undefined> {
  const { rows } = await db.query<MessageLocation>(`SELECT channel, ts FROM slack_messages WHERE ref = $1`, [
    ref,
  ]);
  return rows[0];
}

/** Rows waiting (pending, including leased) and parked (dead), for the depth gauge. */
export async function depthByState(db: Queryable): Promise<{ pending: number; dead: number }> {
  const { rows } = await db.query<{ state: 'pending' | 'dead'; n: number }>(
    `SELECT state, count(*)::int AS n FROM outbox WHERE state IN ('pending', 'dead') GROUP BY state`,
  );
  const depth = { pending: 0, dead: 0 };
  for (const r of rows) depth[r.state] = r.n;
  return depth;
}
