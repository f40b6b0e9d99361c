// The outbox worker against a real PostgreSQL, with a scripted deliverer: claiming, order, retries,
// dead rows, leases, wake-ups and shutdown.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/core/log.ts';
import { createMetrics, type Metrics } from '../../src/core/metrics.ts';
import {
  PermanentError,
  RetryAfterError,
  TransientError,
  type Deliverer,
  type OutboxRow,
} from '../../src/outbox/deliverer.ts';
import { enqueue } from '../helpers/outbox.ts';
import type { OutboxItem } from '../../src/outbox/kinds/index.ts';
import { claimDue } from '../../src/outbox/store.ts';
import { startOutboxWorker, type OutboxWorker, type OutboxWorkerOptions } from '../../src/outbox/worker.ts';
import { LogCapture } from '../helpers/context.ts';
import { TestClock } from '../helpers/outbox.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';

let db: TestDatabase;
let workers: OutboxWorker[] = [];

beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => db?.drop());
beforeEach(async () => {
  await db.ownerPool.query('TRUNCATE outbox, slack_messages, slack_rate_pauses');
});
afterEach(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  workers = [];
});

interface Harness {
  worker: OutboxWorker;
  metrics: Metrics;
  logs: LogCapture;
}

/** A deliverer scripted by the test: only its deliver() matters here. */
type Scripted = Pick<Deliverer, 'deliver'>;

async function start(deliverer: Scripted, opts: Partial<OutboxWorkerOptions> = {}): Promise<Harness> {
  const logs = new LogCapture();
  const metrics = createMetrics();
  const worker = await startOutboxWorker({
    pool: db.pool,
    listenUrl: db.url,
    deliverer: { transport: 'slack', deadlineMs: 2_000, ...deliverer },
    leaseMarginMs: 100,
    log: createLogger('debug', logs),
    metrics,
    pollMs: 200,
    retryBaseMs: 20,
    // These tests are about the worker's backoff; the settle delay of channel-visible kinds after an
    // unknown outcome is tested in outbox-duplicates.test.ts.
    settleMs: 0,
    ...opts,
  });
  workers.push(worker);
  return { worker, metrics, logs };
}

function post(n: number, orderingKey: string, extra: Partial<OutboxItem> = {}): OutboxItem {
  return {
    kind: 'slack.post',
    payload: { channel: 'C0ALERTS', text: `message ${n}` },
    orderingKey,
    ...extra,
  } as OutboxItem;
}

async function row(
  id: string,
): Promise<{ state: string; attempts: number; last_error: string | null; result: unknown }> {
  const { rows } = await db.pool.query(
    `SELECT state, attempts, last_error, result FROM outbox WHERE id = $1`,
    [id],
  );
  return rows[0];
}

