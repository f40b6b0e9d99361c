// An investigation's ledger facts on the demo ledger: the same figures as /ledger entries, a thread
// reply at filing that shows no amount and names who may see them, "Show amounts" for finance only
// (audited either way), the modal refusing a reference the ledger does not know, a ledger that does
// not answer in time (the filing still goes through), and /ledger close's investigations check.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ledger } from '../../commands/ledger.ts';
import { investigationFile } from '../../handlers/investigation-file.ts';
import { investigationLedgerFacts } from '../../handlers/investigation-ledger-facts.ts';
import { Dispatcher } from '../../src/app/dispatch.ts';
import type { ViewSubmission } from '../../src/core/handlers.ts';
import type { FieldValues } from '../../src/core/modal.ts';
import type { Pool } from '../../src/db/pool.ts';
import { loadLedgerDemo } from '../../src/demo/ledger.ts';
import type { Locale } from '../../src/i18n/index.ts';
import { readLedgerFacts, type LedgerFactsModel } from '../../src/services/investigations/ledger-facts.ts';
import type { CloseModel, EntriesModel } from '../../src/services/ledger/models.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { testContext } from '../helpers/context.ts';

let db: TestDatabase;
/** An order delivered, captured and paid out to its seller. */
let paid: { id: string; amount: string; payout: string; charge: string };
/** Last month's order whose capture was posted ¥900 too high (the demo's planted flaw). */
let flawed: string;

beforeAll(async () => {
  db = await freshDatabase();
  // The test clock says 2024-04-10 10:00 JST.
  await loadLedgerDemo(db.ownerPool, { entries: 3000, seed: 3, today: '2024-04-10' });
  const { rows } = await db.ownerPool.query<{
    id: string;
    amount: string;
    payout_id: string;
    charge: string;
  }>(
    `SELECT o.id, o.amount::text, o.payout_id, g.id AS charge
       FROM ledger.orders o JOIN ledger.gateway_records g ON g.reference = o.id AND g.kind = 'charge'
      WHERE o.payout_id IS NOT NULL AND o.refunded_on IS NULL AND o.cancelled_on IS NULL AND o.amount >= 10000
      ORDER BY o.id LIMIT 1`,
  );
  paid = { id: rows[0]!.id, amount: rows[0]!.amount, payout: rows[0]!.payout_id, charge: rows[0]!.charge };
  const typo = await db.ownerPool.query<{ reference: string }>(
    `SELECT e.reference FROM ledger.journal_entries e JOIN ledger.journal_lines l ON l.entry_id = e.id
       JOIN ledger.gateway_records g ON g.reference = e.reference AND g.kind = 'charge'
      WHERE e.kind = 'capture' AND l.account_code = '1140' AND l.debit = g.amount + 900`,
  );
  flawed = typo.rows[0]!.reference;
});
afterAll(async () => db?.drop());
beforeEach(async () => {
  await db.ownerPool.query(
    'TRUNCATE investigations, investigation_events, outbox, slack_messages RESTART IDENTITY CASCADE',
  );
  await markAudit();
});

/** The audit log is append-only: a test reads the rows after its mark. */
let auditMark = '0';
async function markAudit(): Promise<void> {
  const { rows } = await db.pool.query(`SELECT coalesce(max(id), 0)::text AS id FROM audit_log`);
  auditMark = rows[0].id;
}

const FILER = 'U0CS1';

function submission(values: FieldValues, extra: Partial<ViewSubmission> = {}): ViewSubmission {
  return {
    callbackId: 'investigation.file',
    userId: FILER,
    locale: 'en',
    key: 'view:F1',
    values: {
      customer: 'cus_1',
      category: 'payment',
      question: '二重に引き落とされたとのことです',
      deadline_date: '2024-04-12',
      ...values,
    },
    ...extra,
  };
}

async function factsPost(): Promise<{ payload: Record<string, unknown>; idempotency_key: string }> {
  const { rows } = await db.pool.query(
    `SELECT payload, idempotency_key FROM outbox WHERE kind = 'slack.post' AND payload ? 'threadRef'`,
  );
  expect(rows).toHaveLength(1);
  return rows[0];
}

