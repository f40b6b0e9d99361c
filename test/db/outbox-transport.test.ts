// Issue 6, fault 11: a row is delivered only by the kind of transport it was written for. A
// console-mode toban on the same database as a Slack-mode toban must not print Slack's replies.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/app/log.ts';
import { createMetrics } from '../../src/app/metrics.ts';
import { ConsoleDeliverer } from '../../src/outbox/console-deliverer.ts';
import { enqueue } from '../../src/outbox/enqueue.ts';
import { startOutboxWorker, type OutboxWorker } from '../../src/outbox/worker.ts';
import { LogCapture } from '../helpers/context.ts';
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

async function consoleWorker(shown: string[]): Promise<OutboxWorker> {
  const worker = await startOutboxWorker({
    pool: db.pool,
    listenUrl: db.url,
    deliverer: new ConsoleDeliverer(
      (reply) => shown.push(reply.message.text),
      'en',
      (name) => `/tmp/${name}`,
    ),
    log: createLogger('debug', new LogCapture()),
    metrics: createMetrics(),
    pollMs: 100,
  });
  workers.push(worker);
  return worker;
}

describe('rows and transports', () => {
  it('a console-mode worker leaves the replies written for Slack alone', async () => {
    const id = (await enqueue(db.pool, {
      kind: 'slack.respond',
      payload: { responseUrl: slack.responseUrl('r1'), responseType: 'ephemeral', text: '当番: U0AAA' },
      orderingKey: 'respond:r1',
    }))!;
    const shown: string[] = [];
    const console = await consoleWorker(shown);
    await console.drain();
    expect(shown).toEqual([]);
    expect(await row(db, id)).toMatchObject({ state: 'pending', attempts: 0 });

    const { worker } = await startSlackWorker(db, slack);
    workers.push(worker);
    await worker.drain();
    expect(await row(db, id)).toMatchObject({ state: 'delivered' });
    expect(slack.callsTo('respond/r1')).toHaveLength(1);
  });

  it('a Slack-mode worker leaves the rows written by a console-mode toban alone', async () => {
    const id = (await enqueue(db.pool, {
      kind: 'slack.post',
      payload: { channel: 'C0ALERTS', text: 'printed in the terminal' },
      orderingKey: 'k',
      transport: 'console',
    }))!;
    const { worker } = await startSlackWorker(db, slack);
    workers.push(worker);
    await worker.drain();
    expect(slack.callsTo('chat.postMessage')).toHaveLength(0);
    expect(await row(db, id)).toMatchObject({ state: 'pending', attempts: 0 });

    const shown: string[] = [];
    const console = await consoleWorker(shown);
    await console.drain();
    expect(shown).toEqual(['printed in the terminal']);
  });
});
