// Slack's pace kept in the database (migration 0500, src/outbox/slack-pace.ts): a token bucket per
// bucket name, shared by every replica, whose waiting callers hold reserved slots.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPool, type Pool } from '../../src/db/pool.ts';
import { databasePace } from '../../src/outbox/slack-pace.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';

let db: TestDatabase;
let otherReplica: Pool;
beforeAll(async () => {
  db = await freshDatabase();
  otherReplica = createPool(db.url, { max: 8 });
});
afterAll(async () => {
  await otherReplica?.end();
  await db?.drop();
});
beforeEach(async () => {
  await db.ownerPool.query('TRUNCATE slack_paces, slack_pace_slots');
});

const T0 = Date.parse('2026-12-01T00:00:00Z');

/** A pace at a clock moved by hand, through `pool`. */
function paceAt(pool: Pool, rate: { perSecond: number; burst: number }) {
  let t = T0;
  const pace = databasePace(pool, rate, () => new Date(t));
  return { pace, advance: (ms: number) => (t += ms) };
}

describe('databasePace', () => {
  it('lets a burst through, then hands out one slot per interval, in call order', async () => {
    const { pace } = paceAt(db.pool, { perSecond: 1, burst: 3 });
    const waits = [];
    for (const key of ['r1', 'r2', 'r3', 'r4', 'r5']) waits.push(await pace.take('chat.postMessage:C1', key));
    expect(waits).toEqual([0, 0, 0, 1000, 2000]);
  });

  it('keeps a waiting row its slot: asked again early it waits the rest, at its slot it goes, once', async () => {
    const { pace, advance } = paceAt(db.pool, { perSecond: 1, burst: 1 });
    expect(await pace.take('b', 'r1')).toBe(0);
    expect(await pace.take('b', 'r2')).toBe(1000);
    expect(await pace.take('b', 'r3')).toBe(2000);
    advance(400);
    expect(await pace.take('b', 'r2')).toBe(600);
    advance(600);
    expect(await pace.take('b', 'r2')).toBe(0);
    // Its slot spent, a later call of r2 queues again, after r3.
    expect(await pace.take('b', 'r2')).toBe(2000);
    advance(1000);
    expect(await pace.take('b', 'r3')).toBe(0);
  });

  it('keeps buckets apart and refills with time, never beyond the burst', async () => {
    const { pace, advance } = paceAt(db.pool, { perSecond: 2, burst: 2 });
    expect([await pace.take('x', 'a'), await pace.take('x', 'b'), await pace.take('x', 'c')]).toEqual([
      0, 0, 500,
    ]);
    expect(await pace.take('y', 'a')).toBe(0);
    advance(60_000);
    expect([await pace.take('x', 'd'), await pace.take('x', 'e'), await pace.take('x', 'f')]).toEqual([
      0, 0, 500,
    ]);
  });

  it('two replicas asking at once get distinct slots: exactly the burst goes, the rest one an interval apart', async () => {
    const rate = { perSecond: 1, burst: 2 };
    const a = paceAt(db.pool, rate).pace;
    const b = paceAt(otherReplica, rate).pace;
    const waits = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).take('chat.postMessage:C9', `row-${i}`)),
    );
    expect(waits.sort((x, y) => x - y)).toEqual([
      0,
      0,
      ...Array.from({ length: 38 }, (_, i) => (i + 1) * 1000),
    ]);
  });

  it('forgets slots never taken up two minutes after they fell due', async () => {
    const { pace, advance } = paceAt(db.pool, { perSecond: 1, burst: 1 });
    await pace.take('b', 'gone-0');
    await pace.take('b', 'gone-1');
    advance(200_000);
    await pace.take('b', 'r');
    await pace.take('b', 'r2');
    const { rows } = await db.ownerPool.query<{ row_key: string }>(`SELECT row_key FROM slack_pace_slots`);
    expect(rows.map((r) => r.row_key)).toEqual(['r2']);
  });

  it('refuses a rate it cannot keep', () => {
    expect(() => databasePace(db.pool, { perSecond: 0, burst: 1 })).toThrow(RangeError);
    expect(() => databasePace(db.pool, { perSecond: 1, burst: 0 })).toThrow(RangeError);
  });
});
