// The /sales use case: ask the source, compute variance and totals, and audit the query
// (who, what, how many rows) whether it answered or failed.
import type { AppContext } from '../../core/context.ts';
import { UserError } from '../../core/errors.ts';
import {
  fillMonths,
  rankGroups,
  total,
  totalVariance,
  variance,
  type Figures,
  type Totals,
} from '../../domain/sales/figures.ts';
import { monthsBetween } from '../../domain/sales/month.ts';
import type { SalesReport, WithVariance } from '../../domain/sales/report.ts';
import type { SalesQuery } from '../../domain/sales/query.ts';
import { auditedRead } from '../audited-read.ts';
import { SalesSourceError } from './errors.ts';
import { createSalesSource, type SalesSource } from './source.ts';

export type { SalesForecastReport, SalesMonthReport, SalesReport } from '../../domain/sales/report.ts';

function withVariance<T extends Figures>(f: T): WithVariance<T> {
  const v = variance(f);
  return v ? { ...f, variance: v } : f;
}

function totalOf(rows: readonly Figures[]): WithVariance<Totals> {
  const t = total(rows);
  const v = totalVariance(t);
  return v ? { ...t, variance: v } : t;
}

async function build(source: SalesSource, query: SalesQuery): Promise<SalesReport> {
  if (query.kind === 'month') {
    const rows = rankGroups(await source.byGroup(query.month, query.groupBy)).map(withVariance);
    return { ...query, source: source.kind, rows, total: totalOf(rows) };
  }
  const rows = fillMonths(
    monthsBetween(query.from, query.to),
    await source.monthly(query.from, query.to),
  ).map(withVariance);
  return { ...query, source: source.kind, rows, total: totalOf(rows) };
}

/** Answers one /sales query for `userId` (already known to be finance) and records it in the audit log. */
export async function salesReport(ctx: AppContext, userId: string, query: SalesQuery): Promise<SalesReport> {
  const source = ctx.sales ?? createSalesSource(ctx.config, ctx.pool);
  const request = { actor: userId, action: `sales.${query.kind}`, args: { ...query, source: source.kind } };
  try {
    return await auditedRead(ctx, request, () => build(source, query), {
      rowCount: (report) => report.rows.length,
      errorDetail: (err) =>
        err instanceof SalesSourceError
          ? `${err.reason}${err.detail.status ? ` ${err.detail.status}` : ''}`
          : 'failed',
    });
  } catch (err) {
    // Reached after the error's audit row is written (or with the audit insert's own error).
    if (err instanceof SalesSourceError) {
      ctx.log.warn({ err, source: source.kind }, 'sales source did not answer');
      if (err.reason === 'timeout')
        throw new UserError('sales.error.timeout', { seconds: err.detail.seconds ?? 0 });
      throw new UserError('sales.error.unavailable', { status: err.detail.status ?? '-' });
    }
    throw err;
  }
}
