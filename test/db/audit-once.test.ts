// One audit row per Slack request (request review, fault D): a request answered twice (the replica
// crashed after its audit row committed but before its answer; the recovery sweep runs it again; two
// replicas race) leaves one row, keyed by the stored request's key, and the hash chain still holds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledger } from '../../commands/ledger.ts';
import type { SlashCommand } from '../../src/core/command.ts';
import { Dispatcher } from '../../src/app/dispatch.ts';
import { verifyAuditChain } from '../../src/db/audit-chain.ts';
import { claimStale, insertRequest } from '../../src/db/slack-requests.ts';
import { loadLedgerDemo } from '../../src/demo/ledger.ts';
import { createAnswerer } from '../../src/transport/slack-answer.ts';
import { textReply } from '../../src/views/common.ts';
import { testContext } from '../helpers/context.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
  await loadLedgerDemo(db.ownerPool, { entries: 100, seed: 3, today: '2024-04-10' });
});
afterAll(async () => db?.drop());

async function rowsFor(key: string) {
  const { rows } = await db.pool.query<{ actor: string; outcome: string; request_key: string }>(
    `SELECT actor, outcome, request_key FROM audit_log WHERE request_key = $1 ORDER BY id`,
    [key],
  );
  return rows;
}

/** A finance-only command that writes no audit row of its own: the Dispatcher writes it. */
const secret: SlashCommand = {
  name: '/secret',
  helpKey: 'ledger.help',
  financeOnly: true,
  async run() {
    return textReply('the secret');
  },
};

describe('a Slack request answered twice', () => {
  it('after a crash between its audit row and its answer, the recovery run writes no second row', async () => {
    const ctx = testContext(db.pool);
    const dispatcher = new Dispatcher(ctx, { commands: [ledger] });
    const payload = {
      command: '/ledger',
      text: 'balance 売掛金 2024-03-31',
      user_id: 'U0FIN1',
      channel_id: 'C0X',
      response_url: 'https://hooks.slack.com/commands/T/1/d1',
    };
    const req = await insertRequest(db.pool, { key: 'sig:d1', kind: 'command', payload, leaseMs: 0 });
    // The first replica ran the command (its service committed the audit row) and died before answering.
    await dispatcher.run({
      command: '/ledger',
      text: payload.text,
      userId: 'U0FIN1',
      locale: 'en',
      key: req!.key,
    });
    expect(await rowsFor('sig:d1')).toEqual([{ actor: 'U0FIN1', outcome: 'allowed', request_key: 'sig:d1' }]);

    const [again] = await claimStale(db.pool, { now: null, limit: 1, leaseMs: 60_000 });
    expect(again?.key).toBe('sig:d1');
    const answer = createAnswerer({ ctx, dispatcher });
    expect(await answer(again!)).toBe('answered');
    const { rows } = await db.pool.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE actor = 'U0FIN1' AND action = 'ledger.balance'`,
    );
    expect(rows[0].n).toBe(1);
    expect(await verifyAuditChain(db.pool)).toMatchObject({ ok: true });
  });

  it('refusals and rows the Dispatcher writes are kept once per key too, also when runs race', async () => {
    const ctx = testContext(db.pool);
    const dispatcher = new Dispatcher(ctx, { commands: [ledger, secret] });
    const runs = (command: string, userId: string, key: string) =>
      Promise.all(
        Array.from({ length: 4 }, () =>
          dispatcher.run({ command, text: 'balance 売掛金', userId, locale: 'ja', key }),
        ),
      );
    await runs('/ledger', 'U0NOTFIN', 'envelope:refused');
    await runs('/secret', 'U0FIN1', 'envelope:secret');
    expect(await rowsFor('envelope:refused')).toEqual([
      { actor: 'U0NOTFIN', outcome: 'refused', request_key: 'envelope:refused' },
    ]);
    expect(await rowsFor('envelope:secret')).toEqual([
      { actor: 'U0FIN1', outcome: 'allowed', request_key: 'envelope:secret' },
    ]);
    // Requests with no Slack key (console, CLI) are audited each time, as before.
    await dispatcher.run({ command: '/secret', text: 'x', userId: 'U0FIN1', locale: 'en' });
    await dispatcher.run({ command: '/secret', text: 'x', userId: 'U0FIN1', locale: 'en' });
    const { rows } = await db.pool.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'secret' AND request_key IS NULL`,
    );
    expect(rows[0].n).toBe(2);
    expect(await verifyAuditChain(db.pool)).toMatchObject({ ok: true });
  });
});
