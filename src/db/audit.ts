// The append-only audit log: every ledger and sales query (allowed or refused) and every state change.
import type { Queryable } from './pool.ts';

export interface AuditEntry {
  actor: string;
  action: string;
  args?: Record<string, unknown>;
  outcome: 'allowed' | 'refused' | 'error' | 'changed';
  rowCount?: number;
  detail?: string;
  /**
   * The Slack request this row answers (slack_requests.key). The log keeps one row per key: a second
   * row for the same request (the request answered again after a crash or a takeover) is not written.
   */
  requestKey?: string;
}

/**
 * Appends one row, unless `requestKey` is given and a row with that key is in the log already (see
 * migrations/0270_audit_request_key.sql): resolves true when a row was written, false when skipped. Only these columns are the caller's: the id, the time (`at`, the database's
 * clock), the chain position and the hashes are set by the database (migrations/0240_audit_chain.sql),
 * and the bot's role may not give them. Waits for a concurrent appender to commit (one chain), so
 * call it last in a transaction.
 */
export async function audit(db: Queryable, e: AuditEntry): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO audit_log (actor, action, args, outcome, row_count, detail, request_key)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      e.actor,
      e.action,
      JSON.stringify(e.args ?? {}),
      e.outcome,
      e.rowCount ?? null,
      e.detail ?? null,
      e.requestKey ?? null,
    ],
  );
  return rowCount === 1;
}
