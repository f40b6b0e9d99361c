// How every /ledger question reads: in a read-only transaction with a statement timeout on the
// ledger's database (LEDGER_DATABASE_URL), through the one audited read, so each question leaves
// exactly one audit row (`ledger.<kind>`, its arguments, how many rows came back).
import type { AppContext } from '../../core/context.ts';
import { withReadOnly } from '../../db/ledger/readonly.ts';
import type { Tx } from '../../db/pool.ts';
import type { LedgerQuery } from '../../domain/ledger/query.ts';
import { auditedRead } from '../audited-read.ts';

/** Long enough for a month-close over ten million lines, short enough to answer in the thread. */
export const LEDGER_TIMEOUT_MS = 20_000;

export interface LedgerReadOptions {
  /** The statement timeout, ms; LEDGER_TIMEOUT_MS when absent. */
  timeoutMs?: number;
}

/** What a ledger question needs of the application context. */
export type LedgerContext = Pick<AppContext, 'pool' | 'ledgerPool' | 'clock' | 'config' | 'auditTrail'>;

/**
 * Answers `query` for `actor` with `read` inside one read-only transaction (one snapshot when
 * `snapshot`, for answers that compare several reads) and audits it. Rejects with UserError
 * `error.timeout` past the timeout, with the read's own errors (UserError for an unknown account),
 * or with the audit insert's error; every rejection after the read started is audited first.
 */
export function readLedger<T>(
  ctx: LedgerContext,
  actor: string,
  query: LedgerQuery,
  read: (tx: Tx) => Promise<T>,
  rowCount: (answer: T) => number,
  opts: LedgerReadOptions & { snapshot?: boolean } = {},
): Promise<T> {
  const { kind, ...args } = query;
  return auditedRead(
    ctx,
    { actor, action: `ledger.${kind}`, args },
    () =>
      withReadOnly(ctx.ledgerPool, opts.timeoutMs ?? LEDGER_TIMEOUT_MS, read, { snapshot: opts.snapshot }),
    { rowCount },
  );
}
