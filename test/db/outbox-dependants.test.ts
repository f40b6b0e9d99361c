// Issue 6, fault 12: when a post goes dead, the rows that need its message (updates, thread
// replies) fail at once with the cause, and its ordering key is free for the rows behind.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { enqueue } from '../helpers/outbox.ts';
import type { OutboxWorker } from '../../src/outbox/worker.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { onlyLocalNetwork, startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';
import { row, startSlackWorker } from '../helpers/outbox.ts';

let db: TestDatabase;
let slack: FakeSlack;
let workers: OutboxWorker[] = [];
let restoreNetwork: () => void = () => {};

beforeAll(async () => {
  restoreNetwork = onlyLocalNetwork();
  db = await freshDatabase();
});
afterAll(async () => {
  restoreNetwork();
  await db?.drop();
});
beforeEach(async () => {
  await db.ownerPool.query('TRUNCATE outbox, slack_messages, slack_rate_pauses');
  slack = await startFakeSlack();
});
afterEach(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  workers = [];
  await slack.close();
});

describe('a post that goes dead', () => {
  it('fails its update and its thread reply at once, naming the cause, and lets the next row of its key go', async () => {
    slack.failNext('chat.postMessage', { error: 'msg_too_long' });
    const post = (await enqueue(db.pool, {
      kind: 'slack.post',
      payload: { channel: 'C0ALERTS', text: 'x'.repeat(50_000), ref: 'alert-group:9' },
      orderingKey: 'alert-group:9',
    }))!;
    const update = (await enqueue(db.pool, {
      kind: 'slack.update',
      payload: { ref: 'alert-group:9', text: 'acknowledged' },
      orderingKey: 'alert-group:9',
    }))!;
    const reply = (await enqueue(db.pool, {
      kind: 'slack.post',
      payload: {
        channel: 'C0ALERTS',
        text: 'details',
        threadRef: 'alert-group:9',
        ref: 'alert-group:9:details',
      },
      orderingKey: 'alert-group:9',
    }))!;
    const replyUpdate = (await enqueue(db.pool, {
      kind: 'slack.update',
      payload: { ref: 'alert-group:9:details', text: 'details (resolved)' },
      orderingKey: 'other-key',
    }))!;
    const next = (await enqueue(db.pool, {
      kind: 'slack.post',
      payload: { channel: 'C0ALERTS', text: 'the next alert' },
      orderingKey: 'alert-group:9',
    }))!;
    const { worker } = await startSlackWorker(db, slack);
    workers.push(worker);
    await worker.drain();
    expect(await row(db, post)).toMatchObject({ state: 'dead' });
    for (const id of [update, reply, replyUpdate]) {
      const r = await row(db, id);
      expect(r.state).toBe('dead');
      expect(r.last_error).toMatch(/alert-group:9.*msg_too_long/);
    }
    expect(await row(db, next)).toMatchObject({ state: 'delivered' });
    expect(slack.callsTo('chat.update')).toHaveLength(0);
  });

  it('fails an update enqueued after its post had already gone dead', async () => {
    slack.failNext('chat.postMessage', { error: 'channel_not_found' });
    await enqueue(db.pool, {
      kind: 'slack.post',
      payload: { channel: 'C0GONE', text: 'x', ref: 'alert-group:10' },
      orderingKey: 'a',
    });
    const { worker } = await startSlackWorker(db, slack);
    workers.push(worker);
    await worker.drain();
    const update = (await enqueue(db.pool, {
      kind: 'slack.update',
      payload: { ref: 'alert-group:10', text: 'late' },
      orderingKey: 'b',
    }))!;
    await worker.drain();
    expect(await row(db, update)).toMatchObject({ state: 'dead' });
    expect((await row(db, update)).last_error).toMatch(/channel_not_found/);
  });
});