async function auditRows() {
  const { rows } = await db.pool.query<{
    actor: string;
    action: string;
    outcome: string;
    row_count: number | null;
    args: Record<string, unknown>;
    detail: string | null;
  }>(`SELECT actor, action, outcome, row_count, args, detail FROM audit_log WHERE id > $1 ORDER BY id`, [
    auditMark,
  ]);
  return rows;
}

/** "12,340" and "12340" of an amount in integer yen. */
const written = (amount: string) => [amount, BigInt(amount).toLocaleString('en-US')];

describe('the facts of a reference', () => {
  it('are what /ledger entries says of it, to the yen, with its payout and no difference', async () => {
    const ctx = testContext(db.pool);
    const dispatcher = new Dispatcher(ctx, { commands: [ledger] });
    const out = await dispatcher.run({
      command: '/ledger',
      text: `entries ${paid.id}`,
      userId: 'U0FIN1',
      locale: 'en',
    });
    const entries = out.reply.model as EntriesModel;
    expect(entries.entries.length).toBeGreaterThanOrEqual(3);

    const facts = await readLedgerFacts(ctx, 'U0FIN1', paid.id, { for: 'test' });
    expect(facts.entries).toEqual(entries.entries);
    expect(facts.gateway).toEqual(entries.gateway);
    expect(facts.gateway.find((g) => g.kind === 'charge')?.amount).toBe(paid.amount);
    expect(facts.payout).toMatchObject({ status: 'paid', id: paid.payout });
    expect(facts.differences).toEqual([]);
    // Audited like /ledger: who asked what, how many lines came back.
    const rows = await auditRows();
    expect(rows.at(-1)).toEqual({
      actor: 'U0FIN1',
      action: 'ledger.facts',
      outcome: 'allowed',
      row_count: entries.entries.reduce((s, e) => s + e.lines.length, 0),
      args: { reference: paid.id, for: 'test' },
      detail: null,
    });

    // A gateway transaction id stands for its order.
    const byCharge = await readLedgerFacts(ctx, 'U0FIN1', paid.charge, {});
    expect(byCharge.entries).toEqual(entries.entries);
  });

  it('list what does not reconcile with the gateway for that reference', async () => {
    const facts = await readLedgerFacts(testContext(db.pool), 'U0FIN1', flawed, {});
    expect(facts.differences).toEqual([
      expect.objectContaining({ kind: 'charge', reference: flawed, problem: 'amount', difference: '900' }),
    ]);
  });
});

describe('filing with a reference', () => {
  it('replies in the post’s thread with the facts but no amount, naming who may see them', async () => {
    const ctx = testContext(db.pool);
    expect(await investigationFile.validate(submission({ reference: paid.id }), ctx)).toBeUndefined();
    await investigationFile.submit(submission({ reference: paid.id }), ctx);

    const post = await factsPost();
    expect(post.idempotency_key).toBe('investigation:1:ledger-facts');
    expect(post.payload).toMatchObject({ channel: 'C0INVEST', threadRef: 'investigation:1' });
    const text = post.payload.text as string;
    const blocks = JSON.stringify(post.payload.blocks);
    // The channel's language (ja in the demo configuration).
    expect(text).toContain(`\`${paid.id}\` について台帳にあること`);
    expect(text).toMatch(/仕訳 \d+ 件、決済代行の記録 \d+ 件/);
    expect(text).toContain(`支払済み（${paid.payout}）`);
    expect(text).toContain('台帳と決済代行の記録は一致しています。');
    // Who may see the amounts: the finance members and user groups of permissions.finance, not mentioned.
    expect(text).toContain('経理チーム（permissions.finance）だけです: U0FIN1, S0FINANCE');
    expect(text).not.toMatch(/<@|<!subteam/);
    // No amount anywhere in what the channel sees.
    for (const s of [text, blocks]) {
      expect(s).not.toContain('¥');
      for (const a of written(paid.amount)) expect(s).not.toContain(a);
    }
    expect(post.payload.blocks).toContainEqual({
      type: 'actions',
      elements: [expect.objectContaining({ action_id: 'investigation.ledger_facts', value: '1' })],
    });
    // Read for the filer, audited as theirs.
    expect(await auditRows()).toEqual([
      expect.objectContaining({
        actor: FILER,
        action: 'ledger.facts',
        outcome: 'allowed',
        args: { reference: paid.id, for: 'filing' },
      }),
    ]);
  });

  it('counts the differences in the thread, and shows them to finance', async () => {
    const ctx = testContext(db.pool);
    await investigationFile.submit(submission({ reference: flawed }), ctx);
    expect((await factsPost()).payload.text).toContain('台帳と決済代行の記録に差異が 1 件あります');
    const shown = await investigationLedgerFacts.run(
      { actionId: 'investigation.ledger_facts', value: '1', userId: 'U0FIN1', locale: 'en' },
      ctx,
    );
    expect(shown?.reply?.message.text).toContain('1 differences between the ledger and the payment gateway');
    expect(shown?.reply?.message.text).toContain('amounts differ');
    expect(shown?.reply?.message.text).toContain('(difference ¥900)');
  });

  it('files anyway when the ledger does not answer in time, and the thread says how to read the facts', async () => {
    // A ledger whose connection never comes: the check and the read give up on their budgets.
    const never = new Promise<never>(() => {});
    const hanging = { connect: () => never, query: () => never } as unknown as Pool;
    const ctx = testContext(db.pool, { ledgerPool: hanging });
    const sub = submission({ reference: 'ORD-99999999' });
    expect(await investigationFile.validate(sub, ctx)).toBeUndefined();
    const out = await investigationFile.submit(sub, ctx);
    expect(out?.reply?.message.text).toContain('INV-1 filed');
    const { rows } = await db.pool.query(`SELECT reference FROM investigations`);
    expect(rows).toEqual([{ reference: 'ORD-99999999' }]);
    const text = (await factsPost()).payload.text as string;
    expect(text).toContain('台帳が時間内に応答しなかった');
    expect(text).toContain('`/ledger entries ORD-99999999`');
  }, 20_000);
});

