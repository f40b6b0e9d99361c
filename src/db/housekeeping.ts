// Keeping the bot's own tables small: delivered outbox rows and old firing records.
import type { Queryable } from './pool.ts';

export async function pruneDelivered(db: Queryable, before: Date): Promise<number> {
  const res = await db.query(`DELETE FROM outbox WHERE state = 'delivered' AND delivered_at < $1`, [before]);
  return res.rowCount ?? 0;
}

/**
 * Deletes closed firings scheduled before `before`. Keeps each job's newest firing (the scheduler
 * catches up after downtime from it) and every open one (still to be run or retried).
 */
export async function pruneFirings(db: Queryable, before: Date): Promise<number> {
  const res = await db.query(
    `DELETE FROM job_firings f
     WHERE f.fire_at < $1
       AND f.state IN ('succeeded', 'failed', 'skipped')
       AND f.fire_at < (SELECT max(g.fire_at) FROM job_firings g WHERE g.job = f.job)`,
    [before],
  );
  return res.rowCount ?? 0;
}
