// Writing a side effect: one row, inside the caller's transaction, and a NOTIFY so a worker wakes
// at once (PostgreSQL delivers the NOTIFY only if the transaction commits). One statement, one
// round trip: enqueueing sits on the path of every command reply.
import type { Queryable } from '../db/pool.ts';
import type { OutboxItem } from './kinds.ts';

export const OUTBOX_CHANNEL = 'toban_outbox';

export async function enqueue(db: Queryable, item: OutboxItem): Promise<string | undefined> {
  const { rows } = await db.query<{ id: string | null }>(
    `WITH ins AS (
       INSERT INTO outbox (kind, payload, ordering_key, idempotency_key)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING id
     )
     SELECT (SELECT id FROM ins) AS id, pg_notify($5, '')`,
    [item.kind, JSON.stringify(item.payload), item.orderingKey, item.idempotencyKey ?? null, OUTBOX_CHANNEL],
  );
  return rows[0]?.id ?? undefined;
}