async function counterValue(
  metrics: Metrics,
  name: keyof Metrics,
  labels: Record<string, string>,
): Promise<number> {
  const metric = metrics[name] as {
    get(): Promise<{ values: { value: number; labels: Record<string, unknown> }[] }>;
  };
  const { values } = await metric.get();
  return values
    .filter((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))
    .reduce((s, v) => s + v.value, 0);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('outbox worker', () => {
  it('delivers the rows of one ordering key one at a time, in id order, while other keys run alongside', async () => {
    const delivered: string[] = [];
    const inFlight = new Map<string, number>();
    let overlapped = false;
    const deliverer: Scripted = {
      async deliver(r: OutboxRow) {
        const key = (r.payload as { text: string }).text.split(' ')[0]!;
        inFlight.set(key, (inFlight.get(key) ?? 0) + 1);
        if (inFlight.get(key)! > 1) overlapped = true;
        await sleep(Math.random() * 15);
        inFlight.set(key, inFlight.get(key)! - 1);
        delivered.push((r.payload as { text: string }).text);
        return { result: {} };
      },
    };
    for (let i = 0; i < 6; i++) {
      for (const key of ['a', 'b', 'c']) {
        await enqueue(db.pool, {
          kind: 'slack.post',
          payload: { channel: 'C1', text: `${key} ${i}` },
          orderingKey: `group:${key}`,
        });
      }
    }
    const { worker } = await start(deliverer, { concurrency: 4 });
    await worker.drain();
    expect(delivered).toHaveLength(18);
    expect(overlapped).toBe(false);
    for (const key of ['a', 'b', 'c']) {
      expect(delivered.filter((t) => t.startsWith(key))).toEqual(
        [0, 1, 2, 3, 4, 5].map((i) => `${key} ${i}`),
      );
    }
  });

  it('holds later rows of a key back while an earlier one waits for its retry', async () => {
    const seen: string[] = [];
    let failFirst = true;
    const deliverer: Scripted = {
      async deliver(r) {
        const text = (r.payload as { text: string }).text;
        seen.push(text);
        if (text === 'message 1' && failFirst) {
          failFirst = false;
          throw new TransientError('try again');
        }
        return { result: {} };
      },
    };
    await enqueue(db.pool, post(1, 'k'));
    await enqueue(db.pool, post(2, 'k'));
    const clock = new TestClock();
    const { worker } = await start(deliverer, { retryBaseMs: 200, now: clock.now });
    await worker.drain();
    expect(seen).toEqual(['message 1']);
    clock.advance(300);
    await worker.drain();
    expect(seen).toEqual(['message 1', 'message 1', 'message 2']);
  });

  it('wakes on NOTIFY at once, without waiting for the poll', async () => {
    const seen: string[] = [];
    await start({ deliver: async (r) => (seen.push(r.id), { result: {} }) }, { pollMs: 60_000 });
    const id = await enqueue(db.pool, post(1, 'k'));
    for (let i = 0; i < 100 && seen.length === 0; i++) await sleep(50);
    expect(seen).toEqual([id]);
  });

  it('waits as long as a RetryAfterError says before trying the row again, without counting the attempt', async () => {
    let calls = 0;
    const deliverer: Scripted = {
      async deliver() {
        if (++calls === 1) throw new RetryAfterError(1);
        return { result: {} };
      },
    };
    const id = (await enqueue(db.pool, post(1, 'k')))!;
    const clock = new TestClock();
    const { worker, metrics } = await start(deliverer, { now: clock.now });
    await worker.drain();
    clock.advance(999);
    await worker.drain();
    expect(calls).toBe(1);
    clock.advance(200);
    await worker.drain();
    expect(calls).toBe(2);
    expect(await row(id)).toMatchObject({ state: 'delivered', attempts: 1 });
    expect(await counterValue(metrics, 'outboxFailures', { reason: 'rate_limited' })).toBe(1);
  });

  it('retries a transient failure with backoff and records the delivery', async () => {
    let calls = 0;
    const deliverer: Scripted = {
      async deliver() {
        calls++;
        if (calls < 3) throw new TransientError('HTTP 500');
        return { result: { ts: '1.2' } };
      },
    };
    const id = (await enqueue(db.pool, post(1, 'k')))!;
    const clock = new TestClock();
    const { worker, metrics } = await start(deliverer, { now: clock.now, retryBaseMs: 1_000 });
    for (let i = 0; i < 3; i++) {
      await worker.drain();
      clock.advance(2_000);
    }
    expect(await row(id)).toMatchObject({ state: 'delivered', attempts: 3, result: { ts: '1.2' } });
    expect(await counterValue(metrics, 'outboxFailures', { reason: 'transient' })).toBe(2);
    expect(await counterValue(metrics, 'outboxDeliveries', { kind: 'slack.post' })).toBe(1);
  });

  it('parks a row as dead once it is older than maxAgeMs, logs it at error level and counts it', async () => {
    const id = (await enqueue(db.pool, post(1, 'k')))!;
    const clock = new TestClock();
    const { worker, metrics, logs } = await start(
      {
        deliver: async () => {
          throw new TransientError('HTTP 503');
        },
      },
      { maxAgeMs: 60_000, now: clock.now, retryBaseMs: 1_000 },
    );
    await worker.drain();
    expect(await row(id)).toMatchObject({ state: 'pending' });
    clock.advance(61_000);
    await worker.drain();
    expect(await row(id)).toMatchObject({
      state: 'dead',
      attempts: 2,
      last_error: 'TransientError: HTTP 503 (older than 60 s, given up)',
    });
    expect(await counterValue(metrics, 'outboxDead', { kind: 'slack.post' })).toBe(1);
    expect(await counterValue(metrics, 'outboxDepth', { state: 'dead' })).toBe(1);
    const line = logs.lines.find((l) => l.msg === 'outbox: row is dead (too old), it will not be retried');
    expect(line).toMatchObject({ level: 'error', outboxId: id, kind: 'slack.post' });
  });

  it('parks a row as dead at once on a permanent error, and lets the next row of its key go', async () => {
    const seen: string[] = [];
    const deliverer: Scripted = {
      async deliver(r) {
        seen.push(r.id);
        if (seen.length === 1)
          throw new PermanentError('slack chat.postMessage: channel_not_found', 'channel_not_found');
        return { result: {} };
      },
    };
    const first = (await enqueue(db.pool, post(1, 'k')))!;
    const second = (await enqueue(db.pool, post(2, 'k')))!;
    const { worker, metrics } = await start(deliverer);
    await worker.drain();
    expect(await row(first)).toMatchObject({
      state: 'dead',
      attempts: 1,
      last_error: 'PermanentError: slack chat.postMessage: channel_not_found',
    });
    expect(await row(second)).toMatchObject({ state: 'delivered' });
    expect(await counterValue(metrics, 'outboxDead', { kind: 'slack.post' })).toBe(1);
  });

  it('stores error text with tokens and URL passwords redacted', async () => {
    const id = (await enqueue(db.pool, post(1, 'k')))!;
    const { worker } = await start({
      deliver: async () => {
        throw new TransientError(
          'auth failed for xoxb-1234-5678-abcdef via postgres://toban:hunter2@db/toban',
        );
      },
    });
    await worker.drain();
    const { last_error } = await row(id);
    expect(last_error).toContain('[redacted]');
    expect(last_error).not.toContain('xoxb-1234');
    expect(last_error).not.toContain('hunter2');
  });

  it('retries a row whose worker died mid-delivery once its lease ends', async () => {
    const id = (await enqueue(db.pool, post(1, 'k')))!;
    const clock = new TestClock();
    // A worker that claimed the row and then vanished: the claim is committed, no outcome ever is.
    const [claim] = await claimDue(db.pool, {
      now: clock.now(),
      limit: 1,
      leaseMs: 3_000,
      transport: 'slack',
    });
    expect(claim?.id).toBe(id);
    const attemptsSeen: number[] = [];
    const { worker } = await start(
      { deliver: async (r) => (attemptsSeen.push(r.attempts), { result: {} }) },
      { now: clock.now },
    );
    await worker.drain();
    expect(attemptsSeen).toEqual([]);
    clock.advance(3_001);
    await worker.drain();
    expect(attemptsSeen).toEqual([2]);
    expect(await row(id)).toMatchObject({ state: 'delivered', attempts: 2 });
  });

  it('schedules retries on an injected clock, so a test can move time instead of waiting', async () => {
    let clock = new Date(Date.now() + 3_600_000);
    let calls = 0;
    const deliverer: Scripted = {
      async deliver() {
        if (++calls === 1) throw new TransientError('HTTP 502');
        return { result: {} };
      },
    };
    const id = (await enqueue(db.pool, post(1, 'k')))!;
    const { worker } = await start(deliverer, { now: () => clock, retryBaseMs: 60_000 });
    await worker.drain();
    const { rows } = await db.pool.query<{ next_attempt_at: Date }>(
      `SELECT next_attempt_at FROM outbox WHERE id = $1`,
      [id],
    );
    const wait = rows[0]!.next_attempt_at.getTime() - clock.getTime();
    expect(wait).toBeGreaterThanOrEqual(30_000);
    expect(wait).toBeLessThanOrEqual(60_000);
    expect(calls).toBe(1);
    clock = new Date(clock.getTime() + 61_000);
    await worker.drain();
    expect(calls).toBe(2);
    expect(await row(id)).toMatchObject({ state: 'delivered', attempts: 2 });
  });

  it('stop() waits for the delivery in flight and records it', async () => {
    let started!: () => void;
    const begun = new Promise<void>((r) => (started = r));
    const id = (await enqueue(db.pool, post(1, 'k')))!;
    const { worker } = await start({
      async deliver() {
        started();
        await sleep(200);
        return { result: { done: true } };
      },
    });
    await begun;
    await worker.stop();
    expect(await row(id)).toMatchObject({ state: 'delivered', result: { done: true } });
  });

  it('records a posted message under its ref for later updates', async () => {
    await enqueue(
      db.pool,
      post(1, 'k', { payload: { channel: 'C1', text: 'x', ref: 'alert-group:7' } } as Partial<OutboxItem>),
    );
    const { worker } = await start({
      deliver: async () => ({
        result: {},
        message: { ref: 'alert-group:7', channel: 'C1', ts: '1712710800.000100' },
      }),
    });
    await worker.drain();
    const { rows } = await db.pool.query(`SELECT ref, channel, ts FROM slack_messages`);
    expect(rows).toEqual([{ ref: 'alert-group:7', channel: 'C1', ts: '1712710800.000100' }]);
  });
});
