// /ledger on the demo ledger, through the Dispatcher as every transport runs it: figures checked
// against sums taken straight from the journal lines, permissions, audit, timeouts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledger } from '../../commands/ledger.ts';
import { Dispatcher } from '../../src/app/dispatch.ts';
import { UserError } from '../../src/core/errors.ts';
import { loadLedgerDemo } from '../../src/demo/ledger.ts';
import type { Locale } from '../../src/i18n/index.ts';
import type {
  BalanceModel,
  CloseModel,
  EntriesModel,
  AccountLedgerModel,
  ReconcileModel,
  TrialModel,
} from '../../src/services/ledger/models.ts';
import { monthTrialBalance } from '../../src/services/ledger/trial-balance.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { testContext } from '../helpers/context.ts';

let db: TestDatabase;
let dispatcher: Dispatcher;

beforeAll(async () => {
  db = await freshDatabase();
  // The test clock says 2024-04-10 10:00 JST.
  await loadLedgerDemo(db.ownerPool, { entries: 6000, seed: 3, today: '2024-04-10' });
  dispatcher = new Dispatcher(testContext(db.pool), { commands: [ledger] });
});
afterAll(async () => db?.drop());

function run(text: string, userId = 'U0FIN1', locale: Locale = 'ja') {
  return dispatcher.run({ command: '/ledger', text, userId, locale });
}

async function model<T>(text: string): Promise<T> {
  const out = await run(text);
  expect(out.error, out.reply.message.text).toBeUndefined();
  return out.reply.model as T;
}

/** Debits and credits of an account through a date, summed from the lines themselves. */
async function fromLines(code: string, where: string, params: unknown[]): Promise<{ d: string; c: string }> {
  const { rows } = await db.pool.query<{ d: string; c: string }>(
    `SELECT coalesce(sum(debit), 0) AS d, coalesce(sum(credit), 0) AS c FROM ledger.journal_lines WHERE account_code = $1 AND ${where}`,
    [code, ...params],
  );
  return rows[0]!;
}

async function auditRows(actor: string) {
  const { rows } = await db.pool.query<{
    action: string;
    outcome: string;
    row_count: number | null;
    args: Record<string, unknown>;
    detail: string | null;
  }>(`SELECT action, outcome, row_count, args, detail FROM audit_log WHERE actor = $1 ORDER BY id`, [actor]);
  return rows;
}

describe('/ledger balance', () => {
  it('equals the sum of the lines through the date, for an account by code, name or full-width code', async () => {
    const lines = await fromLines('1130', `accounting_date <= $2`, ['2024-03-15']);
    for (const text of [
      'balance 1130 2024-03-15',
      'balance 売掛金 2024/3/15',
      'balance １１３０ ２０２４－０３－１５',
      'balance Accounts receivable 2024-03-15',
    ]) {
      const m = await model<BalanceModel>(text);
      expect(m.account.code).toBe('1130');
      expect({ d: m.debit, c: m.credit }).toEqual(lines);
      expect(BigInt(m.balance)).toBe(BigInt(m.debit) - BigInt(m.credit));
    }
  });

  it('answers for today when no date is given', async () => {
    const m = await model<BalanceModel>('balance 前受金');
    expect(m.date).toBe('2024-04-10');
  });

  it('names the accounts when the account is unknown or ambiguous', async () => {
    const unknown = await run('balance 買掛金');
    expect(unknown.error).toBe('user');
    expect(unknown.reply.message.text).toContain('勘定科目 `買掛金` が見つかりません');
    expect(unknown.reply.message.text).toContain('`1130 売掛金`');
    const ambiguous = await run('balance receivable', 'U0FIN1', 'en');
    expect(ambiguous.reply.message.text).toContain('`1130 売掛金`, `1140 未収入金`');
  });

  it('answers a usage error with the help', async () => {
    const out = await run('balance 1130 2024-02-30');
    expect(out.error).toBe('user');
    expect(out.reply.message.text).toContain('/ledger trial <YYYY-MM>');
  });
});

