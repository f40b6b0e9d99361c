// The audit rows written for one request. Finance-only commands must leave at least one row for
// every request (allowed, refused or error): a service writes the row that says what was asked and
// how many rows came back, and the Dispatcher, which sees the request's trail, writes one when the
// service did not get to (a usage error, a crash, a command that does not audit).
import { audit, type AuditEntry } from '../db/audit.ts';
import type { AppContext } from './context.ts';

export class AuditTrail {
  private count = 0;

  /**
   * @param requestKey the stored Slack request's key (Invocation.key), when there is one: every row
   *   of this trail carries it, so a request answered again writes no second row.
   */
  constructor(readonly requestKey?: string) {}

  /** Rows written for this request so far. */
  get written(): number {
    return this.count;
  }

  /** Called once a row of this request is committed (or was found written by an earlier run). */
  noteWritten(): void {
    this.count++;
  }
}

/**
 * Writes an audit row and notes it on the request's trail (when the request has one), keyed by the
 * trail's request key: a re-run of the same Slack request finds its row there and writes none.
 * Services write their audit rows through this. Throws what the insert throws: a caller must not answer a
 * request whose row could not be written.
 */
export async function writeAudit(
  ctx: Pick<AppContext, 'pool' | 'auditTrail'>,
  entry: AuditEntry,
): Promise<void> {
  const requestKey = entry.requestKey ?? ctx.auditTrail?.requestKey;
  await audit(ctx.pool, requestKey === undefined ? entry : { ...entry, requestKey });
  ctx.auditTrail?.noteWritten();
}
