// The sales source backed by the `sales` schema.
import type { Pool } from '../../db/pool.ts';
import {
  isStatementTimeout,
  readSales,
  selectMonthByGroup,
  selectMonthlyTotals,
} from '../../db/sales/queries.ts';
import { SalesSourceError } from './errors.ts';
import type { SalesSource } from './source.ts';

export const DEFAULT_DATABASE_TIMEOUT_MS = 5_000;

export function databaseSalesSource(pool: Pool, timeoutMs = DEFAULT_DATABASE_TIMEOUT_MS): SalesSource {
  async function read<T>(fn: Parameters<typeof readSales<T>>[2]): Promise<T> {
    try {
      return await readSales(pool, timeoutMs, fn);
    } catch (err) {
      if (isStatementTimeout(err))
        throw new SalesSourceError('timeout', { seconds: timeoutMs / 1000 }, { cause: err });
      throw err;
    }
  }
  return {
    kind: 'database',
    byGroup: (month, groupBy) => read((db) => selectMonthByGroup(db, month, groupBy)),
    monthly: (from, to) => read((db) => selectMonthlyTotals(db, from, to)),
  };
}
