// A stored Slack request the recovery gives up on (request review, fault F): too old for its
// response_url, or failing claim after claim. The person who sent it is told, in their language,
// that toban could not answer and to run it again: through the response_url while it still has
// time, else by DM; once, committed with the request's final state.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SlashCommand } from '../../src/core/command.ts';
import { Dispatcher } from '../../src/app/dispatch.ts';
import { claimStale, insertRequest } from '../../src/db/slack-requests.ts';
import { staticDirectory } from '../../src/services/directory.ts';
import { createAnswerer } from '../../src/transport/slack-answer.ts';
import { startRecovery } from '../../src/transport/slack-recovery.ts';
import { testContext } from '../helpers/context.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => db?.drop());
beforeEach(async () => {
  await db.pool.query(`DELETE FROM slack_requests`);
  await db.pool.query(`DELETE FROM outbox`);
});

const crash: SlashCommand = {
  name: '/crash',
  helpKey: 'oncall.help',
  async run() {
    throw new Error('never answers');
  },
};

const URL = 'https://hooks.slack.com/commands/T/1/give-up';

function setup(locales: Record<string, 'en' | 'ja'>) {
  const ctx = testContext(db.pool, { directory: staticDirectory({}, locales) });
  const answer = createAnswerer({ ctx, dispatcher: new Dispatcher(ctx, { commands: [crash] }) });
  return { ctx, answer };
}

async function outbox() {
  const { rows } = await db.pool.query<{ kind: string; key: string; payload: Record<string, string> }>(
    `SELECT kind, idempotency_key AS key, payload FROM outbox ORDER BY id`,
  );
  return rows;
}

describe('a stored request given up', () => {
  it('too old for its response_url: the sender gets a DM in their language to run it again', async () => {
    const { ctx, answer } = setup({ U0JA: 'ja' });
    const payload = { command: '/crash', text: 'now', user_id: 'U0JA', channel_id: 'C0X', response_url: URL };
    const req = (await insertRequest(db.pool, { key: 'sig:old', kind: 'command', payload, leaseMs: 0 }))!;
    ctx.clock.set(new Date(req.receivedAt.getTime() + 45 * 60_000));
    expect(await answer(req)).toBe('expired');
    const rows = await outbox();
    expect(rows).toMatchObject([{ kind: 'slack.dm', key: 'gave-up:sig:old', payload: { user: 'U0JA' } }]);
    expect(rows[0]!.payload.text).toContain('`/crash now`');
    expect(rows[0]!.payload.text).toContain('もう一度実行してください');
  });

  it('failing claim after claim: the recovery tells the sender through the response_url, once', async () => {
    const { ctx, answer } = setup({ U0EN: 'en' });
    ctx.clock.set(new Date());
    const payload = { command: '/crash', text: '', user_id: 'U0EN', channel_id: 'C0X', response_url: URL };
    const req = (await insertRequest(db.pool, { key: 'sig:poison', kind: 'command', payload, leaseMs: 0 }))!;
    await db.pool.query(`UPDATE slack_requests SET attempts = 5 WHERE id = $1`, [req.id]);
    const recovery = startRecovery({
      pool: db.pool,
      log: ctx.log,
      answer,
      track: () => {},
      intervalMs: 60_000,
      maxAttempts: 5,
    });
    try {
      await recovery.sweep();
    } finally {
      recovery.stop();
    }
    const { rows: state } = await db.pool.query(`SELECT state FROM slack_requests`);
    expect(state).toEqual([{ state: 'failed' }]);
    expect(await outbox()).toEqual([
      {
        kind: 'slack.respond',
        key: 'gave-up:sig:poison',
        payload: {
          responseUrl: URL,
          responseType: 'ephemeral',
          text: expect.stringMatching(/could not answer your `\/crash`.*run it again/s),
        },
      },
    ]);
  });

  it('a button press given up: told too; an event has nobody to tell; a lost claim writes nothing', async () => {
    const { ctx, answer } = setup({});
    ctx.clock.set(new Date());
    const press = (await insertRequest(db.pool, {
      key: 'sig:btn',
      kind: 'interaction',
      payload: { type: 'block_actions', user: { id: 'U0BTN' }, actions: [{ action_id: 'a' }] },
      leaseMs: 0,
    }))!;
    const event = (await insertRequest(db.pool, {
      key: 'event:Ev1',
      kind: 'event',
      payload: { type: 'event_callback', event_id: 'Ev1', event: { type: 'app_mention' } },
      leaseMs: 0,
    }))!;
    expect(await answer.giveUp(press, 'failed', 'x')).toBe(true);
    expect(await answer.giveUp(event, 'failed', 'x')).toBe(true);
    // The same claim again: already final, so the claim is lost and no second notice is written.
    expect(await answer.giveUp(press, 'failed', 'x')).toBe(false);
    const rows = await outbox();
    expect(rows).toMatchObject([{ kind: 'slack.dm', key: 'gave-up:sig:btn', payload: { user: 'U0BTN' } }]);
    expect(await claimStale(db.pool, { now: null, limit: 10, leaseMs: 1 })).toEqual([]);
  });
});
