// The append-only audit log: every ledger and sales query (allowed or refused) and every state change.
import type { Queryable } from './pool.ts';

export interface AuditEntry {
  actor: string;
  action: string;
  args?: Record<string, unknown>;
  outcome: 'allowed' | 'refused' | 'error' | 'changed';
  rowCount?: number;
  detail?: string;
}

export async function audit(db: Queryable, e: AuditEntry): Promise<void> {
  await db.query(
    `INSERT INTO audit_log (actor, action, args, outcome, row_count, detail) VALUES ($1, $2, $3, $4, $5, $6)`,
    [e.actor, e.action, JSON.stringify(e.args ?? {}), e.outcome, e.rowCount ?? null, e.detail ?? null],
  );
}
