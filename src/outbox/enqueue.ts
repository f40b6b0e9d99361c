// Writing a side effect: one row, inside the caller's transaction, and a NOTIFY so a worker wakes
// at once (PostgreSQL delivers the NOTIFY only if the transaction commits). One statement, one
// round trip: enqueueing sits on the path of every command reply.
//
// A writer may also write rows already claimed by the worker of its own process (written leased,
// attempt 1), which delivers them at once (worker.ts, "Direct delivery"): no NOTIFY, no claim query.
// Only a row that is the first pending row of its ordering key is written so; the others are
// written due now as usual and wait for their turn. Whether a row is its key's head (the only rows
// claims look at) is set by a trigger (migration 0280), whoever writes the row.
import type { Queryable } from '../db/pool.ts';
import { anchoredKey } from './anchor.ts';
import type { Transport } from './deliverer.ts';
import { kindOf, type OutboxItem } from './kinds/index.ts';
import { claimFromRow, type Claim } from './store.ts';

export const OUTBOX_CHANNEL = 'toban_outbox';

/** An outbox row's columns, checked (see outboxRow). */
export interface OutboxRowValues {
  kind: string;
  payload: unknown;
  orderingKey: string;
  idempotencyKey: string | null;
  transport: Transport;
  providesRef: string | null;
  needsRef: string | null;
}

/**
 * The row `item` is written as, for `transport` (the writer's AppContext.outboxTransport: there is
 * no default, so no code path can write Slack rows from a console-mode toban by forgetting it).
 * Inside an anchor (a job's firing: anchor.ts) the idempotency key is derived from the anchor.
 * @throws TypeError for an unknown kind or a payload its kind's schema refuses (a programming error:
 *   better at the writer, inside its transaction, than as a dead row later).
 */
export function outboxRow(item: OutboxItem, transport: Transport): OutboxRowValues {
  const kind = kindOf(item.kind);
  if (!kind) throw new TypeError(`outbox: unknown kind ${item.kind}`);
  const parsed = kind.payload.safeParse(item.payload);
  if (!parsed.success) throw new TypeError(`outbox: bad ${item.kind} payload: ${parsed.error.message}`);
  const refs = kind.refs(parsed.data);
  return {
    kind: item.kind,
    payload: item.payload,
    orderingKey: item.orderingKey,
    idempotencyKey: anchoredKey(item.idempotencyKey),
    transport,
    providesRef: refs.provides ?? null,
    needsRef: refs.needs ?? null,
  };
}

/** A row as insertRowsSql takes it: `leaseMs` set to write it claimed by its writer. */
export type RowToWrite = OutboxRowValues & { leaseMs?: number };

/**
 * SQL (the body of a CTE, or a statement) inserting the rows of the JSON array in parameter
 * `$<rowsParam>` (RowToWrite objects), in array order, so ids follow it; a row whose idempotency key
 * exists is skipped. A row with `leaseMs` that is the first pending row of its ordering key is
 * written claimed: attempt 1, first tried now, leased until now() + leaseMs (whole milliseconds,
 * as claimDue does, so the lease read back compares equal). `guard`: a FROM item that must yield
 * one row for anything to be written (a CTE of the same statement). RETURNING: the columns of a
 * Claim (toClaim), plus `idempotency_key`.
 */
export function insertRowsSql(rowsParam: number, guard?: string): string {
  return `INSERT INTO outbox (kind, payload, ordering_key, idempotency_key, transport, provides_ref, needs_ref,
                      attempts, first_attempt_at, next_attempt_at)
    SELECT r->>'kind', r->'payload', r->>'orderingKey', r->>'idempotencyKey', r->>'transport',
           r->>'providesRef', r->>'needsRef',
           CASE WHEN c.claimed THEN 1 ELSE 0 END,
           CASE WHEN c.claimed THEN now() END,
           CASE WHEN c.claimed
                THEN date_trunc('milliseconds', now() + (r->>'leaseMs')::float8 * interval '1 millisecond')
                ELSE now() END
    FROM jsonb_array_elements($${rowsParam}::jsonb) WITH ORDINALITY AS e(r, n)
    ${guard ? `CROSS JOIN ${guard}` : ''}
    CROSS JOIN LATERAL (
      SELECT r->>'leaseMs' IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM outbox w
        WHERE w.state = 'pending' AND w.transport = r->>'transport' AND w.ordering_key = r->>'orderingKey'
      ) AND NOT EXISTS (
        -- An earlier row of this list with the same key (two files to one DM) goes first: this
        -- statement's own rows are not in its snapshot, so the check above cannot see them.
        SELECT 1 FROM jsonb_array_elements($${rowsParam}::jsonb) WITH ORDINALITY AS p(q, m)
        WHERE p.m < e.n AND p.q->>'transport' = r->>'transport' AND p.q->>'orderingKey' = r->>'orderingKey'
      ) AS claimed
    ) c
    ORDER BY n
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING id, kind, payload, attempts, created_at, first_attempt_at, progress, provides_ref,
              next_attempt_at AS lease_until, idempotency_key`;
}

/** A row insertRowsSql returned. */
export interface WrittenRow {
  id: string;
  kind: string;
  payload: unknown;
  attempts: number;
  created_at: Date;
  first_attempt_at: Date | null;
  progress: Record<string, unknown> | null;
  provides_ref: string | null;
  lease_until: Date;
  idempotency_key: string | null;
}

/** The claim of a row written claimed (attempts 1), for the writer's worker; undefined for one written due. */
export function claimOf(r: WrittenRow): Claim | undefined {
  if (r.attempts !== 1 || !r.first_attempt_at) return undefined;
  return claimFromRow({ ...r, first_attempt_at: r.first_attempt_at });
}

/**
 * Writes `item` as an outbox row for `transport` (see outboxRow).
 * @returns the row id, or undefined when a row with the same idempotencyKey exists.
 * @throws TypeError as outboxRow does.
 */
export async function enqueue(
  db: Queryable,
  item: OutboxItem,
  transport: Transport,
): Promise<string | undefined> {
  const row = outboxRow(item, transport);
  const { rows } = await db.query<{ id: string | null }>(
    `WITH ins AS (
       INSERT INTO outbox (kind, payload, ordering_key, idempotency_key, transport, provides_ref, needs_ref)
       VALUES ($1, $2, $3, $4, $6, $7, $8)
       ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING id
     )
     SELECT (SELECT id FROM ins) AS id, pg_notify($5, '')`,
    [
      row.kind,
      JSON.stringify(row.payload),
      row.orderingKey,
      row.idempotencyKey,
      OUTBOX_CHANNEL,
      row.transport,
      row.providesRef,
      row.needsRef,
    ],
  );
  return rows[0]?.id ?? undefined;
}
