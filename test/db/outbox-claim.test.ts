// Issue 6, fault 15: finding work must not read the rows already delivered. With 50,000 delivered
// rows in the table (and the statistics not yet refreshed, as between two autovacuum runs), a claim, the look for the next due row and the depth gauge each touch a
// handful of tuples (counted by PostgreSQL for this transaction alone, so no timing is involved).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { enqueue } from '../helpers/outbox.ts';
import { anyDue, claimDue, depthByState, nextDueInMs } from '../../src/outbox/store.ts';
import { freshDatabase, tuplesRead as tuplesReadOf, type TestDatabase } from '../helpers/db.ts';

let db: TestDatabase;

beforeAll(async () => {
  db = await freshDatabase();
  // Rows go through the table as they do in production: written pending, then delivered.
  await db.pool.query(
    `INSERT INTO outbox (kind, payload, ordering_key)
     SELECT 'slack.post', '{"channel":"C1","text":"old"}', 'k' || (g % 1000) FROM generate_series(1, 50000) g`,
  );
  await db.pool.query(`UPDATE outbox SET state = 'delivered', delivered_at = now(), attempts = 1`);
  for (let i = 0; i < 5; i++)
    await enqueue(db.pool, {
      kind: 'slack.post',
      payload: { channel: 'C1', text: `new ${i}` },
      orderingKey: `n${i}`,
    });
});
afterAll(async () => db?.drop());

const tuplesRead = (fn: (c: pg.PoolClient) => Promise<unknown>): Promise<number> =>
  tuplesReadOf(db.url, 'outbox', fn);

describe('claiming with 50,000 delivered rows in the table', () => {
  it('claims due rows through the index of deliverable rows', async () => {
    let claimed = 0;
    const read = await tuplesRead(async (c) => {
      claimed = (await claimDue(c, { now: null, limit: 4, leaseMs: 60_000, transport: 'slack' })).length;
    });
    expect(claimed).toBe(4);
    expect(read).toBeLessThan(100);
  });

  it('finds when the next row is due, and whether any is, without reading delivered rows', async () => {
    expect(await tuplesRead((c) => nextDueInMs(c, null, 'slack'))).toBeLessThan(100);
    expect(await tuplesRead((c) => anyDue(c, null, 'slack'))).toBeLessThan(100);
  });

  it('counts pending and dead rows without reading delivered ones', async () => {
    // A count's plan follows the statistics: had autovacuum analyzed the table while the 50,000 rows
    // were still pending (it did in some runs), they would say "all pending" and a scan would be
    // the right plan until its next run. Counted here as autovacuum leaves it once it has run.
    await db.ownerPool.query('ANALYZE outbox');
    let depth: unknown;
    const read = await tuplesRead(async (c) => {
      depth = await depthByState(c);
    });
    expect(depth).toEqual({ pending: 5, dead: 0 });
    expect(read).toBeLessThan(100);
  });
});