describe('Show amounts', () => {
  async function filed(): Promise<Dispatcher> {
    const ctx = testContext(db.pool);
    await investigationFile.submit(submission({ reference: paid.id }), ctx);
    await markAudit();
    return new Dispatcher(ctx, { commands: [], actions: [investigationLedgerFacts] });
  }

  const press = (d: Dispatcher, userId: string, locale: Locale, key: string) =>
    d.press({ actionId: 'investigation.ledger_facts', value: '1', userId, locale, key });

  it('shows a finance member the facts with their amounts, audited as their own read', async () => {
    const d = await filed();
    // U0FIN2 is finance through the user group S0FINANCE.
    const out = await press(d, 'U0FIN2', 'en', 'sig:press1');
    const text = out!.reply!.message.text;
    expect(out!.reply!.visibility).toBe('ephemeral');
    expect(text).toContain(`Ledger facts of INV-1 (\`${paid.id}\`), shown only to you`);
    expect(text).toContain(`¥${BigInt(paid.amount).toLocaleString('en-US')}`);
    expect(text).toContain(`Payout: paid on`);
    const facts = out!.reply!.model as LedgerFactsModel;
    expect(facts.reference).toBe(paid.id);
    expect(await auditRows()).toEqual([
      {
        actor: 'U0FIN2',
        action: 'ledger.facts',
        outcome: 'allowed',
        row_count: facts.entries.reduce((s, e) => s + e.lines.length, 0),
        args: { reference: paid.id, for: 'show_amounts', investigation: '1' },
        detail: null,
      },
    ]);
    // The same press answered again (a retried request) writes no second row.
    await press(d, 'U0FIN2', 'en', 'sig:press1');
    expect(await auditRows()).toHaveLength(1);
  });

  it.each(['abc<!channel>', ' 1', '99999999999999999999'])(
    'does not echo a forged button value (%s) in its answer',
    async (value) => {
      const d = await filed();
      const out = await d.press({
        actionId: 'investigation.ledger_facts',
        value,
        userId: 'U0FIN2',
        locale: 'en',
      });
      expect(out?.error).toBe('user');
      expect(out!.reply!.message.text).toContain('INV-?');
      expect(out!.reply!.message.text).not.toContain(value.trim());
    },
  );

  it('refuses anyone else in their language, naming who may see them, and audits the refusal', async () => {
    const d = await filed();
    const out = await press(d, 'U0NOBODY', 'ja', 'sig:press2');
    const text = out!.reply!.message.text;
    expect(text).toContain(
      '経理チーム（permissions.finance）だけが見られます: <@U0FIN1>, <!subteam^S0FINANCE>',
    );
    expect(text).not.toContain('¥');
    for (const a of written(paid.amount)) expect(text).not.toContain(a);
    expect(await auditRows()).toEqual([
      {
        actor: 'U0NOBODY',
        action: 'ledger.facts',
        outcome: 'refused',
        row_count: null,
        args: { reference: paid.id, for: 'show_amounts', investigation: '1' },
        detail: 'not in permissions.finance',
      },
    ]);
    const en = await press(d, 'U0NOBODY', 'en', 'sig:press3');
    expect(en!.reply!.message.text).toContain('only for finance (permissions.finance): <@U0FIN1>');
  });
});

