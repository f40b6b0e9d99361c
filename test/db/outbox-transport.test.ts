// Issue 6, fault 11: a row is delivered only by the kind of transport it was written for. A
// console-mode toban on the same database as a Slack-mode toban must not print Slack's replies.
import { outboxSuite } from '../helpers/outbox.ts';

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';

import { boot, type Booted } from '../../src/app/boot.ts';

import { Dispatcher } from '../../src/app/dispatch.ts';

import { insertRequest } from '../../src/db/slack-requests.ts';

import { createAnswerer } from '../../src/transport/slack-answer.ts';

import { createLogger } from '../../src/core/log.ts';

import { createMetrics } from '../../src/core/metrics.ts';

import { ConsoleDeliverer } from '../../src/outbox/console-deliverer.ts';

import { enqueue } from '../helpers/outbox.ts';

import { startOutboxWorker, type OutboxWorker } from '../../src/outbox/worker.ts';

import { LogCapture } from '../helpers/context.ts';

import { row, startSlackWorker } from '../helpers/outbox.ts';

const suite = outboxSuite();

async function consoleWorker(shown: string[]): Promise<OutboxWorker> {
  const worker = await startOutboxWorker({
    pool: suite.db.pool,
    listenUrl: suite.db.url,
    deliverer: new ConsoleDeliverer(
      (reply) => shown.push(reply.message.text),
      'en',
      (name) => `/tmp/${name}`,
    ),
    log: createLogger('debug', new LogCapture()),
    metrics: createMetrics(),
    pollMs: 100,
  });
  suite.workers.push(worker);
  return worker;
}

describe('rows and transports', () => {
  it('a console-mode worker leaves the replies written for Slack alone', async () => {
    const id = (await enqueue(suite.db.pool, {
      kind: 'slack.respond',
      payload: { responseUrl: suite.slack.responseUrl('r1'), responseType: 'ephemeral', text: '当番: U0AAA' },
      orderingKey: 'respond:r1',
    }))!;
    const shown: string[] = [];
    const console = await consoleWorker(shown);
    await console.drain();
    expect(shown).toEqual([]);
    expect(await row(suite.db, id)).toMatchObject({ state: 'pending', attempts: 0 });

    const { worker } = await startSlackWorker(suite.db, suite.slack);
    suite.workers.push(worker);
    await worker.drain();
    expect(await row(suite.db, id)).toMatchObject({ state: 'delivered' });
    expect(suite.slack.callsTo('respond/r1')).toHaveLength(1);
  });

  it('a Slack-mode worker leaves the rows written by a console-mode toban alone', async () => {
    const id = (await enqueue(
      suite.db.pool,
      {
        kind: 'slack.post',
        payload: { channel: 'C0ALERTS', text: 'printed in the terminal' },
        orderingKey: 'k',
      },
      'console',
    ))!;
    const { worker } = await startSlackWorker(suite.db, suite.slack);
    suite.workers.push(worker);
    await worker.drain();
    expect(suite.slack.callsTo('chat.postMessage')).toHaveLength(0);
    expect(await row(suite.db, id)).toMatchObject({ state: 'pending', attempts: 0 });

    const shown: string[] = [];
    const console = await consoleWorker(shown);
    await console.drain();
    expect(shown).toEqual(['printed in the terminal']);
  });
});

// The transport comes from the running mode, in one place (boot: AppContext.outboxTransport), and
// every production writer takes it from there: rows written by answering a command in a Slack-mode
// toban are Slack's, those of a console-mode toban the console's, on one database.
describe('the running mode decides the transport of the rows written', () => {
  it('a console-mode and a Slack-mode toban on one database each deliver only the answers they wrote', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'toban-transport-'));
    const booted: Booted[] = [];
    try {
      const common = {
        DATABASE_URL: suite.db.url,
        DATABASE_OWNER_URL: suite.db.ownerUrl,
        TOBAN_DATA_DIR: dataDir,
      };
      const opts = { cwd: dataDir, logTo: 'file' as const, warn: () => {} };
      const consoleToban = await boot({ ...opts, env: common });
      booted.push(consoleToban);
      const slackToban = await boot({
        ...opts,
        env: {
          ...common,
          SLACK_BOT_TOKEN: 'xoxb-transport',
          SLACK_SIGNING_SECRET: 'secret',
          SLACK_API_URL: suite.slack.url,
          ALERT_WEBHOOK_TOKEN: 'hook-token',
        },
        directory: () => consoleToban.ctx.directory,
      });
      booted.push(slackToban);
      expect([consoleToban.ctx.config.env.mode, slackToban.ctx.config.env.mode]).toEqual(['console', 'http']);

      // Each answers one /oncall command through the production answer path.
      for (const [name, toban] of [
        ['from-console', consoleToban],
        ['from-slack', slackToban],
      ] as const) {
        const { ctx } = toban;
        const answer = createAnswerer({ ctx, dispatcher: new Dispatcher(ctx, { commands: commands }) });
        const req = await insertRequest(suite.db.pool, {
          key: `sig:${name}`,
          kind: 'command',
          payload: {
            command: '/oncall',
            text: '',
            user_id: 'U0AAA',
            channel_id: 'C0X',
            response_url: suite.slack.responseUrl(name),
          },
          leaseMs: 60_000,
        });
        expect(await answer(req!)).toBe('answered');
      }

      const shown: string[] = [];
      const consoleOut = await consoleWorker(shown);
      const { worker: slackOut } = await startSlackWorker(suite.db, suite.slack);
      suite.workers.push(slackOut);
      await consoleOut.drain();
      await slackOut.drain();

      expect(suite.slack.callsTo('respond/from-slack')).toHaveLength(1);
      expect(suite.slack.callsTo('respond/from-console')).toHaveLength(0);
      expect(shown).toHaveLength(1);
      const { rows } = await suite.db.pool.query<{ transport: string; url: string; state: string }>(
        `SELECT transport, payload->>'responseUrl' AS url, state FROM outbox ORDER BY id`,
      );
      expect(rows).toEqual([
        { transport: 'console', url: suite.slack.responseUrl('from-console'), state: 'delivered' },
        { transport: 'slack', url: suite.slack.responseUrl('from-slack'), state: 'delivered' },
      ]);
    } finally {
      for (const b of booted.reverse()) await b.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