describe('/ledger trial', () => {
  it('equals the lines for a whole month and for a month up to a mid-month date, debits equal to credits', async () => {
    for (const [text, first, through] of [
      ['trial 2024-02', '2024-02-01', '2024-02-29'],
      ['trial 2024-03-15', '2024-03-01', '2024-03-15'],
    ] as const) {
      const m = await model<TrialModel>(text);
      expect(m.totals.debit).toBe(m.totals.credit);
      expect(m.totals.opening).toBe('0');
      expect(m.totals.closing).toBe('0');
      for (const r of m.rows) {
        const before = await fromLines(r.code, `accounting_date < $2`, [first]);
        const during = await fromLines(r.code, `accounting_date >= $2 AND accounting_date <= $3`, [
          first,
          through,
        ]);
        expect(r.opening, r.code).toBe((BigInt(before.d) - BigInt(before.c)).toString());
        expect([r.debit, r.credit], r.code).toEqual([during.d, during.c]);
        expect(BigInt(r.closing)).toBe(BigInt(r.opening) + BigInt(r.debit) - BigInt(r.credit));
      }
    }
  });

  it('attaches the trial balance as a CSV file', async () => {
    const out = await run('trial last-month');
    expect(out.reply.files?.[0]?.filename).toBe('trial-2024-03.csv');
  });
});

describe('/ledger entries', () => {
  it('lists the entries of an order with the reversal links, and finds them by the gateway transaction id too', async () => {
    const { rows } = await db.pool.query<{ reference: string }>(
      `SELECT e.reference FROM ledger.journal_entries e JOIN ledger.orders o ON o.id = e.reference
        WHERE e.kind = 'cancellation' AND o.captured_on IS NOT NULL LIMIT 1`,
    );
    const ref = rows[0]!.reference;
    const m = await model<EntriesModel>(`entries ${ref}`);
    expect(m.entries.map((e) => e.kind)).toEqual(['purchase', 'capture', 'cancellation', 'refund']);
    const [purchase, capture, cancel, refund] = m.entries;
    expect(cancel!.reverses).toBe(purchase!.id);
    expect(refund!.reverses).toBe(capture!.id);
    expect(m.gateway.map((g) => g.kind)).toEqual(['charge', 'refund']);
    const byTxn = await model<EntriesModel>(`entries ${m.gateway[0]!.id}`);
    expect(byTxn.entries.map((e) => e.id)).toEqual(m.entries.map((e) => e.id));
  });

  it('says so when a reference has no entries', async () => {
    const out = await run('entries ORD-99999999');
    expect(out.reply.message.text).toBe('`ORD-99999999` の仕訳はありません。');
  });
});

describe('/ledger account (the account ledger, 元帳)', () => {
  it('runs the balance from the opening to the closing, which equals the balance at the end date', async () => {
    const m = await model<AccountLedgerModel>('account 前受金 2024-03-01 2024-03-31');
    const closing = await model<BalanceModel>('balance 前受金 2024-03-31');
    expect(m.closing).toBe(closing.balance);
    expect(m.lines!.length).toBe(m.lineCount);
    expect(m.lines!.at(-1)!.balance).toBe(m.closing);
    const out = await run('account 前受金 2024-03-01 2024-03-31');
    expect(out.reply.files?.[0]?.filename).toBe('account-ledger-2120-2024-03-01-2024-03-31.csv');
  });

  it('answers `journal`, its old name, the same, and audits both as ledger.account', async () => {
    const account = await run('account 前受金 2024-03-01 2024-03-31');
    const journal = await run('journal 前受金 2024-03-01 2024-03-31');
    expect(journal.error).toBeUndefined();
    expect(journal.reply).toEqual(account.reply);
    const rows = (await auditRows('U0FIN1')).slice(-2);
    expect(rows.map((r) => [r.action, r.outcome, r.args])).toEqual(
      Array(2).fill([
        'ledger.account',
        'allowed',
        { account: '前受金', from: '2024-03-01', to: '2024-03-31' },
      ]),
    );
  });

  it('is what the help and the usage error name: `account`, with `journal` as an alias', async () => {
    for (const locale of ['ja', 'en'] as const) {
      const help = (await run('help', 'U0FIN1', locale)).reply.message.text;
      expect(help).toContain('`/ledger account <');
      expect(help).not.toContain('`/ledger journal <');
      expect(help).toContain('`journal`');
      const usage = await run('journal 前受金 2024-03-01', 'U0FIN1', locale);
      expect(usage.error).toBe('user');
      expect(usage.reply.message.text).toContain('`/ledger account 前受金 2024-03-01 2024-03-31`');
    }
  });
});

