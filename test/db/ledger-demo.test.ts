// The demo ledger: deterministic by seed, idempotent, never replacing real data, and following the
// same posting rules as src/domain/ledger/postings.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNBALANCED_ENTRIES } from '../../src/db/demo/ledger.ts';
import { DemoRefusedError, loadLedgerDemo } from '../../src/demo/ledger.ts';
import { startOfBusinessDate } from '../../src/domain/dates.ts';
import {
  cancellation,
  capture,
  completion,
  isAfterPayout,
  purchase,
  refundAfterCompletion,
  type EntryDraft,
} from '../../src/domain/ledger/postings.ts';
import { freshDatabase, type TestDatabase } from '../helpers/db.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => db?.drop());

const today = '2024-04-10';

async function fingerprint(): Promise<string> {
  const { rows } = await db.ownerPool.query<{ h: string }>(
    `SELECT md5(string_agg(concat_ws('|', e.id, e.accounting_date, e.kind, e.reference, e.reverses, l.line_no, l.account_code, l.debit, l.credit), ',' ORDER BY e.id, l.line_no)) AS h
       FROM ledger.journal_entries e JOIN ledger.journal_lines l ON l.entry_id = e.id`,
  );
  return rows[0]!.h;
}

describe('loadLedgerDemo', () => {
  it('is deterministic by seed, skips a reload of the same data set and replaces another', async () => {
    const first = await loadLedgerDemo(db.ownerPool, { entries: 3000, seed: 11, today });
    expect(first.action).toBe('loaded');
    expect(first.entries).toBeGreaterThan(2500);
    expect(first.lines).toBeGreaterThan(first.entries * 2);
    const a = await fingerprint();
    expect(await loadLedgerDemo(db.ownerPool, { entries: 3000, seed: 11, today })).toEqual({
      ...first,
      action: 'skipped',
    });
    const other = await loadLedgerDemo(db.ownerPool, { entries: 3000, seed: 12, today });
    expect(other.action).toBe('reloaded');
    expect(await fingerprint()).not.toBe(a);
    await loadLedgerDemo(db.ownerPool, { entries: 3000, seed: 11, today });
    expect(await fingerprint()).toBe(a);
  });

  it('balances every entry and leaves the balance triggers switched on', async () => {
    expect((await db.ownerPool.query(UNBALANCED_ENTRIES)).rows[0].n).toBe('0');
    const { rows } = await db.ownerPool.query(
      `SELECT tgname, tgenabled FROM pg_trigger WHERE tgname IN ('journal_lines_balanced', 'journal_entries_balanced') ORDER BY 1`,
    );
    expect(rows).toEqual([
      { tgname: 'journal_entries_balanced', tgenabled: 'O' },
      { tgname: 'journal_lines_balanced', tgenabled: 'O' },
    ]);
  });

  it('holds cancellations across month ends, refunds after payouts, payouts and deposits', async () => {
    const { rows } = await db.ownerPool.query(
      `SELECT
         (SELECT count(*) FROM ledger.journal_entries c JOIN ledger.journal_entries p ON p.id = c.reverses
           WHERE c.kind = 'cancellation' AND date_trunc('month', c.accounting_date) > date_trunc('month', p.accounting_date)) > 0 AS cross_month,
         (SELECT count(*) FROM ledger.journal_lines WHERE account_code = '1150') > 0 AS after_payout,
         (SELECT count(*) FROM ledger.journal_entries WHERE kind = 'payout') > 0 AS payouts,
         (SELECT count(*) FROM ledger.journal_entries WHERE kind = 'deposit') > 0 AS deposits,
         (SELECT max(accounting_date) FROM ledger.journal_entries) <= $1::date AS nothing_after_today`,
      [today],
    );
    expect(rows[0]).toEqual({
      cross_month: true,
      after_payout: true,
      payouts: true,
      deposits: true,
      nothing_after_today: true,
    });
  });

  it('posts each order exactly as the domain posting rules do', async () => {
    const { rows: orders } = await db.ownerPool.query<{
      id: string;
      amount: string;
      platform_fee: string;
      captured_on: string | null;
      completed_on: string | null;
      cancelled_on: string | null;
      refunded_on: string | null;
      paid_on: string | null;
    }>(
      `SELECT DISTINCT ON (path) o.id, o.amount, o.platform_fee, o.captured_on::text, o.completed_on::text, o.cancelled_on::text,
              o.refunded_on::text, (SELECT paid_on::text FROM ledger.payouts p WHERE p.id = o.payout_id) AS paid_on
         FROM ledger.orders o,
              LATERAL (SELECT concat_ws('-', o.captured_on IS NOT NULL, o.completed_on IS NOT NULL, o.cancelled_on IS NOT NULL, o.refunded_on IS NOT NULL,
                                         o.payout_id IS NOT NULL) AS path) x
        WHERE o.ordered_on < '2024-02-01'
        ORDER BY path, o.id`,
    );
    expect(orders.length).toBeGreaterThanOrEqual(5);
    // Among the paths: cancelled after capture, and refunded after the seller was paid out.
    expect(orders.some((o) => o.cancelled_on && o.captured_on)).toBe(true);
    expect(orders.some((o) => o.refunded_on && o.paid_on && o.refunded_on >= o.paid_on)).toBe(true);
    const tz = 'Asia/Tokyo';
    const noon = (d: string) => new Date(startOfBusinessDate(d, tz).getTime() + 12 * 3600_000);
    for (const o of orders) {
      const order = { id: o.id, amount: BigInt(o.amount), platformFee: BigInt(o.platform_fee) };
      const { rows: ordered } = await db.ownerPool.query<{ ordered_on: string }>(
        `SELECT ordered_on::text FROM ledger.orders WHERE id = $1`,
        [o.id],
      );
      const expected: EntryDraft[] = [purchase(order, noon(ordered[0]!.ordered_on), tz)];
      if (o.captured_on) expected.push(capture(order, noon(o.captured_on), tz));
      if (o.completed_on) expected.push(completion(order, noon(o.completed_on), tz));
      if (o.cancelled_on)
        expected.push(...cancellation(order, o.captured_on !== null, noon(o.cancelled_on), tz));
      if (o.refunded_on)
        expected.push(
          refundAfterCompletion(order, isAfterPayout(o.refunded_on, o.paid_on), noon(o.refunded_on), tz),
        );
      const { rows: actual } = await db.ownerPool.query<{
        kind: string;
        date: string;
        lines: [string, string, string][];
      }>(
        `SELECT e.kind, e.accounting_date::text AS date,
                json_agg(json_build_array(l.account_code, l.debit::text, l.credit::text) ORDER BY l.line_no) AS lines
           FROM ledger.journal_entries e JOIN ledger.journal_lines l ON l.entry_id = e.id
          WHERE e.reference = $1 GROUP BY e.id ORDER BY e.id`,
        [o.id],
      );
      const norm = (e: EntryDraft) => ({
        kind: e.kind,
        date: e.accountingDate,
        lines: e.lines.map((l) => [l.account, l.debit.toString(), l.credit.toString()]).sort(),
      });
      expect(
        actual.map((a) => ({ ...a, lines: [...a.lines].sort() })),
        o.id,
      ).toEqual(expected.map(norm).sort((x, y) => x.date.localeCompare(y.date)));
    }
  });

  it('refuses to replace a ledger that holds anything but demo data', async () => {
    await db.ownerPool.query(`TRUNCATE ledger.demo_load`);
    await expect(loadLedgerDemo(db.ownerPool, { entries: 3000, seed: 1, today })).rejects.toBeInstanceOf(
      DemoRefusedError,
    );
  });
});
