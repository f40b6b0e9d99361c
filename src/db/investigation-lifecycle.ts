// SQL of an investigation's life after filing (migration 0330's columns): waiting for the customer,
// resuming, resolving and reopening. Each runs under the investigation's row lock
// (lockInvestigation), in the transaction that writes its event and outbox rows.
import type { Status } from '../domain/investigation.ts';
import { COLUMNS as INVESTIGATION_COLUMNS, type InvestigationRow } from './investigations.ts';
import type { Queryable } from './pool.ts';

/** Milliseconds from waiting_since to $2 (whole, never negative); 0 when not waiting. */
const WAITED = `COALESCE(GREATEST(0, floor(extract(epoch FROM ($2::timestamptz - waiting_since)) * 1000))::bigint, 0)`;

async function updated(db: Queryable, sql: string, params: unknown[]): Promise<InvestigationRow> {
  const { rows } = await db.query<InvestigationRow>(`${sql} RETURNING ${INVESTIGATION_COLUMNS}`, params);
  return rows[0]!;
}

/** Status 'waiting' from `at` (the reply clock pauses). */
export function setWaiting(db: Queryable, id: string, at: Date): Promise<InvestigationRow> {
  return updated(
    db,
    `UPDATE investigations SET status = 'waiting', waiting_since = $2, updated_at = $2 WHERE id = $1`,
    [id, at],
  );
}

/**
 * The wait ends at `at`: waited_ms grows by at − waiting_since (whole milliseconds, never negative),
 * waiting_since is cleared, and the status becomes `status`.
 */
export function endWaiting(db: Queryable, id: string, at: Date, status: Status): Promise<InvestigationRow> {
  return updated(
    db,
    `UPDATE investigations
        SET waited_ms = waited_ms + ${WAITED},
            waiting_since = NULL, status = $3, updated_at = $2
      WHERE id = $1 AND waiting_since IS NOT NULL`,
    [id, at, status],
  );
}

/**
 * Resolved at `at` by `by` with the answer, its cause and ticket (null: none). A wait in progress
 * ends (its time added to waited_ms), so the request's waiting time stays counted.
 */
export function setResolved(
  db: Queryable,
  id: string,
  r: { at: Date; by: string; answer: string; cause: string | null; ticket: string | null },
): Promise<InvestigationRow> {
  return updated(
    db,
    `UPDATE investigations
        SET status = 'resolved', answer = $3, cause = $4, ticket = $5, resolved_at = $2, resolved_by = $6,
            waited_ms = waited_ms + ${WAITED}, waiting_since = NULL, updated_at = $2
      WHERE id = $1`,
    [id, r.at, r.answer, r.cause, r.ticket, r.by],
  );
}

/** Reopened at `at` with `status`: the answer and its facts are cleared (the reopen event keeps them). */
export function setReopened(db: Queryable, id: string, at: Date, status: Status): Promise<InvestigationRow> {
  return updated(
    db,
    `UPDATE investigations
        SET status = $3, answer = NULL, cause = NULL, ticket = NULL, resolved_at = NULL, resolved_by = NULL,
            updated_at = $2
      WHERE id = $1`,
    [id, at, status],
  );
}

/** Whether an event of investigation `id` was written under the request key `key`. */
export async function eventUnderKey(db: Queryable, id: string, key: string): Promise<boolean> {
  const { rows } = await db.query(
    `SELECT 1 FROM investigation_events WHERE investigation_id = $1 AND request_key = $2`,
    [id, key],
  );
  return rows.length > 0;
}
