// The outbox worker's SQL, all of it (enqueue.ts holds the writer's side, admin.ts the CLI's).
//
// A claim is a lease, not a held lock: one short transaction picks due rows with
// FOR UPDATE SKIP LOCKED, counts the attempt and pushes next_attempt_at to the end of a lease, then
// commits. The delivery runs with no transaction open; its outcome is written by a second short
// statement fenced on (attempts, next_attempt_at), so a worker whose lease ran out cannot overwrite
// the outcome of the worker that took the row over. A row whose worker died stays 'pending' and
// becomes due again when the lease ends: it is retried, never lost.
//
// Every query that looks for work goes through the partial indexes on pending rows (outbox_heads,
// migration 0280, and outbox_deliverable_order, 0210), ordered by (next_attempt_at, id), so neither
// the delivered rows piling up in the table nor the rows queued behind another row of their
// ordering key are read.
//
// Time: every function takes `now`. Null means the database's clock, which is what production uses
// (rows are enqueued with next_attempt_at = the database's now(), so comparing against the same clock
// avoids skew between the app host and the database host). Tests may pass their own clock.
// first_attempt_at is always the database's clock: it bounds a look-up in Slack's history, which
// runs on real time.
import { withTransaction, type Pool, type Queryable } from '../db/pool.ts';
import type { Delivered, MessageLocation, OutboxRow, Transport } from './deliverer.ts';

export type Now = Date | null;

/** A claimed row plus the lease that identifies this claim. */
export interface Claim extends OutboxRow {
  leaseUntil: Date;
  /** The ref this row's message is recorded under, if it posts one. */
  providesRef: string | null;
}

// A row is eligible when it is pending, written for this transport, and the first pending row of
// its ordering key: a leased row stays 'pending', so the rows behind it wait. Candidates are the
// heads only (`head`, kept by triggers, migration 0280; read through the partial index
// outbox_heads), so rows waiting behind a blocked key are never read: a claim costs the same with
// 5,000 rows queued behind one key as with none. The head flag may be set where it should not be
// (two writers of one key committing out of id order, a dead row put back before the head), so
// "the first" is still checked: a correlated subquery on purpose (written as NOT EXISTS, stale
// statistics let the planner turn it into a join that walks every entry of the index, dead ones
// included; this form is always one probe of outbox_deliverable_order per candidate).
const ELIGIBLE = `
  o.state = 'pending' AND o.head AND o.transport = $T
  AND o.id = (
    SELECT e.id FROM outbox e
    WHERE e.state = 'pending' AND e.transport = o.transport AND e.ordering_key = o.ordering_key
    ORDER BY e.id LIMIT 1
  )`;

const MS = `* interval '1 millisecond'`;

function eligible(param: number): string {
  return ELIGIBLE.replace('$T', `$${param}`);
}

/** A claimed row as a claiming statement returns it (`RETURNING … next_attempt_at AS lease_until`). */
export interface ClaimedRow {
  id: string;
  kind: string;
  payload: unknown;
  attempts: number;
  created_at: Date;
  first_attempt_at: Date;
  progress: Record<string, unknown> | null;
  provides_ref: string | null;
  lease_until: Date;
}

/** The claim a claimed row stands for. */
export function claimFromRow(r: ClaimedRow): Claim {
  return {
    id: r.id,
    kind: r.kind,
    payload: r.payload,
    attempts: r.attempts,
    createdAt: r.created_at,
    firstAttemptAt: r.first_attempt_at,
    progress: r.progress,
    providesRef: r.provides_ref,
    leaseUntil: r.lease_until,
  };
}

