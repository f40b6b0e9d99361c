// A command's answer is written claimed by this process's outbox worker and delivered at once
// (outbox/worker.ts, "Direct delivery"): in the one statement that marks the request answered, with
// no NOTIFY and no claim query. Its guarantees stay those of any row: a process that dies before
// delivering leaves it leased, and another worker delivers it when the lease ends; a row with an
// earlier pending row of its ordering key waits its turn.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { Dispatcher } from '../../src/app/dispatch.ts';
import type { SlashCommand } from '../../src/core/command.ts';
import { answerRequest, insertRequest } from '../../src/db/slack-requests.ts';
import { claimOf, outboxRow } from '../../src/outbox/enqueue.ts';
import type { OutboxWorker } from '../../src/outbox/worker.ts';
import { createAnswerer } from '../../src/transport/slack-answer.ts';
import { textReply } from '../../src/views/common.ts';
import { testContext } from '../helpers/context.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { onlyLocalNetwork, startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';
import { enqueue, startSlackWorker, TestClock } from '../helpers/outbox.ts';

let db: TestDatabase;
let slack: FakeSlack;
let restoreNet: () => void;
let workers: OutboxWorker[] = [];

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
beforeEach(async () => {
  await db.ownerPool.query('TRUNCATE outbox, slack_messages, slack_rate_pauses, slack_requests');
});
afterEach(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  workers = [];
  vi.restoreAllMocks();
});

async function worker(opts: Parameters<typeof startSlackWorker>[2] = {}) {
  // No polling during a test: only what the test causes makes the worker look at the table.
  const w = await startSlackWorker(db, slack, { pollMs: 600_000, ...opts });
  workers.push(w.worker);
  return w.worker;
}

const hello: SlashCommand = {
  name: '/hello',
  helpKey: 'oncall.help',
  run: async (inv) => textReply(`hello ${inv.userId}`),
};

function commandPayload(name: string) {
  return {
    command: '/hello',
    text: '',
    user_id: 'U0AAA',
    channel_id: 'C0X',
    response_url: slack.responseUrl(name),
  };
}

/** Calls of pool.query that were a claim of due rows (given as text or as a named statement). */
const claimQueries = (spy: { mock: { calls: unknown[][] } }) =>
  spy.mock.calls.filter((c) => {
    const text = typeof c[0] === 'string' ? c[0] : (c[0] as { text: string }).text;
    return text.includes('WITH picked AS');
  }).length;

async function outboxRows() {
  const { rows } = await db.ownerPool.query<{ state: string; attempts: number }>(
    `SELECT state, attempts FROM outbox ORDER BY id`,
  );
  return rows;
}

describe('direct delivery of answers', () => {
  it('delivers a command answer at once, written claimed in the statement that marks it answered', async () => {
    const outbox = await worker();
    await outbox.drain();
    const ctx = testContext(db.pool);
    const answer = createAnswerer({ ctx, dispatcher: new Dispatcher(ctx, { commands: [hello] }), outbox });
    const req = await insertRequest(db.pool, {
      key: 'sig:direct',
      kind: 'command',
      payload: commandPayload('direct'),
      leaseMs: 60_000,
    });
    const queries = vi.spyOn(db.pool, 'query');
    expect(await answer(req!)).toBe('answered');
    await slack.waitFor((calls) => calls.some((c) => c.method === 'respond/direct'));
    await vi.waitFor(async () => expect(await outboxRows()).toEqual([{ state: 'delivered', attempts: 1 }]));
    expect(slack.callsTo('respond/direct')[0]!.body).toMatchObject({ text: 'hello U0AAA' });
    // One statement answered it; no worker looked for it in the table.
    expect(claimQueries(queries)).toBe(0);
  });

  it('delivers a claimed answer whose process died before sending it, once its lease has ended', async () => {
    const req = await insertRequest(db.pool, {
      key: 'sig:orphan',
      kind: 'command',
      payload: commandPayload('orphan'),
      leaseMs: 60_000,
    });
    // The answer is committed claimed (lease 2 s), and its process dies before delivering it.
    const row = outboxRow(
      {
        kind: 'slack.respond',
        orderingKey: 'respond:orphan',
        payload: { responseUrl: slack.responseUrl('orphan'), responseType: 'ephemeral', text: 'late' },
      },
      'slack',
    );
    const written = await answerRequest(db.pool, req!, [{ ...row, leaseMs: 2_000 }]);
    expect(written?.map(claimOf).every(Boolean)).toBe(true);
    const clock = new TestClock();
    const other = await worker({ now: clock.now });
    await other.drain();
    expect(slack.callsTo('respond/orphan')).toHaveLength(0);
    clock.advance(5_000);
    await other.drain();
    expect(slack.callsTo('respond/orphan')).toHaveLength(1);
    expect(await outboxRows()).toEqual([{ state: 'delivered', attempts: 2 }]);
  });

  it('writes an answer due, not claimed, when an earlier row of its ordering key is still pending', async () => {
    await enqueue(db.pool, {
      kind: 'slack.respond',
      orderingKey: 'respond:busy',
      payload: { responseUrl: slack.responseUrl('busy'), responseType: 'ephemeral', text: 'first' },
    });
    const req = await insertRequest(db.pool, {
      key: 'sig:busy',
      kind: 'command',
      payload: commandPayload('busy'),
      leaseMs: 60_000,
    });
    const row = outboxRow(
      {
        kind: 'slack.respond',
        orderingKey: 'respond:busy',
        payload: { responseUrl: slack.responseUrl('busy'), responseType: 'ephemeral', text: 'second' },
      },
      'slack',
    );
    const written = await answerRequest(db.pool, req!, [{ ...row, leaseMs: 60_000 }]);
    expect(written).toHaveLength(1);
    expect(claimOf(written![0]!)).toBeUndefined();
    const outbox = await worker();
    await outbox.drain();
    expect(slack.callsTo('respond/busy').map((c) => c.body.text)).toEqual(['first', 'second']);
  });

  it('holds no more slots than are free, and gives back the ones not taken', async () => {
    const outbox = await worker({ directConcurrency: 3 });
    const a = outbox.reserve(5);
    expect(a?.count).toBe(3);
    expect(outbox.reserve(1)).toBeUndefined();
    a!.take([]);
    const b = outbox.reserve(2);
    expect(b?.count).toBe(2);
    b!.release();
    expect(outbox.reserve(3)?.count).toBe(3);
  });
});
