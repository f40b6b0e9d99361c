// Slack delivery end to end below the app: outbox rows in a real PostgreSQL, the worker, the Slack
// deliverer and a real WebClient talking HTTP to the fake Slack Web API.
import { outboxSuite } from '../helpers/outbox.ts';

import { describe, expect, it } from 'vitest';
import { enqueue } from '../helpers/outbox.ts';

import type { OutboxItem } from '../../src/outbox/kinds/index.ts';

import type { OutboxWorker } from '../../src/outbox/worker.ts';

import { TestClock, type SlackWorkerOptions } from '../helpers/outbox.ts';

const suite = outboxSuite();

async function startWorker(opts: SlackWorkerOptions = {}): Promise<OutboxWorker> {
  return (await suite.start(opts)).worker;
}

async function row(
  id: string,
): Promise<{ state: string; attempts: number; last_error: string | null; result: Record<string, unknown> }> {
  const { rows } = await suite.db.pool.query(
    `SELECT state, attempts, last_error, result FROM outbox WHERE id = $1`,
    [id],
  );
  return rows[0];
}

async function until(id: string, state: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await row(id)).state !== state) {
    if (Date.now() > deadline)
      throw new Error(`row ${id} did not become ${state}: ${JSON.stringify(await row(id))}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const postItem = (
  channel: string,
  text: string,
  extra: Record<string, unknown> = {},
  orderingKey = `k:${text}`,
): OutboxItem => ({
  kind: 'slack.post',
  payload: { channel, text, ...extra },
  orderingKey,
});

describe('Slack delivery through the outbox', () => {
  it('posts a message with outbox metadata and records its ts under its ref', async () => {
    const id = (await enqueue(suite.db.pool, postItem('C0ALERTS', 'disk full', { ref: 'alert-group:1' })))!;
    const worker = await startWorker();
    await worker.drain();
    const [call] = suite.slack.callsTo('chat.postMessage');
    expect(call?.body).toMatchObject({
      channel: 'C0ALERTS',
      text: 'disk full',
      metadata: { event_type: 'toban_outbox', event_payload: { outbox_id: id } },
    });
    expect(call?.headers.authorization).toBe('Bearer xoxb-test-token');
    const ts = suite.slack.messages[0]!.ts;
    expect(await row(id)).toMatchObject({ state: 'delivered', result: { channel: 'C0ALERTS', ts } });
    const { rows } = await suite.db.pool.query(
      `SELECT channel, ts FROM slack_messages WHERE ref = 'alert-group:1'`,
    );
    expect(rows).toEqual([{ channel: 'C0ALERTS', ts }]);
  });

  it('keeps an update waiting until its message has a ts, then updates that message', async () => {
    const update = (await enqueue(suite.db.pool, {
      kind: 'slack.update',
      payload: { ref: 'alert-group:2', text: 'acknowledged' },
      orderingKey: 'u',
    }))!;
    const worker = await startWorker();
    await worker.drain();
    expect(await row(update)).toMatchObject({ state: 'pending', attempts: 0 });
    expect((await row(update)).last_error).toMatch(/alert-group:2 has not been posted yet/);
    expect(suite.slack.callsTo('chat.update')).toHaveLength(0);

    await enqueue(suite.db.pool, postItem('C0ALERTS', 'firing', { ref: 'alert-group:2' }));
    await until(update, 'delivered');
    const posted = suite.slack.messages[0]!;
    expect(suite.slack.callsTo('chat.update')[0]?.body).toMatchObject({
      channel: 'C0ALERTS',
      ts: posted.ts,
      text: 'acknowledged',
    });
    expect(posted.text).toBe('acknowledged');
  });

  it('posts a threaded reply into the thread of the message it refers to', async () => {
    await enqueue(suite.db.pool, postItem('C0INVEST', 'INV-1', { ref: 'investigation:1' }, 'inv:1'));
    await enqueue(
      suite.db.pool,
      postItem('C0INVEST', 'assigned to you', { threadRef: 'investigation:1' }, 'inv:1'),
    );
    const worker = await startWorker();
    await worker.drain();
    const [parent, reply] = suite.slack.messages;
    expect(reply).toMatchObject({ channel: 'C0INVEST', thread_ts: parent!.ts, text: 'assigned to you' });
  });

  it('honours Retry-After: the row waits as long as Slack asked, and the attempt is given back', async () => {
    const clock = new TestClock();
    suite.slack.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    const id = (await enqueue(suite.db.pool, postItem('C0ALERTS', 'rate limited')))!;
    const worker = await startWorker({ now: clock.now });
    await worker.drain();
    expect(suite.slack.callsTo('chat.postMessage').map((c) => c.status)).toEqual([429]);
    expect(await row(id)).toMatchObject({ state: 'pending', attempts: 0 });
    clock.advance(999);
    await worker.drain();
    expect(suite.slack.callsTo('chat.postMessage')).toHaveLength(1);
    clock.advance(200);
    await worker.drain();
    expect(suite.slack.callsTo('chat.postMessage').map((c) => c.status)).toEqual([429, 200]);
    // Being told to wait is not a failure of the row.
    expect(await row(id)).toMatchObject({ state: 'delivered', attempts: 1 });
  });

  it('retries after HTTP 500', async () => {
    suite.slack.failNext('chat.postMessage', { status: 500 });
    const id = (await enqueue(suite.db.pool, postItem('C0ALERTS', 'retry me')))!;
    // No settle delay here (real time): that delay is tested in outbox-duplicates.test.ts.
    await startWorker({ settleMs: 0 });
    await until(id, 'delivered');
    expect(suite.slack.callsTo('chat.postMessage').map((c) => c.status)).toEqual([500, 200]);
    expect(await row(id)).toMatchObject({ attempts: 2 });
  });

  it('parks a post to an unknown channel as dead at once', async () => {
    suite.slack.failNext('chat.postMessage', { error: 'channel_not_found' });
    const id = (await enqueue(suite.db.pool, postItem('C0GONE', 'hello?')))!;
    const worker = await startWorker();
    await worker.drain();
    expect(await row(id)).toMatchObject({
      state: 'dead',
      attempts: 1,
      last_error: 'PermanentError: slack chat.postMessage: channel_not_found',
    });
    expect(suite.slack.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('does not post twice when Slack accepted a post but the answer never arrived', async () => {
    suite.slack.failNext('chat.postMessage', { delayMs: 1_500 });
    const id = (await enqueue(suite.db.pool, postItem('C0ALERTS', 'once only', { ref: 'alert-group:3' })))!;
    // The retry may look at once here: Slack's answer is late, its post is not.
    await startWorker({ clientTimeoutMs: 300, settleMs: 0 });
    await until(id, 'delivered');
    expect(suite.slack.messages.filter((m) => m.text === 'once only')).toHaveLength(1);
    expect(suite.slack.callsTo('chat.postMessage')).toHaveLength(1);
    expect(suite.slack.callsTo('conversations.history')).toHaveLength(1);
    expect(await row(id)).toMatchObject({ attempts: 2, result: { ts: suite.slack.messages[0]!.ts } });
    const { rows } = await suite.db.pool.query(`SELECT ts FROM slack_messages WHERE ref = 'alert-group:3'`);
    expect(rows).toEqual([{ ts: suite.slack.messages[0]!.ts }]);
  });

  it('answers through a response_url with JSON', async () => {
    const id = (await enqueue(suite.db.pool, {
      kind: 'slack.respond',
      payload: {
        responseUrl: suite.slack.responseUrl('oncall-1'),
        responseType: 'ephemeral',
        text: '当番: U0AAA',
      },
      orderingKey: 'respond:1',
    }))!;
    const worker = await startWorker();
    await worker.drain();
    const [call] = suite.slack.callsTo('respond/oncall-1');
    expect(call?.headers['content-type']).toMatch(/application\/json/);
    expect(call?.body).toEqual({ response_type: 'ephemeral', text: '当番: U0AAA' });
    expect(await row(id)).toMatchObject({ state: 'delivered' });
  });

  it('uploads a file through getUploadURLExternal, the upload URL and completeUploadExternal', async () => {
    const id = (await enqueue(suite.db.pool, {
      kind: 'slack.file',
      payload: {
        channel: 'C0FINANCE',
        filename: 'journal.csv',
        title: '売掛金 2024-03',
        content: 'date,amount\n2024-03-31,1200\n',
        initialComment: 'here',
      },
      orderingKey: 'file:1',
    }))!;
    const worker = await startWorker();
    await worker.drain();
    expect(suite.slack.calls.map((c) => c.method)).toEqual([
      'files.getUploadURLExternal',
      'upload',
      'files.completeUploadExternal',
    ]);
    const [getUrl, upload, complete] = suite.slack.calls;
    expect(getUrl!.body).toMatchObject({
      filename: 'journal.csv',
      length: String(Buffer.byteLength('date,amount\n2024-03-31,1200\n')),
    });
    expect(upload!.body.raw).toContain('2024-03-31,1200');
    expect(complete!.body).toMatchObject({ channel_id: 'C0FINANCE', initial_comment: 'here' });
    expect(complete!.body.files).toEqual([{ id: upload!.body.fileId, title: '売掛金 2024-03' }]);
    expect(await row(id)).toMatchObject({
      state: 'delivered',
      result: { channel: 'C0FINANCE', files: [upload!.body.fileId] },
    });
  });

  it('opens the IM before sending a DM, and sets user group members', async () => {
    await enqueue(suite.db.pool, {
      kind: 'slack.dm',
      payload: { user: 'U0BBB', text: 'you are on duty' },
      orderingKey: 'dm:1',
    });
    await enqueue(suite.db.pool, {
      kind: 'slack.usergroup',
      payload: { usergroup: 'S0ONCALL', users: ['U0BBB', 'U0CCC'] },
      orderingKey: 'ug:1',
    });
    const worker = await startWorker();
    await worker.drain();
    expect(suite.slack.callsTo('conversations.open')[0]?.body).toMatchObject({ users: 'U0BBB' });
    expect(suite.slack.messages).toMatchObject([{ channel: 'DU0BBB', text: 'you are on duty' }]);
    expect(suite.slack.usergroups.get('S0ONCALL')).toEqual(['U0BBB', 'U0CCC']);
  });

  it('two workers on one database deliver each of 200 rows exactly once', async () => {
    for (let i = 0; i < 200; i++) await enqueue(suite.db.pool, postItem(`C${i % 20}`, `row ${i}`));
    const ids = (await suite.db.pool.query<{ id: string }>(`SELECT id FROM outbox ORDER BY id`)).rows.map(
      (r) => r.id,
    );
    const a = await startWorker({ concurrency: 4, token: 'xoxb-worker-a' });
    const b = await startWorker({ concurrency: 4, token: 'xoxb-worker-b' });
    await Promise.all([a.drain(20_000), b.drain(20_000)]);
    const posts = suite.slack.callsTo('chat.postMessage');
    expect(posts).toHaveLength(200);
    // Both took part (told apart by their tokens), and no row went out twice.
    expect(posts.filter((c) => c.headers.authorization === 'Bearer xoxb-worker-a').length).toBeGreaterThan(0);
    expect(posts.filter((c) => c.headers.authorization === 'Bearer xoxb-worker-b').length).toBeGreaterThan(0);
    const outboxIds = posts.map((c) =>
      String((c.body.metadata as { event_payload: { outbox_id: string } }).event_payload.outbox_id),
    );
    expect(new Set(outboxIds).size).toBe(200);
    expect([...outboxIds].sort()).toEqual([...ids].sort());
    const { rows } = await suite.db.pool.query(`SELECT state, count(*)::int AS n FROM outbox GROUP BY state`);
    expect(rows).toEqual([{ state: 'delivered', n: 200 }]);
  });
});
