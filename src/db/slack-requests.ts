// The SQL of stored Slack requests (migrations/0230_slack_requests.sql): the one INSERT on the
// acknowledgement path, the claim of requests whose lease ran out, and the fenced outcomes.
//
// Time: like the outbox store, every function that compares times takes `now`; null means the
// database's clock (what production uses, so app/database clock skew cannot matter). Tests pass
// their own.
import { insertRowsSql, OUTBOX_CHANNEL, type RowToWrite, type WrittenRow } from '../outbox/enqueue.ts';
import type { Queryable } from './pool.ts';

export type SlackRequestKind = 'command' | 'interaction' | 'event';
export type Now = Date | null;

/** A stored request under one claim: `attempts` is the fence every outcome is written under. */
export interface StoredRequest {
  id: string;
  key: string;
  kind: SlackRequestKind;
  payload: unknown;
  attempts: number;
  receivedAt: Date;
}

const MS = `* interval '1 millisecond'`;

interface Row {
  id: string;
  key: string;
  kind: SlackRequestKind;
  payload: unknown;
  attempts: number;
  received_at: Date;
}

function toStored(r: Row): StoredRequest {
  return {
    id: r.id,
    key: r.key,
    kind: r.kind,
    payload: r.payload,
    attempts: r.attempts,
    receivedAt: r.received_at,
  };
}

/** A request to store: see insertRequests. */
export interface NewRequest {
  key: string;
  kind: SlackRequestKind;
  payload: unknown;
  leaseMs: number;
}

/**
 * Stores a request under its key, claimed by the caller for `leaseMs`. One statement, one round trip
 * (it sits on the acknowledgement path). Returns undefined when the key is already stored: a replay
 * of a signature or a retry of an event, which must not run again.
 */
export async function insertRequest(db: Queryable, req: NewRequest): Promise<StoredRequest | undefined> {
  return (await insertRequests(db, [req]))[0];
}

/**
 * Stores several requests in one statement (so one commit: all of them or none), each claimed for
 * its own `leaseMs`. One result per request, in order: undefined for a key stored before, or met
 * earlier in the same list (a replay arriving beside its original).
 * The stored payload is the one given; it is not read back.
 * @throws the statement's error: then none was stored.
 */
export async function insertRequests(
  db: Queryable,
  reqs: readonly NewRequest[],
): Promise<(StoredRequest | undefined)[]> {
  if (reqs.length === 0) return [];
  const { rows } = await db.query<Omit<Row, 'kind' | 'payload'>>({
    // Named: prepared once per connection, so the server neither parses nor plans it again.
    name: 'toban_slack_requests_insert',
    text: `INSERT INTO slack_requests (key, kind, payload, lease_until)
     SELECT r->>'key', r->>'kind', r->'payload', now() + (r->>'leaseMs')::float8 ${MS}
     FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(r, n)
     ORDER BY n
     ON CONFLICT (key) DO NOTHING
     RETURNING id, key, attempts, received_at`,
    values: [
      JSON.stringify(reqs.map((r) => ({ key: r.key, kind: r.kind, payload: r.payload, leaseMs: r.leaseMs }))),
    ],
  });
  const byKey = new Map(rows.map((r) => [r.key, r]));
  return reqs.map((req) => {
    const row = byKey.get(req.key);
    if (!row) return undefined;
    byKey.delete(req.key); // the first with this key stored it; a second one is a replay
    return toStored({ ...row, kind: req.kind, payload: req.payload });
  });
}

/**
 * Marks the key as refused, whether or not its INSERT ever lands: written after the acknowledgement
 * told the person toban could not take the request (the INSERT failed or did not answer in time).
 * If that INSERT commits later it finds this row (and does nothing), or this turns it to refused; so
 * the request never runs behind an answer that said it would not.
 */
export async function refuseRequest(
  db: Queryable,
  req: { key: string; kind: SlackRequestKind; payload: unknown },
): Promise<void> {
  await db.query(
    `INSERT INTO slack_requests (key, kind, payload, state, finished_at)
     VALUES ($1, $2, $3, 'refused', now())
     ON CONFLICT (key) DO UPDATE SET state = 'refused', finished_at = now()
       WHERE slack_requests.state = 'pending'`,
    [req.key, req.kind, JSON.stringify(req.payload)],
  );
}

