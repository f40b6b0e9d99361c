// SQL of the sales schema: the database source of /sales. Every value is a parameter; the only
// text chosen at run time is one of three fixed joins, picked from a closed set (never from input).
import { withReadOnly, type Pool, type Queryable } from '../pool.ts';
import type { GroupBy, GroupFigures, MonthFigures } from '../../domain/sales/figures.ts';
import { firstDay, type Month } from '../../domain/sales/month.ts';

interface AmountRow {
  forecast: string;
  actual: string | null;
}

function amounts(r: AmountRow): { forecast: bigint; actual: bigint | null } {
  return { forecast: BigInt(r.forecast), actual: r.actual === null ? null : BigInt(r.actual) };
}

const GROUP_JOIN: Record<GroupBy, { table: string; key: string }> = {
  project: { table: 'sales.projects', key: 'p.id' },
  customer: { table: 'sales.customers', key: 'p.customer_id' },
  department: { table: 'sales.departments', key: 'p.department_id' },
};

/** One month's forecast and actual per project, customer or department (those with any figure). */
export async function selectMonthByGroup(
  db: Queryable,
  month: Month,
  groupBy: GroupBy,
): Promise<GroupFigures[]> {
  const g = GROUP_JOIN[groupBy];
  const { rows } = await db.query<AmountRow & { id: string; name: string }>(
    `SELECT g.id, g.name,
            sum(m.forecast)::bigint AS forecast,
            sum(m.actual)::bigint   AS actual
       FROM sales.monthly m
       JOIN sales.projects p ON p.id = m.project_id
       JOIN ${g.table} g ON g.id = ${g.key}
      WHERE m.month = $1::date
      GROUP BY g.id, g.name
      ORDER BY g.id`,
    [firstDay(month)],
  );
  return rows.map((r) => ({ id: r.id, name: r.name, ...amounts(r) }));
}

/** Totals per month from `from` to `to` (both included); months without rows are left out. */
export async function selectMonthlyTotals(db: Queryable, from: Month, to: Month): Promise<MonthFigures[]> {
  const { rows } = await db.query<AmountRow & { month: string }>(
    `SELECT to_char(m.month, 'YYYY-MM') AS month,
            sum(m.forecast)::bigint     AS forecast,
            sum(m.actual)::bigint       AS actual
       FROM sales.monthly m
      WHERE m.month BETWEEN $1::date AND $2::date
      GROUP BY m.month
      ORDER BY m.month`,
    [firstDay(from), firstDay(to)],
  );
  return rows.map((r) => ({ month: r.month, ...amounts(r) }));
}

/** Runs sales reads in a read-only transaction that PostgreSQL cancels after `timeoutMs`. */
export function readSales<T>(pool: Pool, timeoutMs: number, fn: (db: Queryable) => Promise<T>): Promise<T> {
  return withReadOnly(pool, Math.max(1, Math.trunc(timeoutMs)), fn);
}

export { isStatementTimeout } from '../pool.ts';
