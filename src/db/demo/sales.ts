// SQL that loads the demo sales (src/demo/sales.ts makes the rows).
import type { Queryable } from '../pool.ts';
import { firstDay, type Month } from '../../domain/sales/month.ts';

export interface SalesDemoRows {
  departments: { id: string; name: string }[];
  customers: { id: string; name: string }[];
  projects: { id: string; name: string; customerId: string; departmentId: string }[];
  monthly: { projectId: string; month: Month; forecast: bigint; actual: bigint | null }[];
}

/** Inserts demo rows; rows that already exist are kept as they are, so loading twice changes nothing. */
export async function insertSalesRows(db: Queryable, data: SalesDemoRows): Promise<void> {
  await db.query(
    `INSERT INTO sales.departments (id, name) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT (id) DO NOTHING`,
    [data.departments.map((d) => d.id), data.departments.map((d) => d.name)],
  );
  await db.query(
    `INSERT INTO sales.customers (id, name) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT (id) DO NOTHING`,
    [data.customers.map((c) => c.id), data.customers.map((c) => c.name)],
  );
  await db.query(
    `INSERT INTO sales.projects (id, name, customer_id, department_id)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) ON CONFLICT (id) DO NOTHING`,
    [
      data.projects.map((p) => p.id),
      data.projects.map((p) => p.name),
      data.projects.map((p) => p.customerId),
      data.projects.map((p) => p.departmentId),
    ],
  );
  await db.query(
    `INSERT INTO sales.monthly (project_id, month, forecast, actual)
     SELECT * FROM unnest($1::text[], $2::date[], $3::bigint[], $4::bigint[]) ON CONFLICT (project_id, month) DO NOTHING`,
    [
      data.monthly.map((r) => r.projectId),
      data.monthly.map((r) => firstDay(r.month)),
      data.monthly.map((r) => r.forecast.toString()),
      data.monthly.map((r) => (r.actual === null ? null : r.actual.toString())),
    ],
  );
}