describe('/ledger reconcile', () => {
  it("finds last month's planted differences: a capture never posted, one posted ¥900 high, a deposit fee ¥7 off", async () => {
    const m = await model<ReconcileModel>('reconcile last-month');
    expect(m.differences.map((d) => [d.kind, d.problem, d.difference])).toEqual(
      expect.arrayContaining([
        ['charge', 'missing_in_ledger', expect.stringMatching(/^-\d+$/)],
        ['charge', 'amount', '900'],
        ['deposit', 'amount', '7'],
      ]),
    );
    expect(m.differences).toHaveLength(3);
    expect(m.matched).toBeGreaterThan(100);
  });

  it('finds nothing in a clean month', async () => {
    const m = await model<ReconcileModel>('reconcile 2023-11');
    expect(m.differences).toEqual([]);
  });
});

describe('/ledger close', () => {
  it('passes a clean month and fails last month on exactly the planted problems, with evidence', async () => {
    const clean = await model<CloseModel>('close 2023-11');
    // No investigation is open (test/db/investigation-ledger-facts.test.ts files some).
    expect(clean.checks.find((c) => c.id === 'investigations')?.status).toBe('pass');
    expect(clean.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(clean.verdict).toBe('pass');

    const m = await model<CloseModel>('close last-month');
    const status = Object.fromEntries(m.checks.map((c) => [c.id, c.status]));
    expect(status).toMatchObject({
      balanced: 'pass',
      receivable: 'fail',
      advance: 'pass',
      gateway: 'fail',
      suspense: 'fail',
      drift: 'pass',
    });
    const missing = m.differences.find((d) => d.problem === 'missing_in_ledger')!;
    // 売掛金 is off by the capture never posted less the ¥900 posted too much.
    expect(m.checks.find((c) => c.id === 'receivable')!.evidence.difference).toBe(
      (BigInt(missing.gatewayAmount!) - 900n).toString(),
    );
    expect(m.checks.find((c) => c.id === 'suspense')!.evidence).toEqual({ accounts: '2190', total: '12345' });
    expect(m.verdict).toBe('fail');
  });
});

describe('who may ask', () => {
  it('refuses someone outside permissions.finance, politely, and audits the refusal', async () => {
    const out = await run('balance 1130', 'U0NOBODY');
    expect(out.error).toBe('user');
    expect(out.reply.message.text).toContain('経理チーム（permissions.finance）のメンバーだけ');
    expect(await auditRows('U0NOBODY')).toEqual([
      {
        action: 'ledger',
        outcome: 'refused',
        row_count: null,
        args: { text: 'balance 1130' },
        detail: 'not in permissions.finance',
      },
    ]);
  });

  it('answers a member of the finance user group and audits who asked what and how many rows came back', async () => {
    const out = await run('trial 2024-03', 'U0FIN2');
    expect(out.error).toBeUndefined();
    const rows = (out.reply.model as TrialModel).rows.length;
    expect(await auditRows('U0FIN2')).toEqual([
      {
        action: 'ledger.trial',
        outcome: 'allowed',
        row_count: rows,
        args: { month: '2024-03', through: '2024-03-31' },
        detail: null,
      },
    ]);
  });

  it('audits a query that failed, with the reason', async () => {
    await run('balance 買掛金', 'U0FIN2');
    expect((await auditRows('U0FIN2')).at(-1)).toMatchObject({
      action: 'ledger.balance',
      outcome: 'error',
      detail: 'ledger.unknown_account',
    });
  });
});

describe('a slow ledger', () => {
  it('gives up at the statement timeout with a clear message, and audits it', async () => {
    const blocker = await db.ownerPool.connect(); // LOCK TABLE … ACCESS EXCLUSIVE is the owner's
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE ledger.balance_daily IN ACCESS EXCLUSIVE MODE');
      const ctx = testContext(db.pool);
      const trial = { kind: 'trial', month: '2024-03', through: '2024-03-31' } as const;
      const err = await monthTrialBalance(ctx, 'U0FIN1', trial, { timeoutMs: 300 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UserError);
      expect(err).toMatchObject({ key: 'error.timeout', params: { seconds: 0.3 } });
    } finally {
      await blocker.query('ROLLBACK');
      blocker.release();
    }
    expect((await auditRows('U0FIN1')).at(-1)).toMatchObject({
      action: 'ledger.trial',
      outcome: 'error',
      detail: 'error.timeout',
    });
  });
});
