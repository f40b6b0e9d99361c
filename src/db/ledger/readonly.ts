// Ledger questions run in a READ ONLY transaction with a statement timeout, whichever database
// holds the ledger (LEDGER_DATABASE_URL may be a company's own accounting database or a replica).
import { UserError } from '../../core/errors.ts';
import { isStatementTimeout, withReadOnly as readOnlyTransaction, type Pool, type Tx } from '../pool.ts';

export async function withReadOnly<T>(
  pool: Pool,
  timeoutMs: number,
  fn: (tx: Tx) => Promise<T>,
  opts: { snapshot?: boolean } = {},
): Promise<T> {
  try {
    return await readOnlyTransaction(pool, timeoutMs, fn, opts);
  } catch (err) {
    if (isStatementTimeout(err))
      throw new UserError('error.timeout', { seconds: Math.round(timeoutMs / 100) / 10 });
    throw err;
  }
}
