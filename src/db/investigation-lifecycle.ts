// SQL of an investigation's life after filing (migration 0330's columns): waiting for the customer,
// resuming, resolving and reopening. Each runs under the investigation's row lock
// (lockInvestigation), in the transaction that writes its event and outbox rows.
import type { Status } from '../domain/investigation.ts';
import { COLUMNS as INVESTIGATION_COLUMNS, type InvestigationRow } from './investigations.ts';
import type { Queryable } from './pool.ts';

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

/** What ending a wait does to the reply clock (domain/investigation.ts moveDueAt). */
export interface WaitEnded {
  /** Business milliseconds the wait took: added to waited_ms. */
  waitedMs: number;
  /** The due instant moved on by them. */
  dueAt: Date;
}

/**
 * The wait ends at `at`: waited_ms grows and due_at moves as `moved` says, waiting_since is cleared,
 * and the status becomes `status`.
 */
export function endWaiting(
  db: Queryable,
  id: string,
  at: Date,
  status: Status,
  moved: WaitEnded,
): Promise<InvestigationRow> {
  return updated(
    db,
    `UPDATE investigations
        SET waited_ms = waited_ms + $4, due_at = $5, waiting_since = NULL, status = $3, updated_at = $2
      WHERE id = $1 AND waiting_since IS NOT NULL`,
    [id, at, status, Math.round(moved.waitedMs), moved.dueAt],
  );
}

/**
 * Resolved at `at` by `by` with the answer, its cause and ticket (null: none). A wait in progress
 * ends (`moved`: its business time added to waited_ms, due_at moved), so the waiting time stays counted.
 */
export function setResolved(
  db: Queryable,
  id: string,
  r: { at: Date; by: string; answer: string; cause: string | null; ticket: string | null; moved?: WaitEnded },
): Promise<InvestigationRow> {
  return updated(
    db,
    `UPDATE investigations
        SET status = 'resolved', answer = $3, cause = $4, ticket = $5, resolved_at = $2, resolved_by = $6,
            waited_ms = waited_ms + $7, due_at = coalesce($8, due_at), waiting_since = NULL, updated_at = $2
      WHERE id = $1`,
    [id, r.at, r.answer, r.cause, r.ticket, r.by, Math.round(r.moved?.waitedMs ?? 0), r.moved?.dueAt ?? null],
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

/**
 * The status investigation `id` had when its latest wait for the customer began (its 'waiting'
 * event's detail.from): 'open' or 'taken', else undefined.
 */
export async function statusBeforeWaiting(db: Queryable, id: string): Promise<'open' | 'taken' | undefined> {
  const { rows } = await db.query<{ from: string | null }>(
    `SELECT detail->>'from' AS from FROM investigation_events
      WHERE investigation_id = $1 AND what = 'waiting' ORDER BY id DESC LIMIT 1`,
    [id],
  );
  const from = rows[0]?.from;
  return from === 'open' || from === 'taken' ? from : undefined;
}

/** Whether an event of investigation `id` was written under the request key `key`. */
export async function eventUnderKey(db: Queryable, id: string, key: string): Promise<boolean> {
  const { rows } = await db.query(
    `SELECT 1 FROM investigation_events WHERE investigation_id = $1 AND request_key = $2`,
    [id, key],
  );
  return rows.length > 0;
}