export async function claimDue(
  db: Queryable,
  opts: { now: Now; limit: number; leaseMs: number; transport: Transport },
): Promise<Claim[]> {
  const { rows } = await db.query<ClaimedRow>({
    // Named: prepared once per connection (the hot statements of the outbox are not planned again).
    name: 'toban_outbox_claim',
    text: `WITH picked AS (
       SELECT o.id FROM outbox o
       WHERE ${eligible(4)} AND o.next_attempt_at <= coalesce($1, now())
       ORDER BY o.next_attempt_at, o.id
       LIMIT $2
       FOR UPDATE OF o SKIP LOCKED
     )
     UPDATE outbox SET attempts = outbox.attempts + 1,
       next_attempt_at = date_trunc('milliseconds', coalesce($1, now()) + $3 ${MS}),
       first_attempt_at = coalesce(outbox.first_attempt_at, now())
     FROM picked WHERE outbox.id = picked.id
     RETURNING outbox.id, outbox.kind, outbox.payload, outbox.attempts, outbox.created_at,
               outbox.first_attempt_at, outbox.progress, outbox.provides_ref,
               outbox.next_attempt_at AS lease_until`,
    values: [opts.now, opts.limit, opts.leaseMs, opts.transport],
  });
  return rows.map(claimFromRow).sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)));
}

/** Milliseconds until the next eligible row is due (0 if one is due now), or undefined when none is pending. */
export async function nextDueInMs(
  db: Queryable,
  now: Now,
  transport: Transport,
): Promise<number | undefined> {
  const { rows } = await db.query<{ ms: number | null }>(
    `SELECT greatest(0, extract(epoch FROM o.next_attempt_at - coalesce($1, now())) * 1000)::float8 AS ms
     FROM outbox o WHERE ${eligible(2)}
     ORDER BY o.next_attempt_at, o.id LIMIT 1`,
    [now, transport],
  );
  return rows[0]?.ms ?? undefined;
}

export async function anyDue(db: Queryable, now: Now, transport: Transport): Promise<boolean> {
  const { rows } = await db.query(
    `SELECT 1 FROM outbox o WHERE ${eligible(2)} AND o.next_attempt_at <= coalesce($1, now())
     ORDER BY o.next_attempt_at, o.id LIMIT 1`,
    [now, transport],
  );
  return rows.length > 0;
}

// The lease end is truncated to milliseconds when claimed, so the JS Date read back compares equal.
const FENCE = `id = $1 AND attempts = $2 AND next_attempt_at = $3 AND state = 'pending'`;

/** A delivery to record: its claim, what it did, and when (null: the database's clock). */
export interface DeliveryRecord {
  claim: Claim;
  delivered: Delivered;
  now: Now;
}

/**
 * Records deliveries, and the messages they posted under refs, in one statement (one round trip and
 * one commit, whatever their number: the worker groups those that finish together). Each is fenced
 * on its own claim. One result per record, in order: false if its lease was lost (then nothing is
 * recorded for it).
 * @throws the statement's error: then nothing was recorded (two records of one ref in one call
 *   fail it; recorded one by one, the later wins).
 */
