// Every call of a delivery stops at the delivery's deadline (outbox/slack-deliverer.ts): a Web API
// call through the WebClient (the deadline reaches its fetch through AsyncLocalStorage, entered only
// for Web API calls and switched off between them) and a response_url POST (given the signal), even
// when Slack would answer before the client's own timeout.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/core/log.ts';
import { createMetrics } from '../../src/core/metrics.ts';
import { createSlackClient } from '../../src/integrations/slack/client.ts';
import type { Deliverer, DeliveryContext, OutboxRow } from '../../src/outbox/deliverer.ts';
import { enqueue } from '../helpers/outbox.ts';
import { createSlackDeliverer } from '../../src/outbox/slack-deliverer.ts';
import { startOutboxWorker } from '../../src/outbox/worker.ts';
import { LogCapture } from '../helpers/context.ts';
import { row as rowView, TestClock } from '../helpers/outbox.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { onlyLocalNetwork, startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';

let db: TestDatabase;
let slack: FakeSlack;
let restoreNet: () => void;
beforeAll(async () => {
  restoreNet = onlyLocalNetwork();
  db = await freshDatabase();
  slack = await startFakeSlack();
});
afterAll(async () => {
  await slack?.close();
  await db?.drop();
  restoreNet?.();
});

function deliverer() {
  // The client's own timeout (5 s) is far longer than the deadlines below.
  const client = createSlackClient({ token: 'xoxb-deadline', apiUrl: slack.url, timeoutMs: 5_000 });
  return createSlackDeliverer({ client, pool: db.pool, callTimeoutMs: 5_000 });
}

function context(signal: AbortSignal): DeliveryContext {
  return { signal, lookupRef: async () => undefined, saveProgress: async () => {} };
}

function row(id: string, kind: string, payload: unknown): OutboxRow {
  return {
    id,
    kind,
    payload,
    attempts: 1,
    createdAt: new Date(),
    firstAttemptAt: new Date(),
    progress: null,
  };
}

describe('calls stop at the delivery deadline', () => {
  it('abandons a Web API call at the deadline, and the next delivery is bounded by its own', async () => {
    const d = deliverer();
    for (const n of [1, 2]) {
      slack.failNext('usergroups.users.update', { delayMs: 3_000 });
      const abort = new AbortController();
      const delivery = d.deliver(
        row(String(n), 'slack.usergroup', { usergroup: 'S0ONCALL', users: ['U0AAA'] }),
        context(abort.signal),
      );
      await slack.waitFor(
        (calls) => calls.filter((c) => c.method === 'usergroups.users.update').length === n,
      );
      abort.abort(new Error('deadline'));
      await expect(delivery).rejects.toThrow();
      // The fake sees the connection closed before it answered.
      await vi.waitFor(() => expect(slack.calls.filter((c) => c.abandoned)).toHaveLength(n));
    }
  });

  it('abandons a response_url POST at the deadline', async () => {
    slack.failNext('respond/cut', { delayMs: 3_000 });
    const abort = new AbortController();
    const delivery = deliverer().deliver(
      row('3', 'slack.respond', {
        responseUrl: slack.responseUrl('cut'),
        responseType: 'ephemeral',
        text: 'x',
      }),
      context(abort.signal),
    );
    await slack.waitFor((calls) => calls.some((c) => c.method === 'respond/cut'));
    abort.abort(new Error('deadline'));
    await expect(delivery).rejects.toThrow();
    await vi.waitFor(() =>
      expect(slack.calls.some((c) => c.method === 'respond/cut' && c.abandoned)).toBe(true),
    );
  });
});

// The worker's side of the deadline: it gives every delivery a signal that fires at deadlineMs, and
// stops waiting then even for a deliverer that ignores it, so the row is rescheduled (outcome
// unknown) while its lease still holds and no other replica can have taken it.
describe('the worker enforces the deadline', () => {
  it('fires the delivery signal and gives up on a delivery that never ends, well inside the lease', async () => {
    await db.ownerPool.query('TRUNCATE outbox, slack_messages, slack_rate_pauses');
    let signal: AbortSignal | undefined;
    const hangs: Deliverer = {
      transport: 'slack',
      deadlineMs: 100,
      deliver: (_row, ctx) => {
        signal = ctx.signal;
        return new Promise(() => {}); // never settles, whatever the signal says
      },
    };
    const clock = new TestClock();
    const worker = await startOutboxWorker({
      pool: db.pool,
      listenUrl: db.url,
      deliverer: hangs,
      log: createLogger('debug', new LogCapture()),
      metrics: createMetrics(),
      now: clock.now,
      leaseMs: 60_000,
      retryBaseMs: 60_000,
    });
    try {
      const id = (await enqueue(db.pool, {
        kind: 'slack.respond',
        payload: { responseUrl: slack.responseUrl('never'), responseType: 'ephemeral', text: 'x' },
        orderingKey: 'respond:never',
      }))!;
      await vi.waitFor(async () =>
        expect((await rowView(db, id)).last_error).toMatch(/delivery deadline \(100 ms\) passed/),
      );
      expect(signal?.aborted).toBe(true);
      // Recorded under its own claim (the fence held): the lease had not run out.
      expect(await rowView(db, id)).toMatchObject({ state: 'pending', attempts: 1 });
    } finally {
      await Promise.race([worker.stop(), new Promise((r) => setTimeout(r, 2_000))]);
    }
  });
});
