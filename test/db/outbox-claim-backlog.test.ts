// A backlog behind one ordering key must not slow down claims for every other key: with 5,000
// pending rows waiting behind a key whose first row cannot go yet (leased, or waiting for a retry),
// a claim, the look for the next due row and "is any due?" each read a handful of tuples (counted
// by PostgreSQL for this transaction alone, so no timing is involved). Only the first pending row of
// each key (its head) is a candidate (migration 0280).
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anyDue, claimDue, nextDueInMs } from '../../src/outbox/store.ts';
import { freshDatabase, tuplesRead as tuplesReadOf, type TestDatabase } from '../helpers/db.ts';
import { enqueue } from '../helpers/outbox.ts';

let db: TestDatabase;
let blockedHead: string;

beforeAll(async () => {
  db = await freshDatabase();
  blockedHead = (await enqueue(db.pool, {
    kind: 'slack.post',
    payload: { channel: 'C0BUSY', text: 'head' },
    orderingKey: 'channel:C0BUSY',
  }))!;
  // The head is out on a lease (a worker is delivering it, or it waits for its retry).
  await db.pool.query(
    `UPDATE outbox SET attempts = 1, next_attempt_at = now() + interval '1 hour' WHERE id = $1`,
    [blockedHead],
  );
  // 5,000 rows behind it, all due, written as writers write them (one statement, as a burst would be).
  await db.pool.query(
    `INSERT INTO outbox (kind, payload, ordering_key, transport)
     SELECT 'slack.post', jsonb_build_object('channel', 'C0BUSY', 'text', 'behind ' || g), 'channel:C0BUSY', 'slack'
     FROM generate_series(1, 5000) g`,
  );
  for (let i = 0; i < 5; i++)
    await enqueue(db.pool, {
      kind: 'slack.post',
      payload: { channel: `C0CALM${i}`, text: `calm ${i}` },
      orderingKey: `channel:C0CALM${i}`,
    });
  await db.ownerPool.query('ANALYZE outbox');
});
afterAll(async () => db?.drop());

const tuplesRead = (fn: (c: pg.PoolClient) => Promise<unknown>): Promise<number> =>
  tuplesReadOf(db.url, 'outbox', fn);

describe('5,000 rows waiting behind one blocked ordering key', () => {
  it('claims the other keys rows without reading the backlog', async () => {
    let claimed: string[] = [];
    const read = await tuplesRead(async (c) => {
      claimed = (await claimDue(c, { now: null, limit: 4, leaseMs: 60_000, transport: 'slack' })).map(
        (r) => (r.payload as { channel: string }).channel,
      );
    });
    expect(claimed).toEqual(['C0CALM0', 'C0CALM1', 'C0CALM2', 'C0CALM3']);
    expect(read).toBeLessThan(100);
  });

  it('finds when the next row is due, and whether any is, without reading the backlog', async () => {
    expect(await tuplesRead((c) => nextDueInMs(c, null, 'slack'))).toBeLessThan(100);
    expect(await tuplesRead((c) => anyDue(c, null, 'slack'))).toBeLessThan(100);
  });

  it('moves the key on when its head is delivered: the next row becomes the candidate', async () => {
    const c = await db.pool.connect();
    try {
      await c.query('BEGIN');
      await c.query(`UPDATE outbox SET state = 'delivered', delivered_at = now() WHERE id = $1`, [
        blockedHead,
      ]);
      const claims = await claimDue(c, { now: null, limit: 10, leaseMs: 60_000, transport: 'slack' });
      expect(claims.map((r) => (r.payload as { text: string }).text)).toContain('behind 1');
      expect(claims.map((r) => (r.payload as { text: string }).text)).not.toContain('behind 2');
    } finally {
      await c.query('ROLLBACK');
      c.release();
    }
  });
});

// The head handed on under concurrency (trying to break migration 0280): a row written behind the
// head of its key while that head is being recorded delivered must become the head once both have
// committed, whichever commits first; else its key would stall for good.
describe('a row written while the head of its key leaves', () => {
  async function client(): Promise<pg.Client> {
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    return c;
  }
  async function heads(key: string): Promise<{ text: string; head: boolean }[]> {
    const { rows } = await db.pool.query<{ text: string; head: boolean }>(
      `SELECT payload->>'text' AS text, head FROM outbox WHERE state = 'pending' AND ordering_key = $1 ORDER BY id`,
      [key],
    );
    return rows;
  }
  /** Resolves once some backend waits for a lock (a condition, polled; the timeout only bounds a hang). */
  async function someoneWaitsForALock(): Promise<void> {
    for (let i = 0; i < 500; i++) {
      const { rows } = await db.ownerPool.query(
        `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      if (rows.length > 0) return;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('nobody waited for a lock');
  }

  it('the writer commits first: the leaving head waits for it, then hands the head on to it', async () => {
    const x = (await enqueue(db.pool, {
      kind: 'slack.post',
      payload: { channel: 'C0RACE', text: 'x' },
      orderingKey: 'race:1',
    }))!;
    const writer = await client();
    const recorder = await client();
    try {
      await writer.query('BEGIN');
      await enqueue(writer, {
        kind: 'slack.post',
        payload: { channel: 'C0RACE', text: 'y' },
        orderingKey: 'race:1',
      });
      const recorded = recorder.query(`UPDATE outbox SET state = 'delivered' WHERE id = $1`, [x]);
      await someoneWaitsForALock();
      await writer.query('COMMIT');
      await recorded;
      expect(await heads('race:1')).toEqual([{ text: 'y', head: true }]);
    } finally {
      await writer.end();
      await recorder.end();
    }
  });

  it('the head leaves first: the writer waits for it, then writes its row as the head', async () => {
    const x = (await enqueue(db.pool, {
      kind: 'slack.post',
      payload: { channel: 'C0RACE', text: 'x' },
      orderingKey: 'race:2',
    }))!;
    const writer = await client();
    const recorder = await client();
    try {
      await recorder.query('BEGIN');
      await recorder.query(`UPDATE outbox SET state = 'delivered' WHERE id = $1`, [x]);
      const written = enqueue(writer, {
        kind: 'slack.post',
        payload: { channel: 'C0RACE', text: 'y' },
        orderingKey: 'race:2',
      });
      await someoneWaitsForALock();
      await recorder.query('COMMIT');
      await written;
      expect(await heads('race:2')).toEqual([{ text: 'y', head: true }]);
    } finally {
      await writer.end();
      await recorder.end();
    }
  });
});