/**
 * Claims pending requests whose lease has run out (their replica crashed, or was stopped past its
 * drain), oldest first, each for `leaseMs`. FOR UPDATE SKIP LOCKED: replicas never claim the same one.
 */
export async function claimStale(
  db: Queryable,
  opts: { now: Now; limit: number; leaseMs: number },
): Promise<StoredRequest[]> {
  const { rows } = await db.query<Row>(
    `WITH picked AS (
       SELECT id FROM slack_requests
       WHERE state = 'pending' AND lease_until <= coalesce($1, now())
       ORDER BY lease_until, id
       LIMIT $2
       FOR UPDATE SKIP LOCKED
     )
     UPDATE slack_requests r SET attempts = r.attempts + 1,
       lease_until = coalesce($1, now()) + $3 ${MS}
     FROM picked WHERE r.id = picked.id
     RETURNING r.id, r.key, r.kind, r.payload, r.attempts, r.received_at`,
    [opts.now, opts.limit, opts.leaseMs],
  );
  return rows.map(toStored).sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)));
}

const FENCE = `id = $1 AND attempts = $2 AND state = 'pending'`;

/**
 * Records the outcome of a claim: answered, expired or failed. Call it inside the transaction that
 * enqueues the reply, so the reply rows and the outcome commit together. False when the claim was
 * lost (another replica took the request over, or it was refused): the caller must roll back.
 */
export async function finishRequest(
  db: Queryable,
  claim: Pick<StoredRequest, 'id' | 'attempts'>,
  state: 'answered' | 'expired' | 'failed',
  error?: string,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE slack_requests SET state = $3, finished_at = now(), last_error = $4 WHERE ${FENCE}`,
    [claim.id, claim.attempts, state, error ?? null],
  );
  return rowCount === 1;
}

/**
 * Answers a request under its claim in one statement (one transaction, one round trip): marks it
 * answered, fenced like finishRequest, and writes its reply's outbox rows (outbox/enqueue.ts,
 * insertRowsSql) only if that mark was written. A NOTIFY wakes the workers when a row was written
 * due; rows written claimed (`leaseMs` set) are for the caller's own worker to deliver at once.
 * @returns the rows written (none for a row whose idempotency key exists), or undefined when the
 *   claim was lost (another replica took the request over, or it was refused): nothing was written.
 */
export async function answerRequest(
  db: Queryable,
  claim: Pick<StoredRequest, 'id' | 'attempts'>,
  rows: readonly RowToWrite[],
): Promise<WrittenRow[] | undefined> {
  const { rows: out } = await db.query<{ request_id: string } & Partial<WrittenRow>>({
    name: 'toban_slack_requests_answer',
    text: `WITH fin AS (
       UPDATE slack_requests SET state = 'answered', finished_at = now(), last_error = NULL WHERE ${FENCE}
       RETURNING id
     ), ins AS (
       ${insertRowsSql(3, 'fin')}
     ), wake AS (
       SELECT pg_notify($4, '') FROM ins WHERE ins.attempts = 0 LIMIT 1
     )
     SELECT fin.id AS request_id, (SELECT count(*) FROM wake) AS woken, ins.*
     FROM fin LEFT JOIN ins ON true`,
    values: [claim.id, claim.attempts, JSON.stringify(rows), OUTBOX_CHANNEL],
  });
  if (out.length === 0) return undefined;
  return out.filter((r): r is typeof r & WrittenRow => r.id != null);
}

/**
 * Ends this process's claims at once (a drain that timed out at shutdown), so the next replica or the
 * next start answers them without waiting for the lease. The attempt is kept: if the work here still
 * finishes first, its outcome is recorded; if another claim comes first, this one's is refused.
 */
export async function releaseRequests(db: Queryable, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const { rowCount } = await db.query(
    `UPDATE slack_requests SET lease_until = now() WHERE id = ANY($1::bigint[]) AND state = 'pending'`,
    [ids],
  );
  return rowCount ?? 0;
}

/** Deletes finished requests received before `before` (kept well past the 5-minute replay window). */
export async function pruneRequests(db: Queryable, before: Date): Promise<number> {
  const res = await db.query(`DELETE FROM slack_requests WHERE state <> 'pending' AND received_at < $1`, [
    before,
  ]);
  return res.rowCount ?? 0;
}
