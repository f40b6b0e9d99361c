// The job_firings table: one row per (job, scheduled instant), inserted by the one instance that runs it.
import type { Queryable, Tx } from '../db/pool.ts';

/**
 * Serialises claim decisions for one job across instances until the transaction ends. The primary
 * key alone stops two instances claiming the same instant; the lock also stops two instances whose
 * clocks disagree from claiming two different instants after an outage (each would see the other's
 * row missing), so a catch-up really runs once.
 */
export async function lockJob(tx: Tx, job: string): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`toban.job_firings:${job}`]);
}

export async function lastFiring(db: Queryable, job: string): Promise<Date | undefined> {
  const { rows } = await db.query<{ fire_at: Date | null }>(
    `SELECT max(fire_at) AS fire_at FROM job_firings WHERE job = $1`,
    [job],
  );
  return rows[0]?.fire_at ?? undefined;
}

export interface Claim {
  job: string;
  fireAt: Date;
  instanceId: string;
  at: Date;
  /** Set when the firing is claimed only to record that it will not run. */
  skipped?: string;
}

/** True when this call inserted the row, so the caller, and nobody else, owns the firing. */
export async function claimFiring(db: Queryable, c: Claim): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO job_firings (job, fire_at, claimed_by, claimed_at, finished_at, error)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (job, fire_at) DO NOTHING
     RETURNING job`,
    [c.job, c.fireAt, c.instanceId, c.at, c.skipped === undefined ? null : c.at, c.skipped ?? null],
  );
  return rowCount === 1;
}

export async function finishFiring(
  db: Queryable,
  f: { job: string; fireAt: Date; at: Date; error?: string },
): Promise<void> {
  await db.query(`UPDATE job_firings SET finished_at = $3, error = $4 WHERE job = $1 AND fire_at = $2`, [
    f.job,
    f.fireAt,
    f.at,
    f.error ?? null,
  ]);
}
