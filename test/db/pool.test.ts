// A connection PostgreSQL drops while a transaction is open (a failover, a killed backend, a
// pgbouncer restart) fails that transaction; it never takes the process down.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTransaction } from '../../src/db/pool.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => db?.drop());

async function backendOf(applicationName: string): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const { rows } = await db.ownerPool.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE query LIKE $1 AND state = 'active'`,
      [`%${applicationName}%`],
    );
    if (rows[0]) return rows[0].pid;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('the transaction never started its query');
}

describe('withTransaction', () => {
  it('rejects, and the process lives on, when the backend is terminated mid-transaction', async () => {
    const marker = `pool_test_${Date.now()}`;
    const work = withTransaction(db.pool, async (tx) => {
      await tx.query(`SELECT pg_sleep(30) /* ${marker} */`);
    });
    // Its rejection may come before the assertion below is reached: handled from the start, so it is
    // never an unhandled rejection of the test run.
    const failed = work.then(
      () => undefined,
      (err: unknown) => err,
    );
    const pid = await backendOf(marker);
    await db.ownerPool.query('SELECT pg_terminate_backend($1)', [pid]);
    expect(String(await failed)).toMatch(/terminat/i);
    // The pool hands out a working connection afterwards.
    const { rows } = await db.pool.query<{ one: number }>('SELECT 1 AS one');
    expect(rows[0]?.one).toBe(1);
  });
});
