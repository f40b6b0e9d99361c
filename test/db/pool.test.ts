// A connection PostgreSQL drops while a transaction is open (a failover, a killed backend, a
// pgbouncer restart) fails that transaction; it never takes the process down.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withRetriedTransaction, withTransaction } from '../../src/db/pool.ts';
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

describe('withRetriedTransaction', () => {
  it('runs again the transaction PostgreSQL aborted to break a deadlock: both end committed', async () => {
    await db.ownerPool.query(`CREATE TABLE deadlock_test (id int PRIMARY KEY, v int NOT NULL)`);
    await db.ownerPool.query(`INSERT INTO deadlock_test VALUES (1, 0), (2, 0)`);
    // Each first attempt locks its own row, waits until the other has too, then wants the other's.
    let locked = 0;
    const bothLocked = async () => {
      locked++;
      while (locked < 2) await new Promise((r) => setTimeout(r, 5));
    };
    const attempts = { a: 0, b: 0 };
    const retried: string[] = [];
    const run = (name: 'a' | 'b', first: number, second: number) =>
      withRetriedTransaction(
        db.ownerPool,
        async (tx) => {
          attempts[name]++;
          await tx.query(`UPDATE deadlock_test SET v = v + 1 WHERE id = $1`, [first]);
          if (attempts[name] === 1) await bothLocked();
          await tx.query(`UPDATE deadlock_test SET v = v + 1 WHERE id = $1`, [second]);
        },
        { onRetry: (err) => retried.push(`${name} ${(err as { code?: string }).code}`) },
      );
    await Promise.all([run('a', 1, 2), run('b', 2, 1)]);
    // One of the two was the deadlock's victim and ran twice; each committed once.
    expect(retried).toHaveLength(1);
    expect(retried[0]).toMatch(/^[ab] 40P01$/);
    expect(attempts.a + attempts.b).toBe(3);
    const { rows } = await db.ownerPool.query<{ id: number; v: number }>(
      `SELECT id, v FROM deadlock_test ORDER BY id`,
    );
    expect(rows).toEqual([
      { id: 1, v: 2 },
      { id: 2, v: 2 },
    ]);
  });

  it('throws at once an error that running again cannot mend', async () => {
    let attempts = 0;
    await expect(
      withRetriedTransaction(db.ownerPool, async (tx) => {
        attempts++;
        await tx.query(`SELECT 1/0`);
      }),
    ).rejects.toThrow(/division by zero/);
    expect(attempts).toBe(1);
  });
});
