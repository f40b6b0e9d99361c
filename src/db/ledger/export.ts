// Reads the journal for an export in batches through a server-side cursor, so a 10-million-line
// ledger streams out in constant memory.
import type { Tx } from '../pool.ts';

export interface ExportLine {
  entryId: string;
  accountingDate: string;
  kind: string;
  reference: string | null;
  memo: string | null;
  reverses: string | null;
  account: string;
  debit: string;
  credit: string;
}

interface Row {
  entry_id: string;
  accounting_date: string;
  kind: string;
  reference: string | null;
  memo: string | null;
  reverses: string | null;
  account_code: string;
  debit: string;
  credit: string;
}

/** Calls `onBatch` with the lines of entries dated from..to (either open), in entry order. */
export async function readJournal(
  tx: Tx,
  range: { from?: string; to?: string },
  batchSize: number,
  onBatch: (lines: ExportLine[]) => Promise<void>,
): Promise<void> {
  await tx.query(
    `DECLARE toban_ledger_export NO SCROLL CURSOR FOR
     SELECT e.id AS entry_id, to_char(e.accounting_date, 'YYYY-MM-DD') AS accounting_date, e.kind, e.reference, e.memo,
            e.reverses, l.account_code, l.debit, l.credit
       FROM ledger.journal_entries e JOIN ledger.journal_lines l ON l.entry_id = e.id
      WHERE ($1::date IS NULL OR e.accounting_date >= $1::date) AND ($2::date IS NULL OR e.accounting_date <= $2::date)
      ORDER BY e.id, l.line_no`,
    [range.from ?? null, range.to ?? null],
  );
  for (;;) {
    const { rows } = await tx.query<Row>(
      `FETCH FORWARD ${Math.max(1, Math.floor(batchSize))} FROM toban_ledger_export`,
    );
    if (rows.length === 0) break;
    await onBatch(
      rows.map((r) => ({
        entryId: r.entry_id,
        accountingDate: r.accounting_date,
        kind: r.kind,
        reference: r.reference,
        memo: r.memo,
        reverses: r.reverses,
        account: r.account_code,
        debit: r.debit,
        credit: r.credit,
      })),
    );
  }
  await tx.query(`CLOSE toban_ledger_export`);
}

/** Every account's balance (debits − credits) at the end of `date`, from the rollups; zero ones left out. */
export async function balancesThrough(tx: Tx, date: string): Promise<{ code: string; balance: string }[]> {
  const { rows } = await tx.query<{ code: string; balance: string }>(
    `SELECT account_code AS code, sum(debit) - sum(credit) AS balance
       FROM (SELECT account_code, debit, credit FROM ledger.balance_monthly WHERE month < date_trunc('month', $1::date)
             UNION ALL
             SELECT account_code, debit, credit FROM ledger.balance_daily
              WHERE day >= date_trunc('month', $1::date) AND day <= $1::date) r
      GROUP BY account_code HAVING sum(debit) <> sum(credit) ORDER BY account_code`,
    [date],
  );
  return rows;
}
