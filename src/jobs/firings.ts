// The job_firings table: one row per (job, scheduled instant), all of the scheduler's SQL.
//
// A row is inserted 'pending' when its instant is due, claimed with a lease ('running', attempts + 1,
// next_attempt_at = the lease end) and closed as 'succeeded', 'failed' or 'skipped'; a failed attempt
// puts it back to 'pending' until its retry time. Claims are made under a per-job advisory lock (see
// lockJob); the outcome of a run is written by one statement fenced on (attempts, state = 'running'),
// so a replica whose lease ran out, and whose firing another replica claimed again, cannot overwrite
// the newer attempt's outcome.
import type { Queryable, Tx } from '../db/pool.ts';
import type { Closing, OpenFiring } from './plan.ts';

/**
 * Serialises claim decisions for one job across instances until the transaction ends: the rows to
 * insert, to give up and to claim are decided from what the transaction reads, so two instances
 * (whose clocks may disagree) must not decide at once.
 */
export async function lockJob(tx: Tx, job: string): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`toban.job_firings:${job}`]);
}

/** The job's latest recorded instant, whatever its state: new firings are due after it. */
export async function lastFireAt(db: Queryable, job: string): Promise<Date | undefined> {
  const { rows } = await db.query<{ fire_at: Date | null }>(
    `SELECT max(fire_at) AS fire_at FROM job_firings WHERE job = $1`,
    [job],
  );
  return rows[0]?.fire_at ?? undefined;
}

/** Records due instants as pending firings, runnable at once. */
export async function insertDue(tx: Tx, job: string, instants: Date[]): Promise<void> {
  await tx.query(
    `INSERT INTO job_firings (job, fire_at, state, attempts, next_attempt_at)
     SELECT $1, t, 'pending', 0, t FROM unnest($2::timestamptz[]) AS t
     ON CONFLICT (job, fire_at) DO NOTHING`,
    [job, instants],
  );
}

/** The job's open firings, locked until the transaction ends so no outcome lands in between. */
export async function openFirings(tx: Tx, job: string): Promise<OpenFiring[]> {
  const { rows } = await tx.query<{
    fire_at: Date;
    state: 'pending' | 'running';
    attempts: number;
    next_attempt_at: Date;
    error: string | null;
  }>(
    `SELECT fire_at, state, attempts, next_attempt_at, error FROM job_firings
     WHERE job = $1 AND state IN ('pending', 'running')
     ORDER BY fire_at
     FOR UPDATE`,
    [job],
  );
  return rows.map((r) => ({
    fireAt: r.fire_at,
    state: r.state,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    error: r.error,
  }));
}

export async function closeFirings(tx: Tx, job: string, closing: Closing[], at: Date): Promise<void> {
  await tx.query(
    `UPDATE job_firings f SET state = c.state, error = c.error, finished_at = $5, next_attempt_at = NULL
     FROM unnest($2::timestamptz[], $3::text[], $4::text[]) AS c(fire_at, state, error)
     WHERE f.job = $1 AND f.fire_at = c.fire_at`,
    [job, closing.map((c) => c.fireAt), closing.map((c) => c.state), closing.map((c) => c.error), at],
  );
}

/** A claim on one firing: the attempt number identifies it in the fenced outcome writes. */
export interface FiringClaim {
  job: string;
  fireAt: Date;
  attempt: number;
  leaseUntil: Date;
}

export async function claimFiring(
  tx: Tx,
  c: { job: string; fireAt: Date; instanceId: string; at: Date; leaseUntil: Date },
): Promise<FiringClaim> {
  const { rows } = await tx.query<{ attempts: number }>(
    `UPDATE job_firings SET state = 'running', attempts = attempts + 1, next_attempt_at = $5,
       claimed_by = $3, claimed_at = $4
     WHERE job = $1 AND fire_at = $2
     RETURNING attempts`,
    [c.job, c.fireAt, c.instanceId, c.at, c.leaseUntil],
  );
  const attempt = rows[0]?.attempts;
  if (attempt === undefined) throw new Error(`job_firings row ${c.job}@${c.fireAt.toISOString()} vanished`);
  return { job: c.job, fireAt: c.fireAt, attempt, leaseUntil: c.leaseUntil };
}

/** What became of one attempt. */
export type AttemptOutcome =
  | { state: 'succeeded' }
  | { state: 'failed'; error: string }
  /** Failed, to be tried again at `retryAt`. */
  | { state: 'retry'; error: string; retryAt: Date }
  /** Not the job's fault (the scheduler is stopping): runnable again at once, the attempt not counted. */
  | { state: 'released'; error: string };

/** Records an attempt's outcome. False when the claim was lost: another instance claimed it again. */
export async function recordOutcome(
  db: Queryable,
  claim: FiringClaim,
  outcome: AttemptOutcome,
  at: Date,
): Promise<boolean> {
  const fence = `job = $1 AND fire_at = $2 AND attempts = $3 AND state = 'running'`;
  const key = [claim.job, claim.fireAt, claim.attempt];
  let res;
  switch (outcome.state) {
    case 'succeeded':
      res = await db.query(
        `UPDATE job_firings SET state = 'succeeded', finished_at = $4, next_attempt_at = NULL, error = NULL
         WHERE ${fence}`,
        [...key, at],
      );
      break;
    case 'failed':
      res = await db.query(
        `UPDATE job_firings SET state = 'failed', finished_at = $4, next_attempt_at = NULL, error = $5
         WHERE ${fence}`,
        [...key, at, outcome.error],
      );
      break;
    case 'retry':
      res = await db.query(
        `UPDATE job_firings SET state = 'pending', next_attempt_at = $4, error = $5 WHERE ${fence}`,
        [...key, outcome.retryAt, outcome.error],
      );
      break;
    case 'released':
      res = await db.query(
        `UPDATE job_firings SET state = 'pending', next_attempt_at = $4, error = $5, attempts = attempts - 1
         WHERE ${fence}`,
        [...key, at, outcome.error],
      );
      break;
  }
  return res.rowCount === 1;
}