export async function markDelivered(pool: Queryable, records: readonly DeliveryRecord[]): Promise<boolean[]> {
  if (records.length === 0) return [];
  const { rows } = await pool.query<{ id: string }>({
    name: 'toban_outbox_delivered',
    text: `WITH r AS (
       SELECT (x->>'id')::bigint AS id, (x->>'attempts')::int AS attempts,
              (x->>'lease')::timestamptz AS lease, (x->>'at')::timestamptz AS at, x->'result' AS result,
              x->>'ref' AS ref, x->>'channel' AS channel, x->>'ts' AS ts
       FROM jsonb_array_elements($1::jsonb) AS x
     ), done AS (
       UPDATE outbox o SET state = 'delivered', delivered_at = coalesce(r.at, now()), result = r.result
       FROM r
       -- The rows by primary key whatever the planner guesses of the list's length (ANY of an array
       -- is an index condition; a join alone could become a scan of every pending row).
       WHERE o.id = ANY (ARRAY(SELECT id FROM r))
         AND o.id = r.id AND o.attempts = r.attempts AND o.next_attempt_at = r.lease AND o.state = 'pending'
       RETURNING o.id
     ), msg AS (
       INSERT INTO slack_messages (ref, channel, ts, posted_at)
       SELECT r.ref, r.channel, r.ts, coalesce(r.at, now()) FROM r JOIN done ON done.id = r.id
       WHERE r.ref IS NOT NULL
       ON CONFLICT (ref) DO UPDATE SET channel = EXCLUDED.channel, ts = EXCLUDED.ts, posted_at = EXCLUDED.posted_at
     )
     SELECT id FROM done`,
    values: [
      JSON.stringify(
        records.map(({ claim, delivered, now }) => ({
          id: claim.id,
          attempts: claim.attempts,
          lease: claim.leaseUntil.toISOString(),
          at: now?.toISOString() ?? null,
          result: delivered.result,
          ref: delivered.message?.ref ?? null,
          channel: delivered.message?.channel ?? null,
          ts: delivered.message?.ts ?? null,
        })),
      ),
    ],
  });
  const done = new Set(rows.map((r) => r.id));
  return records.map((r) => done.has(r.claim.id));
}

export type Rescheduled = 'rescheduled' | 'dead' | 'lost';

/**
 * Puts the row back to wait `delayMs`. `refundAttempt` gives the attempt back (the try certainly did
 * not act: rate limits, pacing, unmet dependencies). With `maxAgeMs`, a row queued longer ago than
 * that goes dead instead (its dependants with it), with `error` and its age as the cause.
 */
export async function reschedule(
  pool: Pool,
  claim: Claim,
  opts: { now: Now; delayMs: number; error: string; refundAttempt: boolean; maxAgeMs?: number },
): Promise<Rescheduled> {
  return withTransaction(pool, async (tx) => {
    const { rows } = await tx.query<{ state: string; last_error: string }>(
      `UPDATE outbox SET
         state = CASE WHEN $8::float8 IS NOT NULL AND queued_at < coalesce($4, now()) - $8 ${MS}
                      THEN 'dead' ELSE 'pending' END,
         last_error = CASE WHEN $8::float8 IS NOT NULL AND queued_at < coalesce($4, now()) - $8 ${MS}
                      THEN $6 || ' (older than ' || $9 || ', given up)' ELSE $6 END,
         next_attempt_at = coalesce($4, now()) + $5 ${MS},
         attempts = attempts - $7
       WHERE ${FENCE}
       RETURNING state, last_error`,
      [
        claim.id,
        claim.attempts,
        claim.leaseUntil,
        opts.now,
        Math.ceil(opts.delayMs),
        opts.error,
        opts.refundAttempt ? 1 : 0,
        opts.maxAgeMs ?? null,
        opts.maxAgeMs === undefined ? '' : describeAge(opts.maxAgeMs),
      ],
    );
    const r = rows[0];
    if (!r) return 'lost';
    if (r.state !== 'dead') return 'rescheduled';
    if (claim.providesRef) await failDependants(tx, claim.providesRef, claim.id, r.last_error);
    return 'dead';
  });
}

/**
 * Parks the row as dead with `error`, and with it every pending row that needs its message (updates,
 * thread replies, and theirs in turn), so they fail now with the cause instead of waiting out their
 * age and blocking their ordering keys (issue 6, fault 12).
 * @returns false if the lease was lost; else the number of dependants failed with it.
 */
export async function markDead(
  pool: Pool,
  claim: Claim,
  error: string,
): Promise<{ recorded: false } | { recorded: true; dependants: number }> {
  return withTransaction(pool, async (tx) => {
    const { rowCount } = await tx.query(`UPDATE outbox SET state = 'dead', last_error = $4 WHERE ${FENCE}`, [
      claim.id,
      claim.attempts,
      claim.leaseUntil,
      error,
    ]);
    if (rowCount !== 1) return { recorded: false };
    const dependants = claim.providesRef ? await failDependants(tx, claim.providesRef, claim.id, error) : 0;
    return { recorded: true, dependants };
  });
}

