// The ledger schema holds its own rules: balanced entries, one-sided non-negative lines, lines dated
// as their entry, append-only history, and rollups that always equal the lines.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.ts';
import { withTransaction } from '../../src/db/pool.ts';
import { rollupDrift, totalsThrough } from '../../src/db/ledger/queries.ts';
import { withReadOnly } from '../../src/db/ledger/readonly.ts';
import {
  cancellation,
  capture,
  completion,
  payout,
  purchase,
  refundAfterCompletion,
} from '../../src/domain/ledger/postings.ts';
import { postEntries } from '../../src/services/ledger/post.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => db?.drop());

const tz = 'Asia/Tokyo';

async function entryWith(lines: [string, number, number][], date = '2024-03-01'): Promise<void> {
  await withTransaction(db.ownerPool, async (tx) => {
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO ledger.journal_entries (accounting_date, kind, reference) VALUES ($1, 'adjustment', 'T') RETURNING id`,
      [date],
    );
    let n = 1;
    for (const [account, debit, credit] of lines)
      await tx.query(
        `INSERT INTO ledger.journal_lines (entry_id, accounting_date, line_no, account_code, debit, credit) VALUES ($1, $2, $3, $4, $5, $6)`,
        [rows[0]!.id, date, n++, account, debit, credit],
      );
  });
}

async function count(table: string): Promise<number> {
  const { rows } = await db.ownerPool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
  return Number(rows[0]!.n);
}

describe('journal entries', () => {
  it('refuses an unbalanced entry at COMMIT and stores nothing of it', async () => {
    const before = await count('ledger.journal_lines');
    await expect(
      entryWith([
        ['1130', 1000, 0],
        ['2120', 0, 999],
      ]),
    ).rejects.toThrow(/unbalanced/);
    await expect(entryWith([])).rejects.toThrow(/unbalanced/);
    await expect(entryWith([['1130', 1000, 0]])).rejects.toThrow(/unbalanced/);
    expect(await count('ledger.journal_lines')).toBe(before);
  });

  it('accepts the lines of an entry in separate statements, checking only at COMMIT', async () => {
    await expect(
      entryWith([
        ['1130', 1000, 0],
        ['2120', 0, 600],
        ['2120', 0, 400],
      ]),
    ).resolves.toBeUndefined();
  });

  it('refuses negative amounts, lines on both sides and empty lines', async () => {
    await expect(
      entryWith([
        ['1130', -5, 0],
        ['2120', 0, -5],
      ]),
    ).rejects.toThrow(/check constraint/);
    await expect(
      entryWith([
        ['1130', 5, 5],
        ['2120', 5, 5],
      ]),
    ).rejects.toThrow(/journal_lines_one_side/);
    await expect(
      entryWith([
        ['1130', 0, 0],
        ['2120', 0, 0],
      ]),
    ).rejects.toThrow(/journal_lines_one_side/);
  });

  it('refuses a line dated differently from its entry', async () => {
    await expect(
      withTransaction(db.ownerPool, async (tx) => {
        const { rows } = await tx.query<{ id: string }>(
          `INSERT INTO ledger.journal_entries (accounting_date, kind) VALUES ('2024-03-31', 'adjustment') RETURNING id`,
        );
        await tx.query(
          `INSERT INTO ledger.journal_lines (entry_id, accounting_date, line_no, account_code, debit, credit)
           VALUES ($1, '2024-04-01', 1, '1130', 1, 0), ($1, '2024-04-01', 2, '2120', 0, 1)`,
          [rows[0]!.id],
        );
      }),
    ).rejects.toThrow(/foreign key/);
  });

  it('never changes or deletes a posted entry: corrections are reversals', async () => {
    await expect(db.ownerPool.query(`UPDATE ledger.journal_lines SET debit = debit + 1`)).rejects.toThrow(
      /append-only/,
    );
    await expect(db.ownerPool.query(`DELETE FROM ledger.journal_entries`)).rejects.toThrow(/append-only/);
  });
});

describe('rollups', () => {
  it('stay equal to the lines with 8 concurrent posters across accounts and month ends, without deadlock', async () => {
    const order = (i: number) => ({
      id: `C-${i}`,
      amount: BigInt(1000 + i),
      platformFee: BigInt(100 + (i % 7)),
    });
    const instants = [
      '2024-01-31T14:59:00Z',
      '2024-01-31T15:00:00Z',
      '2024-02-29T14:00:00Z',
      '2024-02-29T16:00:00Z',
    ];
    await Promise.all(
      Array.from({ length: 8 }, async (_, w) => {
        for (let k = 0; k < 12; k++) {
          const o = order(w * 100 + k);
          const at = new Date(instants[(w + k) % instants.length]!);
          await postEntries(db.ownerPool, [
            { entry: purchase(o, at, tz) },
            { entry: capture(o, at, tz) },
            { entry: completion(o, at, tz) },
          ]);
        }
      }),
    );
    const { rows } = await db.ownerPool.query(
      `SELECT account_code, sum(debit) AS d, sum(credit) AS c, count(*) AS n FROM ledger.journal_lines GROUP BY 1
       EXCEPT
       SELECT account_code, sum(debit), sum(credit), sum(line_count) FROM ledger.balance_monthly GROUP BY 1`,
    );
    expect(rows).toEqual([]);
    for (const [first, next] of [
      ['2024-01-01', '2024-02-01'],
      ['2024-02-01', '2024-03-01'],
      ['2024-03-01', '2024-04-01'],
    ])
      expect((await rollupDrift(db.ownerPool, first!, next!)).mismatches).toBe(0);
  });

  it('put a posting at 23:59 JST on the last day in that month and one at 00:00 JST in the next', async () => {
    const o = { id: 'JST-1', amount: 5000n, platformFee: 500n };
    await postEntries(db.ownerPool, [{ entry: purchase(o, new Date('2024-05-31T14:59:59Z'), tz) }]);
    const [cancel] = cancellation(o, false, new Date('2024-05-31T15:00:00Z'), tz);
    await postEntries(db.ownerPool, [{ entry: cancel! }]);
    const may = await db.ownerPool.query(
      `SELECT debit, credit FROM ledger.balance_monthly WHERE account_code = '1130' AND month = '2024-05-01'`,
    );
    const june = await db.ownerPool.query(
      `SELECT debit, credit FROM ledger.balance_monthly WHERE account_code = '1130' AND month = '2024-06-01'`,
    );
    expect(may.rows).toEqual([{ debit: '5000', credit: '0' }]);
    expect(june.rows).toEqual([{ debit: '0', credit: '5000' }]);
  });

  it('are found out by the drift check when someone changes them behind the trigger', async () => {
    const before = await rollupDrift(db.ownerPool, '2024-02-01', '2024-03-01');
    expect(before.mismatches).toBe(0);
    await db.ownerPool.query(
      `UPDATE ledger.balance_daily SET debit = debit + 1 WHERE account_code = '1130' AND day = (SELECT min(day) FROM ledger.balance_daily WHERE account_code = '1130' AND day >= '2024-02-01')`,
    );
    const after = await rollupDrift(db.ownerPool, '2024-02-01', '2024-03-01');
    // The day differs from its lines, and the month differs from the sum of its days.
    expect(after.mismatches).toBe(2);
    await db.ownerPool.query(
      `UPDATE ledger.balance_daily SET debit = debit - 1 WHERE account_code = '1130' AND day = (SELECT min(day) FROM ledger.balance_daily WHERE account_code = '1130' AND day >= '2024-02-01')`,
    );
  });
});

describe('a refund after the payout', () => {
  it('leaves the seller share on 立替金 while 未払金 is settled', async () => {
    const o = { id: 'RF-1', amount: 20_000n, platformFee: 2_000n };
    const at = (s: string) => new Date(s);
    const before1150 = await totalsThrough(db.ownerPool, '1150', '2024-09-30');
    const before2110 = await totalsThrough(db.ownerPool, '2110', '2024-09-30');
    await postEntries(db.ownerPool, [
      { entry: purchase(o, at('2024-09-01T01:00:00Z'), tz) },
      { entry: capture(o, at('2024-09-01T01:00:00Z'), tz) },
      { entry: completion(o, at('2024-09-03T01:00:00Z'), tz) },
      { entry: payout('PO-RF-1', 18_000n, at('2024-09-20T06:00:00Z'), tz) },
      { entry: refundAfterCompletion(o, true, at('2024-09-25T01:00:00Z'), tz) },
    ]);
    const t1150 = await totalsThrough(db.ownerPool, '1150', '2024-09-30');
    const t2110 = await totalsThrough(db.ownerPool, '2110', '2024-09-30');
    expect(t1150.debit - t1150.credit - (before1150.debit - before1150.credit)).toBe(18_000n);
    expect(t2110.debit - t2110.credit - (before2110.debit - before2110.credit)).toBe(0n);
  });
});

describe('TRUNCATE', () => {
  it('empties the rollups with the lines', async () => {
    await db.ownerPool.query(`TRUNCATE ledger.journal_lines, ledger.journal_entries`);
    expect(await count('ledger.balance_daily')).toBe(0);
    expect(await count('ledger.balance_monthly')).toBe(0);
  });
});

describe('withReadOnly', () => {
  it('refuses to write', async () => {
    await expect(
      withReadOnly(db.ownerPool, 1000, (tx) =>
        tx.query(`INSERT INTO ledger.payouts VALUES ('x', 'S', '2024-01-01', 1)`),
      ),
    ).rejects.toThrow(/read-only/);
  });

  it('turns a statement timeout into a clear user error instead of waiting', async () => {
    const err = await withReadOnly(db.ownerPool, 150, (tx) => tx.query(`SELECT pg_sleep(5)`)).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UserError);
    expect(err).toMatchObject({ key: 'error.timeout', params: { seconds: 0.2 } });
  });
});
