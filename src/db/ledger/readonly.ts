// Ledger questions run in a READ ONLY transaction with a statement timeout, whichever database
// holds the ledger (LEDGER_DATABASE_URL may be a company's own accounting database or a replica).
import { UserError } from '../../app/errors.ts';
import type { Pool, Tx } from '../pool.ts';

/** PostgreSQL's query_canceled: statement_timeout fired. */
const QUERY_CANCELED = '57014';

export async function withReadOnly<T>(
  pool: Pool,
  timeoutMs: number,
  fn: (tx: Tx) => Promise<T>,
  opts: { snapshot?: boolean } = {},
): Promise<T> {
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0)
    throw new RangeError(`timeoutMs must be a positive integer, got ${timeoutMs}`);
  const client = await pool.connect();
  try {
    // A snapshot (REPEATABLE READ) when several statements must see the same ledger.
    await client.query(opts.snapshot ? 'BEGIN READ ONLY ISOLATION LEVEL REPEATABLE READ' : 'BEGIN READ ONLY');
    await client.query(`SELECT set_config('statement_timeout', $1, true)`, [String(timeoutMs)]);
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    if ((err as { code?: string }).code === QUERY_CANCELED)
      throw new UserError('error.timeout', { seconds: Math.round(timeoutMs / 100) / 10 });
    throw err;
  } finally {
    client.release();
  }
}
