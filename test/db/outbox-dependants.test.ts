// Issue 6, fault 12: when a post goes dead, the rows that need its message (updates, thread
// replies) fail at once with the cause, and its ordering key is free for the rows behind.
import { outboxSuite } from '../helpers/outbox.ts';

import { describe, expect, it } from 'vitest';
import { enqueue } from '../helpers/outbox.ts';

import { row, startSlackWorker } from '../helpers/outbox.ts';

const suite = outboxSuite();

describe('a post that goes dead', () => {
  it('fails its update and its thread reply at once, naming the cause, and lets the next row of its key go', async () => {
    suite.slack.failNext('chat.postMessage', { error: 'msg_too_long' });
    const post = (await enqueue(suite.db.pool, {
      kind: 'slack.post',
      payload: { channel: 'C0ALERTS', text: 'x'.repeat(50_000), ref: 'alert-group:9' },
      orderingKey: 'alert-group:9',
    }))!;
    const update = (await enqueue(suite.db.pool, {
      kind: 'slack.update',
      payload: { ref: 'alert-group:9', text: 'acknowledged' },
      orderingKey: 'alert-group:9',
    }))!;
    const reply = (await enqueue(suite.db.pool, {
      kind: 'slack.post',
      payload: {
        channel: 'C0ALERTS',
        text: 'details',
        threadRef: 'alert-group:9',
        ref: 'alert-group:9:details',
      },
      orderingKey: 'alert-group:9',
    }))!;
    const replyUpdate = (await enqueue(suite.db.pool, {
      kind: 'slack.update',
      payload: { ref: 'alert-group:9:details', text: 'details (resolved)' },
      orderingKey: 'other-key',
    }))!;
    const next = (await enqueue(suite.db.pool, {
      kind: 'slack.post',
      payload: { channel: 'C0ALERTS', text: 'the next alert' },
      orderingKey: 'alert-group:9',
    }))!;
    const { worker } = await startSlackWorker(suite.db, suite.slack);
    suite.workers.push(worker);
    await worker.drain();
    expect(await row(suite.db, post)).toMatchObject({ state: 'dead' });
    for (const id of [update, reply, replyUpdate]) {
      const r = await row(suite.db, id);
      expect(r.state).toBe('dead');
      expect(r.last_error).toMatch(/alert-group:9.*msg_too_long/);
    }
    expect(await row(suite.db, next)).toMatchObject({ state: 'delivered' });
    expect(suite.slack.callsTo('chat.update')).toHaveLength(0);
  });

  it('fails an update enqueued after its post had already gone dead', async () => {
    suite.slack.failNext('chat.postMessage', { error: 'channel_not_found' });
    await enqueue(suite.db.pool, {
      kind: 'slack.post',
      payload: { channel: 'C0GONE', text: 'x', ref: 'alert-group:10' },
      orderingKey: 'a',
    });
    const { worker } = await startSlackWorker(suite.db, suite.slack);
    suite.workers.push(worker);
    await worker.drain();
    const update = (await enqueue(suite.db.pool, {
      kind: 'slack.update',
      payload: { ref: 'alert-group:10', text: 'late' },
      orderingKey: 'b',
    }))!;
    await worker.drain();
    expect(await row(suite.db, update)).toMatchObject({ state: 'dead' });
    expect((await row(suite.db, update)).last_error).toMatch(/channel_not_found/);
  });
});
