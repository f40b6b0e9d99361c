// Socket Mode takes the same durable path as HTTP: each envelope is validated, stored under its key
// (envelope:<id>, or event:<event_id> for events) and acknowledged; a command is answered through the
// outbox; a repeated envelope or a retried event is acknowledged and not run again. Envelopes are fed
// to Bolt's own SocketModeReceiver the way its WebSocket client hands them over ('slack_event').
import type { EventEmitter } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlashCommand } from '../../src/core/command.ts';
import { Dispatcher } from '../../src/app/dispatch.ts';
import { createSlackTransport } from '../../src/transport/slack.ts';
import { textReply } from '../../src/views/common.ts';
import { testContext } from '../helpers/context.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => db?.drop());

const runs: string[] = [];
const echo: SlashCommand = {
  name: '/echo',
  helpKey: 'oncall.help',
  async run(inv) {
    runs.push(`${inv.text}@${inv.key}`);
    return textReply(`echo ${inv.text}`);
  },
};

describe('Socket Mode envelopes', () => {
  it('stores, acknowledges and answers each envelope once, and an event once across retries', async () => {
    const ctx = testContext(db.pool);
    ctx.clock.set(new Date());
    const work: Promise<unknown>[] = [];
    const transport = await createSlackTransport({
      ctx,
      dispatcher: new Dispatcher(ctx, { commands: [echo] }),
      botToken: 'xoxb-socket',
      botId: 'BBOT',
      botUserId: 'UBOT',
      appToken: 'xapp-socket',
      track: (w) => work.push(w),
    });
    const client = (transport.receiver as unknown as { inner: { client: EventEmitter } }).inner.client;
    const acks: { envelope: string; response?: unknown }[] = [];
    const deliver = async (envelope: string, type: string, body: unknown, retry?: number) => {
      const acked = new Promise<void>((resolve) =>
        client.emit('slack_event', {
          ack: async (response?: unknown) => {
            acks.push({ envelope, response });
            resolve();
          },
          envelope_id: envelope,
          type,
          body,
          retry_num: retry,
        }),
      );
      await acked;
    };
    const command = {
      command: '/echo',
      text: 'hello\u0000',
      user_id: 'U0AAA',
      channel_id: 'C0X',
      response_url: 'https://hooks.slack.com/commands/T/1/s',
    };
    await deliver('env-1', 'slash_commands', command);
    await deliver('env-1', 'slash_commands', command);
    const event = {
      type: 'event_callback',
      event_id: 'Ev0SOCK',
      event: { type: 'app_mention', user: 'U0AAA', channel: 'C0X', ts: '1.1', text: 'hi' },
    };
    await deliver('env-2', 'events_api', event);
    await deliver('env-3', 'events_api', event, 1);
    await Promise.all(work);

    expect(acks.map((a) => a.envelope)).toEqual(['env-1', 'env-1', 'env-2', 'env-3']);
    expect(runs).toEqual(['hello@envelope:env-1']);
    const { rows } = await db.pool.query(`SELECT key, state FROM slack_requests ORDER BY key`);
    expect(rows).toEqual([
      { key: 'envelope:env-1', state: 'answered' },
      { key: 'event:Ev0SOCK', state: 'answered' },
    ]);
    const outbox = await db.pool.query(`SELECT idempotency_key, payload->>'text' AS text FROM outbox`);
    expect(outbox.rows).toEqual([{ idempotency_key: 'reply:envelope:env-1', text: 'echo hello' }]);
    await transport.stop();
  });
});
