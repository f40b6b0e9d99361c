// The SQL behind `toban outbox list | retry` (cli.ts): what an operator sees and puts back.
import type { Queryable } from '../db/pool.ts';
import { OUTBOX_CHANNEL } from './enqueue.ts';

export interface ListedRow {
  id: string;
  kind: string;
  state: 'pending' | 'dead';
  transport: string;
  attempts: number;
  orderingKey: string;
  queuedAt: Date;
  nextAttemptAt: Date;
  lastError: string | null;
}

/** Pending rows (queued or leased), or dead ones, oldest first, at most `limit`. */
export async function listRows(db: Queryable, opts: { dead: boolean; limit: number }): Promise<ListedRow[]> {
  const { rows } = await db.query<{
    id: string;
    kind: string;
    state: 'pending' | 'dead';
    transport: string;
    attempts: number;
    ordering_key: string;
    queued_at: Date;
    next_attempt_at: Date;
    last_error: string | null;
  }>(
    `SELECT id, kind, state, transport, attempts, ordering_key, queued_at, next_attempt_at, last_error
     FROM outbox WHERE state = $1 ORDER BY id LIMIT $2`,
    [opts.dead ? 'dead' : 'pending', opts.limit],
  );
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    state: r.state,
    transport: r.transport,
    attempts: r.attempts,
    orderingKey: r.ordering_key,
    queuedAt: r.queued_at,
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
  }));
}

/**
 * Puts dead rows back in the queue: due now, their age counted from now (so the age limit does not
 * kill them again at once). Their attempt count is kept: a post that may have gone out still looks
 * for itself before posting. `id` undefined: every dead row. Wakes the workers.
 * @returns the ids put back, in id order.
 */
export async function retryDead(db: Queryable, id?: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `WITH back AS (
       UPDATE outbox SET state = 'pending', next_attempt_at = now(), queued_at = now()
       WHERE state = 'dead' AND ($1::bigint IS NULL OR id = $1::bigint)
       RETURNING id
     )
     SELECT id FROM back, (SELECT pg_notify($2, '')) n ORDER BY id`,
    [id ?? null, OUTBOX_CHANNEL],
  );
  return rows.map((r) => r.id);
}

/** The state of one row, or undefined when there is none with that id. */
export async function rowState(db: Queryable, id: string): Promise<string | undefined> {
  const { rows } = await db.query<{ state: string }>(`SELECT state FROM outbox WHERE id = $1::bigint`, [id]);
  return rows[0]?.state;
}

/** Dead rows waiting on the message this row was to post (they failed with it). */
export async function deadDependants(db: Queryable, id: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM outbox d, outbox p
     WHERE p.id = $1::bigint AND p.provides_ref IS NOT NULL AND d.needs_ref = p.provides_ref AND d.state = 'dead'`,
    [id],
  );
  return rows[0]?.n ?? 0;
}