describe('the modal’s reference check', () => {
  it('refuses a reference the ledger does not know under its field, storing nothing', async () => {
    const ctx = testContext(db.pool);
    // An id the customer sees, which the ledger never holds.
    const errors = await investigationFile.validate(submission({ reference: 'CUST-20240410-77' }), ctx);
    expect(errors).toEqual({
      reference:
        'The ledger knows no order, transaction or payout "CUST-20240410-77". Give the order id (ORD-…), the gateway transaction id (ch_…, re_…) or the payout id (PO-…), not an id the customer sees.',
    });
    const { rows } = await db.pool.query(
      `SELECT (SELECT count(*) FROM investigations)::int AS i, (SELECT count(*) FROM outbox)::int AS o`,
    );
    expect(rows[0]).toEqual({ i: 0, o: 0 });
  });

  it('accepts an order, a gateway transaction and a payout id, in any width', async () => {
    const ctx = testContext(db.pool);
    for (const reference of [paid.id, paid.charge, paid.payout, paid.id.replace('-', '－')])
      expect(await investigationFile.validate(submission({ reference }), ctx), reference).toBeUndefined();
  });

  it('uses the indexes: one look-up reads a handful of rows, not the ledger', async () => {
    await db.ownerPool.query('ANALYZE ledger.journal_entries');
    const { rows } = await db.ownerPool.query<{ plan: string }>(
      `EXPLAIN (FORMAT TEXT) SELECT EXISTS (SELECT 1 FROM ledger.journal_entries WHERE reference = 'x')`,
    );
    expect(rows.map((r) => Object.values(r)[0]).join('\n')).toMatch(
      /Index Only Scan|Index Scan|Bitmap Index Scan/,
    );
  });
});

describe('/ledger close, the investigations check', () => {
  it('lists an open payment investigation of the month, and passes once it is resolved', async () => {
    const insert = (category: string, at: string, extra = '') =>
      db.pool.query(
        `INSERT INTO investigations (requester, customer, category, question, deadline, created_at, updated_at ${extra ? ', month_close' : ''})
         VALUES ('U0CS1', 'cus_1', $1, 'q', $2::timestamptz + interval '2 days', $2, $2 ${extra ? ', true' : ''})`,
        [category, at],
      );
    await insert('payment', '2023-11-15T03:00:00Z'); // INV-1: listed
    await insert('bug', '2023-11-16T03:00:00Z'); // INV-2: not about money
    await insert('refund', '2023-10-31T14:59:00Z'); // INV-3: 23:59 JST on 31 Oct, October's
    await insert('account', '2023-12-04T01:00:00Z', 'month_close'); // INV-4: filed during November's close
    const dispatcher = new Dispatcher(testContext(db.pool), { commands: [ledger] });
    const close = async () => {
      const out = await dispatcher.run({
        command: '/ledger',
        text: 'close 2023-11',
        userId: 'U0FIN1',
        locale: 'en',
      });
      return { model: out.reply.model as CloseModel, text: out.reply.message.text };
    };
    const before = await close();
    expect(before.model.checks.find((c) => c.id === 'investigations')).toEqual({
      id: 'investigations',
      status: 'fail',
      evidence: { open: 2, ids: 'INV-1, INV-4' },
    });
    expect(before.model.verdict).toBe('fail');
    expect(before.text).toContain('2 still open (INV-1, INV-4)');

    await db.pool.query(
      `UPDATE investigations SET status = 'resolved', resolved_at = now(), resolved_by = 'U0EEE', answer = 'done'
        WHERE id IN (1, 4)`,
    );
    const after = await close();
    expect(after.model.checks.find((c) => c.id === 'investigations')?.status).toBe('pass');
    expect(after.model.verdict).toBe('pass');
  });
});
