// Deliveries that finish together are recorded together (store.ts, markDelivered): one statement,
// each record fenced on its own claim, so a claim lost meanwhile fails alone; a statement the server
// refuses writes nothing, and the worker's group then records each delivery alone.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { statementFailed } from '../../src/db/statement-group.ts';
import { enqueue } from '../helpers/outbox.ts';
import { claimDue, markDelivered } from '../../src/outbox/store.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => db?.drop());
beforeEach(async () => {
  await db.ownerPool.query('TRUNCATE outbox, slack_messages');
});

async function claimThree() {
  for (let i = 0; i < 3; i++)
    await enqueue(db.pool, {
      kind: 'slack.post',
      payload: { channel: 'C0ALERTS', text: `post ${i}` },
      orderingKey: `k${i}`,
    });
  const claims = await claimDue(db.pool, { now: null, limit: 3, leaseMs: 60_000, transport: 'slack' });
  expect(claims).toHaveLength(3);
  return claims;
}

describe('recording deliveries together', () => {
  it('records each delivery of a group under its own claim; a lost claim is refused alone', async () => {
    const [a, b, c] = await claimThree();
    const lost = { ...b!, leaseUntil: new Date(b!.leaseUntil.getTime() - 1) };
    const result = await markDelivered(db.pool, [
      {
        claim: a!,
        delivered: { result: { ok: 1 }, message: { ref: 'r:a', channel: 'C1', ts: '1.1' } },
        now: null,
      },
      {
        claim: lost,
        delivered: { result: { ok: 2 }, message: { ref: 'r:b', channel: 'C1', ts: '1.2' } },
        now: null,
      },
      { claim: c!, delivered: { result: { ok: 3 } }, now: null },
    ]);
    expect(result).toEqual([true, false, true]);
    const { rows } = await db.pool.query(`SELECT state, result FROM outbox ORDER BY id`);
    expect(rows).toEqual([
      { state: 'delivered', result: { ok: 1 } },
      { state: 'pending', result: null },
      { state: 'delivered', result: { ok: 3 } },
    ]);
    const messages = await db.pool.query(`SELECT ref, channel, ts FROM slack_messages ORDER BY ref`);
    expect(messages.rows).toEqual([{ ref: 'r:a', channel: 'C1', ts: '1.1' }]);
  });

  it('writes nothing when the server refuses the group, so each can be recorded alone', async () => {
    const [a, b] = await claimThree();
    const same = { ref: 'r:same', channel: 'C1', ts: '2.1' };
    const err = await markDelivered(db.pool, [
      { claim: a!, delivered: { result: {}, message: same }, now: null },
      { claim: b!, delivered: { result: {}, message: { ...same, ts: '2.2' } }, now: null },
    ]).catch((e: unknown) => e);
    expect(statementFailed(err)).toBe(true);
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM outbox WHERE state = 'delivered'`);
    expect(rows[0].n).toBe(0);
    expect(
      await markDelivered(db.pool, [{ claim: a!, delivered: { result: {}, message: same }, now: null }]),
    ).toEqual([true]);
  });
});
