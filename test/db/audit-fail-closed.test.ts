// Nothing escapes the audit (issue 7, item 4): every request to a finance-only command leaves an
// audit row (allowed, refused or error), text is cleaned where it enters, a directory that cannot
// answer is a refusal with its reason, and an audit row that cannot be written means no answer.
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ledger } from '../../commands/ledger.ts';
import { sales } from '../../commands/sales.ts';
import type { SlashCommand } from '../../src/core/command.ts';
import { Dispatcher } from '../../src/app/dispatch.ts';
import { loadLedgerDemo } from '../../src/demo/ledger.ts';
import { createSlackClient } from '../../src/integrations/slack/client.ts';
import { slackDirectory } from '../../src/integrations/slack/directory.ts';
import { staticDirectory } from '../../src/services/directory.ts';
import { ConsoleShell } from '../../src/transport/console.ts';
import { textReply } from '../../src/views/common.ts';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { testContext } from '../helpers/context.ts';
import type { Dispatch } from '../../src/core/handlers.ts';

let db: TestDatabase;
let slack: FakeSlack;

beforeAll(async () => {
  db = await freshDatabase();
  await loadLedgerDemo(db.ownerPool, { entries: 300, seed: 2, today: '2024-04-10' });
  slack = await startFakeSlack();
});
afterAll(async () => {
  await slack?.close();
  await db?.drop();
});

interface Row {
  action: string;
  outcome: string;
  detail: string | null;
  args: Record<string, unknown>;
}

async function auditRows(actor: string): Promise<Row[]> {
  const { rows } = await db.pool.query<Row>(
    `SELECT action, outcome, detail, args FROM audit_log WHERE actor = $1 ORDER BY id`,
    [actor],
  );
  return rows;
}

/** A finance-only command that neither audits nor behaves: it crashes or answers on its own. */
const secret: SlashCommand = {
  name: '/secret',
  helpKey: 'ledger.help',
  financeOnly: true,
  async run(inv) {
    if (inv.text === 'crash') throw new TypeError("Cannot read properties of undefined (reading 'x')");
    return textReply('the secret');
  },
};

function consoleRun(dispatcher: Dispatcher, userId: string, line: string): Promise<string> {
  const output = new PassThrough();
  let printed = '';
  output.on('data', (c: Buffer) => (printed += c.toString()));
  const shell = new ConsoleShell({
    // TODO(plumbing): no cast once the Dispatcher implements Dispatch (branch `plumbing`).
    dispatcher: dispatcher as unknown as Dispatch,
    input: new PassThrough(),
    output,
    userId,
    locale: 'en',
    names: () => undefined,
    saveFile: (name) => `/tmp/${name}`,
  });
  return shell.handle(line).then(() => printed);
}

describe('a NUL byte in the text', () => {
  it('typed in the console by someone outside finance: refused politely and audited, text cleaned', async () => {
    const d = new Dispatcher(testContext(db.pool), [ledger]);
    const printed = await consoleRun(d, 'U0NUL1', '/ledger balance 売掛金\0');
    expect(printed).toContain('only for members of the finance team');
    expect(printed).not.toContain('Something went wrong');
    expect(await auditRows('U0NUL1')).toEqual([
      {
        action: 'ledger',
        outcome: 'refused',
        detail: 'not in permissions.finance',
        args: { text: 'balance 売掛金' },
      },
    ]);
  });

  it('typed in the console by finance: answered and audited', async () => {
    const d = new Dispatcher(testContext(db.pool), [ledger]);
    const printed = await consoleRun(d, 'U0FIN1', '/ledger balance 売掛金\u0000 2024-03-31\u0007');
    expect(printed).toContain('Balance of 1130 Accounts receivable');
    const rows = (await auditRows('U0FIN1')).filter((r) => r.action === 'ledger.balance');
    expect(rows.at(-1)).toMatchObject({
      outcome: 'allowed',
      args: { account: '売掛金', date: '2024-03-31' },
    });
  });

  it('reaching the Dispatcher uncleaned: no answer is given without its audit row', async () => {
    const ctx = testContext(db.pool);
    const d = new Dispatcher(ctx, [ledger]);
    const out = await d.run({ command: '/ledger', text: 'balance 売掛金\0', userId: 'U0FIN1', locale: 'en' });
    expect(out.error).toBe('system');
    expect(out.reply.message.text).toMatch(/Something went wrong \([0-9a-f]{6}\)/);
  });
});

