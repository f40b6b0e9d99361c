import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sales } from '../../commands/sales.ts';
import { Dispatcher } from '../../src/app/dispatch.ts';
import { loadSalesDemo, salesDemoRows } from '../../src/demo/sales.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { testContext } from '../helpers/context.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => db?.drop());

async function counts() {
  const { rows } = await db.ownerPool.query<{
    projects: string;
    months: string;
    actuals: string;
    total: string;
  }>(
    `SELECT (SELECT count(*) FROM sales.projects) AS projects,
            count(*) AS months, count(actual) AS actuals, sum(forecast)::text AS total
       FROM sales.monthly`,
  );
  return rows[0];
}

describe('sales demo data', () => {
  it('is the same for the same seed and differs for another', () => {
    const a = salesDemoRows({ today: '2024-04-10', seed: 7 });
    expect(salesDemoRows({ today: '2024-04-10', seed: 7 })).toEqual(a);
    expect(salesDemoRows({ today: '2024-04-10', seed: 8 }).monthly).not.toEqual(a.monthly);
  });

  it('covers 24 months around today, with actuals only for the months already closed', async () => {
    await loadSalesDemo(db.ownerPool, { today: '2024-04-10' });
    const { rows } = await db.ownerPool.query<{ first: string; last: string; last_actual: string }>(
      `SELECT to_char(min(month), 'YYYY-MM') AS first, to_char(max(month), 'YYYY-MM') AS last,
              to_char(max(month) FILTER (WHERE actual IS NOT NULL), 'YYYY-MM') AS last_actual
         FROM sales.monthly`,
    );
    expect(rows[0]).toEqual({ first: '2023-04', last: '2025-03', last_actual: '2024-03' });
    expect(await counts()).toMatchObject({ projects: '6', months: String(6 * 24), actuals: String(6 * 12) });
  });

  it('changes nothing when loaded again', async () => {
    const before = await counts();
    await loadSalesDemo(db.ownerPool, { today: '2024-04-10' });
    await loadSalesDemo(db.ownerPool, { today: '2024-04-10', seed: 99 });
    expect(await counts()).toEqual(before);
  });

  it('lets every /sales command answer something real', async () => {
    const dispatcher = new Dispatcher(testContext(db.pool), { commands: [sales] });
    const ask = (text: string) => dispatcher.run({ command: '/sales', text, userId: 'U0FIN1', locale: 'ja' });
    const month = await ask('month last-month by customer');
    expect(month.error).toBeUndefined();
    expect((month.reply.model as { rows: unknown[] }).rows).toHaveLength(4);
    const forecast = await ask('forecast 2023-04 2025-03');
    expect(forecast.error).toBeUndefined();
    expect(
      (forecast.reply.model as { rows: { actual: string | null }[] }).rows.filter((r) => r.actual !== null),
    ).toHaveLength(12);
  });
});