async function failDependants(tx: Queryable, ref: string, deadId: string, error: string): Promise<number> {
  const { rowCount } = await tx.query(
    `WITH RECURSIVE doomed(id, provides_ref) AS (
       SELECT id, provides_ref FROM outbox
       WHERE state = 'pending' AND needs_ref = $1
         AND NOT EXISTS (SELECT 1 FROM slack_messages WHERE ref = $1)
       UNION
       SELECT o.id, o.provides_ref FROM outbox o JOIN doomed d ON o.needs_ref = d.provides_ref
       WHERE o.state = 'pending'
     )
     UPDATE outbox SET state = 'dead',
       last_error = 'DependencyFailed: message ' || $1 || ' was never posted (outbox row ' || $2 || ': ' || $3 || ')'
     FROM doomed WHERE outbox.id = doomed.id`,
    [ref, deadId, error],
  );
  return rowCount ?? 0;
}

/**
 * For a row waiting on `ref`: the error of the dead row that was to post it, when that row is dead
 * and no other pending row will post it.
 */
export async function deadProviderOf(
  db: Queryable,
  ref: string,
): Promise<{ id: string; error: string } | undefined> {
  const { rows } = await db.query<{ id: string; last_error: string | null }>(
    `SELECT id, last_error FROM outbox
     WHERE provides_ref = $1 AND state = 'dead'
       AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.provides_ref = $1 AND p.state = 'pending')
       AND NOT EXISTS (SELECT 1 FROM slack_messages WHERE ref = $1)
     ORDER BY id DESC LIMIT 1`,
    [ref],
  );
  const r = rows[0];
  return r ? { id: r.id, error: r.last_error ?? 'dead' } : undefined;
}

/** Saves a delivery's intermediate state on the row, fenced on the claim. False if the lease was lost. */
export async function saveProgress(
  db: Queryable,
  claim: Claim,
  progress: Record<string, unknown>,
): Promise<boolean> {
  const { rowCount } = await db.query(`UPDATE outbox SET progress = $4 WHERE ${FENCE}`, [
    claim.id,
    claim.attempts,
    claim.leaseUntil,
    JSON.stringify(progress),
  ]);
  return rowCount === 1;
}

export async function lookupRef(db: Queryable, ref: string): Promise<MessageLocation | undefined> {
  const { rows } = await db.query<MessageLocation>(`SELECT channel, ts FROM slack_messages WHERE ref = $1`, [
    ref,
  ]);
  return rows[0];
}

/**
 * Whether a slack.update of message `ref` written after row `id` is pending (DeliveryContext
 * .newerUpdatePending). An update needs its message's ref (outbox_needs_ref reads it).
 */
export async function newerUpdatePending(db: Queryable, id: string, ref: string): Promise<boolean> {
  const { rows } = await db.query<{ newer: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM outbox
                    WHERE state = 'pending' AND needs_ref = $2 AND kind = 'slack.update' AND id > $1) AS newer`,
    [id, ref],
  );
  return rows[0]?.newer ?? false;
}

/** Rows waiting (pending, including leased) and parked (dead), for the depth gauge; each count reads only its partial index. */
export async function depthByState(db: Queryable): Promise<{ pending: number; dead: number }> {
  const { rows } = await db.query<{ pending: number; dead: number }>(
    `SELECT (SELECT count(*) FROM outbox WHERE state = 'pending')::int AS pending,
            (SELECT count(*) FROM outbox WHERE state = 'dead')::int AS dead`,
  );
  return rows[0] ?? { pending: 0, dead: 0 };
}

function describeAge(ms: number): string {
  return ms % 3_600_000 === 0 ? `${ms / 3_600_000} h` : `${Math.round(ms / 1000)} s`;
}
