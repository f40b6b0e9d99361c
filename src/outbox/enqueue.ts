// Writing a side effect: one row, inside the caller's transaction, and a NOTIFY so a worker wakes
// at once (PostgreSQL delivers the NOTIFY only if the transaction commits). One statement, one
// round trip: enqueueing sits on the path of every command reply.
import type { Queryable } from '../db/pool.ts';
import { kindOf, type OutboxItem } from './kinds/index.ts';

export const OUTBOX_CHANNEL = 'toban_outbox';

/**
 * Writes `item` as an outbox row (transport 'slack' unless the item says otherwise).
 * @returns the row id, or undefined when a row with the same idempotencyKey exists.
 * @throws TypeError for an unknown kind or a payload its kind's schema refuses (a programming error:
 *   better at the writer, inside its transaction, than as a dead row later).
 */
export async function enqueue(db: Queryable, item: OutboxItem): Promise<string | undefined> {
  const kind = kindOf(item.kind);
  if (!kind) throw new TypeError(`outbox: unknown kind ${item.kind}`);
  const parsed = kind.payload.safeParse(item.payload);
  if (!parsed.success) throw new TypeError(`outbox: bad ${item.kind} payload: ${parsed.error.message}`);
  const refs = kind.refs(parsed.data);
  const { rows } = await db.query<{ id: string | null }>(
    `WITH ins AS (
       INSERT INTO outbox (kind, payload, ordering_key, idempotency_key, transport, provides_ref, needs_ref)
       VALUES ($1, $2, $3, $4, $6, $7, $8)
       ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING id
     )
     SELECT (SELECT id FROM ins) AS id, pg_notify($5, '')`,
    [
      item.kind,
      JSON.stringify(item.payload),
      item.orderingKey,
      item.idempotencyKey ?? null,
      OUTBOX_CHANNEL,
      item.transport ?? 'slack',
      refs.provides ?? null,
      refs.needs ?? null,
    ],
  );
  return rows[0]?.id ?? undefined;
}
