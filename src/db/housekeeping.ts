// Keeping the bot's own tables small: delivered outbox rows and old firing records.
import type { Queryable } from './pool.ts';

export async function pruneDelivered(db: Queryable, before: Date): Promise<number> {
  const res = await db.query(`DELETE FROM outbox WHERE state = 'delivered' AND delivered_at < $1`, [before]);
  return res.rowCount ?? 0;
}

export async function pruneFirings(db: Queryable, before: Date): Promise<number> {
  const res = await db.query(`DELETE FROM job_firings WHERE fire_at < $1`, [before]);
  return res.rowCount ?? 0;
}
