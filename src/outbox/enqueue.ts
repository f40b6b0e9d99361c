// Writing a side effect: one row, inside the caller's transaction, then a NOTIFY so a worker wakes
// at once (the NOTIFY is delivered only if the transaction commits).
import type { Queryable } from '../db/pool.ts';
import type { OutboxItem } from './kinds.ts';

export const OUTBOX_CHANNEL = 'toban_outbox';

export async function enqueue(db: Queryable, item: OutboxItem): Promise<string | undefined> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO outbox (kind, payload, ordering_key, idempotency_key)
     VALUES ($1, $2, $3, $4)
     ON CONFLICT (idempotency_key) DO NOTHING
     RETURNING id`,
    [item.kind, JSON.stringify(item.payload), item.orderingKey, item.idempotencyKey ?? null],
  );
  await db.query(`SELECT pg_notify($1, '')`, [OUTBOX_CHANNEL]);
  return rows[0]?.id;
}
