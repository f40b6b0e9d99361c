// A job's outbox writes are idempotent by its firing (request review, fault G): an attempt that
// enqueued and then failed is retried, and the retry's writes are not enqueued again; another
// firing of the same job writes its own rows. (The kill -9 case: test/e2e/scheduler-kill.test.ts.)
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/app/clock.ts';
import { enqueue } from '../../src/outbox/enqueue.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { handoffWrites, replicaFactory } from '../helpers/scheduler.ts';

let db: TestDatabase;
const replicas = replicaFactory(() => db);
beforeAll(async () => {
  db = await freshDatabase();
});
afterEach(() => replicas.stopAll());
afterAll(async () => {
  await replicas.closePools();
  await db?.drop();
});

const T1 = new Date('2024-04-15T01:00:00Z');
const T2 = new Date('2024-04-16T01:00:00Z');

describe('outbox writes of a job firing', () => {
  it('are enqueued once across a failed attempt and its retry, and once per firing', async () => {
    const clock = new ManualClock(new Date(T1.getTime() - 1));
    const { scheduler, pool } = replicas.replica('r1', clock, { retryBaseMs: 1_000 });
    const attempts: string[] = [];
    scheduler.register({
      name: 'handoff',
      schedule: (after) => (after < T1 ? T1 : after < T2 ? T2 : undefined),
      catchUp: 'each',
      maxLatenessMs: 3_600_000,
      async run(fireAt, _signal, info) {
        attempts.push(`${fireAt.toISOString()}#${info.attempt}`);
        await handoffWrites(pool, fireAt);
        if (info.attempt === 1) throw new Error('Slack user group sync failed after the posts');
      },
    });
    clock.set(T1);
    expect(await scheduler.tick()).toMatchObject([{ outcome: 'retry', attempt: 1 }]);
    clock.set(new Date(T1.getTime() + 1_000));
    expect(await scheduler.tick()).toMatchObject([{ outcome: 'succeeded', attempt: 2 }]);
    clock.set(T2);
    await scheduler.tick();
    clock.set(new Date(T2.getTime() + 1_000));
    await scheduler.tick();
    expect(attempts).toEqual([
      `${T1.toISOString()}#1`,
      `${T1.toISOString()}#2`,
      `${T2.toISOString()}#1`,
      `${T2.toISOString()}#2`,
    ]);
    const { rows } = await db.pool.query(`SELECT idempotency_key FROM outbox ORDER BY id`);
    expect(rows.map((r) => r.idempotency_key)).toEqual([
      `job:handoff@${T1.toISOString()}:announce`,
      `job:handoff@${T1.toISOString()}:#1`,
      `job:handoff@${T2.toISOString()}:announce`,
      `job:handoff@${T2.toISOString()}:#1`,
    ]);
  });

  it('outside a job, enqueue keeps the caller’s key (or none)', async () => {
    await db.pool.query(`DELETE FROM outbox`);
    const item = { kind: 'slack.dm', orderingKey: 'dm:U1', payload: { user: 'U1', text: 'x' } } as const;
    await enqueue(db.pool, item, 'slack');
    await enqueue(db.pool, item, 'slack');
    await enqueue(db.pool, { ...item, idempotencyKey: 'mine' }, 'slack');
    const { rows } = await db.pool.query(`SELECT idempotency_key FROM outbox ORDER BY id`);
    expect(rows.map((r) => r.idempotency_key)).toEqual([null, null, 'mine']);
  });
});
