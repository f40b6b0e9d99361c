// The one way a finance question (/ledger, /sales) reads data: run the read, then write the audit
// row that says who asked what and how many rows came back, or, when the read failed, why. Fail
// closed: the answer is returned only after its audit row is committed, and a failure to write that
// row is what the caller gets instead of the answer.
import { writeAudit } from '../core/audit-trail.ts';
import type { AppContext } from '../core/context.ts';
import { UserError } from '../core/errors.ts';

/** What the audit row records about a request besides its outcome. */
export interface AuditedRequest {
  /** The Slack user id who asked. */
  actor: string;
  /** `<area>.<question>`, e.g. `ledger.balance`, `sales.month`. */
  action: string;
  /** The parsed question (no catalogue keys, no rendered text). */
  args: Record<string, unknown>;
}

export interface AuditedReadOptions<T> {
  /** Rows the answer holds, written as the audit row's row_count. */
  rowCount: (result: T) => number;
  /**
   * The audit row's detail for a failed read; by default a UserError's catalogue key, else `failed`
   * (never the error's message, which may quote data).
   */
  errorDetail?: (err: unknown) => string;
}

const defaultDetail = (err: unknown): string => (err instanceof UserError ? err.key : 'failed');

/**
 * Runs `read` and writes exactly one audit row for it: `allowed` with the row count once it
 * answered, `error` with a detail when it threw. Resolves to the answer; rejects with the read's
 * error (after its row is written), or with the audit insert's error when the row could not be
 * written, in which case the answer must not be given.
 */
export async function auditedRead<T>(
  ctx: Pick<AppContext, 'pool' | 'auditTrail'>,
  request: AuditedRequest,
  read: () => Promise<T>,
  opts: AuditedReadOptions<T>,
): Promise<T> {
  const { actor, action, args } = request;
  let result: T;
  try {
    result = await read();
  } catch (err) {
    const detail = (opts.errorDetail ?? defaultDetail)(err);
    await writeAudit(ctx, { actor, action, args, outcome: 'error', detail });
    throw err;
  }
  await writeAudit(ctx, { actor, action, args, outcome: 'allowed', rowCount: opts.rowCount(result) });
  return result;
}