describe('when the Slack directory cannot answer', () => {
  it('refuses with the reason and audits the refusal (invalid_auth on usergroups.users.list)', async () => {
    slack.handle('usergroups.users.list', () => ({ ok: false, error: 'invalid_auth' }));
    const client = createSlackClient({ token: 'xoxb-test', apiUrl: slack.url });
    const ctx = testContext(db.pool, { directory: slackDirectory(client) });
    const d = new Dispatcher(ctx, [ledger, sales]);
    const out = await d.run({ command: '/ledger', text: 'balance 売掛金', userId: 'U0DIR1', locale: 'en' });
    expect(out.error).toBe('system');
    expect(out.reply.message.text).toContain('Could not check whether you may use `/ledger`');
    expect(out.reply.message.text).not.toContain('Balance');
    expect(await auditRows('U0DIR1')).toEqual([
      {
        action: 'ledger',
        outcome: 'refused',
        detail: 'permission check failed: invalid_auth',
        args: { text: 'balance 売掛金' },
      },
    ]);
    expect(slack.callsTo('usergroups.users.list').length).toBeGreaterThan(0);
  });
});

describe('every request to a finance-only command is audited', () => {
  it('a usage error, with the reason', async () => {
    // U0USE1 is in finance through the user group.
    const directory = staticDirectory({ S0FINANCE: ['U0USE1'] });
    const d = new Dispatcher(testContext(db.pool, { directory }), [ledger, sales]);
    await d.run({ command: '/ledger', text: 'balances 1130', userId: 'U0USE1', locale: 'en' });
    await d.run({ command: '/sales', text: 'month 2024-13', userId: 'U0USE1', locale: 'en' });
    await d.run({ command: '/ledger', text: 'help', userId: 'U0USE1', locale: 'en' });
    expect(await auditRows('U0USE1')).toEqual([
      {
        action: 'ledger',
        outcome: 'error',
        detail: 'ledger.usage.unknown_subcommand',
        args: { text: 'balances 1130' },
      },
      { action: 'sales', outcome: 'error', detail: 'sales.usage.bad_month', args: { text: 'month 2024-13' } },
      { action: 'ledger', outcome: 'allowed', detail: 'help', args: { text: 'help' } },
    ]);
  });

  it('a crash inside the command, with the code the person was shown', async () => {
    const d = new Dispatcher(testContext(db.pool), [secret]);
    const out = await d.run({ command: '/secret', text: 'crash', userId: 'U0FIN1', locale: 'en' });
    const code = /\(([0-9a-f]{6})\)/.exec(out.reply.message.text)?.[1];
    const rows = (await auditRows('U0FIN1')).filter((r) => r.action === 'secret');
    expect(rows).toEqual([
      { action: 'secret', outcome: 'error', detail: `internal ${code}`, args: { text: 'crash' } },
    ]);
  });

  it('an answer the command did not audit itself', async () => {
    const d = new Dispatcher(testContext(db.pool), [secret]);
    const out = await d.run({ command: '/secret', text: 'please', userId: 'U0FIN2', locale: 'en' });
    expect(out.reply.message.text).toBe('the secret');
    expect(await auditRows('U0FIN2')).toEqual([
      { action: 'secret', outcome: 'allowed', detail: null, args: { text: 'please' } },
    ]);
  });
});

describe('when the audit row cannot be written', () => {
  beforeEach(async () => {
    // A real failure of the real table: every insert into audit_log is refused for a while.
    await db.ownerPool.query(`
      CREATE OR REPLACE FUNCTION test_refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit_log is not taking rows'; END $$;
      CREATE TRIGGER test_refuse_audit BEFORE INSERT ON audit_log
        FOR EACH ROW EXECUTE FUNCTION test_refuse_audit();`);
    return async () => {
      await db.ownerPool.query(`DROP TRIGGER test_refuse_audit ON audit_log`);
    };
  });

  it.each([
    ['/ledger', 'balance 売掛金 2024-03-31', 'U0FIN1'],
    ['/ledger', 'trial 2024-03', 'U0FIN1'],
    ['/sales', 'month 2024-03', 'U0FIN1'],
    ['/ledger', 'balance 売掛金', 'U0BBB'],
    ['/ledger', 'bogus', 'U0FIN1'],
    ['/secret', 'please', 'U0FIN1'],
  ])('%s %s as %s: no answer, an internal error with a code', async (command, text, userId) => {
    const d = new Dispatcher(testContext(db.pool), [ledger, sales, secret]);
    const out = await d.run({ command, text, userId, locale: 'en' });
    expect(out.error).toBe('system');
    expect(out.reply.message.text).toMatch(/^Something went wrong \([0-9a-f]{6}\)/);
    expect(out.reply.model).toBeUndefined();
    expect(out.reply.files).toBeUndefined();
  });
});
