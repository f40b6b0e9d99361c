// The sales source backed by the sales service (openapi/sales.yaml). JSON integers become bigint
// yen here; an amount that is not a safe integer is refused rather than rounded.
import type { GroupFigures, MonthFigures } from '../../domain/sales/figures.ts';
import { isMonth } from '../../domain/sales/month.ts';
import {
  DEFAULT_SALES_TIMEOUT_MS,
  SalesApiError,
  type SalesClient,
  type SalesMonthlyReport,
} from '../../integrations/sales/client.ts';
import { SalesSourceError } from './errors.ts';
import type { SalesSource } from './source.ts';

type Row = SalesMonthlyReport['rows'][number];

function toYen(value: unknown): bigint {
  if (typeof value !== 'number' || !Number.isSafeInteger(value))
    throw new SalesApiError('invalid', undefined, 'amount');
  return BigInt(value);
}

function amounts(row: Row): { forecast: bigint; actual: bigint | null } {
  return { forecast: toYen(row.forecast), actual: row.actual === null ? null : toYen(row.actual) };
}

export function apiSalesSource(client: SalesClient, timeoutMs = DEFAULT_SALES_TIMEOUT_MS): SalesSource {
  async function call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof SalesApiError) {
        if (err.reason === 'timeout')
          throw new SalesSourceError('timeout', { seconds: timeoutMs / 1000 }, { cause: err });
        throw new SalesSourceError('unavailable', { status: err.status }, { cause: err });
      }
      throw err;
    }
  }
  return {
    kind: 'api',
    byGroup: (month, groupBy) =>
      call(async (): Promise<GroupFigures[]> => {
        const report = await client.monthly({ from: month, to: month, group_by: groupBy });
        return report.rows
          .filter((r) => r.month === month)
          .map((r) => {
            if (!r.group) throw new SalesApiError('invalid', undefined, 'row without group');
            return { id: r.group.id, name: r.group.name, ...amounts(r) };
          });
      }),
    monthly: (from, to) =>
      call(async (): Promise<MonthFigures[]> => {
        const report = await client.monthly({ from, to });
        return report.rows.map((r) => {
          if (!isMonth(r.month)) throw new SalesApiError('invalid', undefined, 'month');
          return { month: r.month, ...amounts(r) };
        });
      }),
  };
}
