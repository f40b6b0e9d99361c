// Every question /ledger asks the ledger schema. Balances come from the daily and monthly rollups
// (the months before a date plus the days of its month), never from a scan of all lines.
// Money comes back as decimal strings of integer yen and is turned into bigint here.
import type { Account, AccountRole, AccountType } from '../../domain/ledger/accounts.ts';
import type { GatewayKind, ReconItem } from '../../domain/ledger/reconcile.ts';
import type { Queryable } from '../pool.ts';

export interface Totals {
  debit: bigint;
  credit: bigint;
  lines: number;
}

export async function listAccounts(db: Queryable): Promise<Account[]> {
  const { rows } = await db.query<{
    code: string;
    name_ja: string;
    name_en: string;
    type: AccountType;
    role: AccountRole | null;
  }>(`SELECT code, name_ja, name_en, type, role FROM ledger.accounts ORDER BY code`);
  return rows.map((r) => ({
    code: r.code,
    nameJa: r.name_ja,
    nameEn: r.name_en,
    type: r.type,
    role: r.role,
  }));
}

/** Debits, credits and line count of an account from the beginning through `date`. */
export async function totalsThrough(db: Queryable, code: string, date: string): Promise<Totals> {
  const { rows } = await db.query<{ debit: string; credit: string; lines: string }>(
    `SELECT coalesce(sum(debit), 0) AS debit, coalesce(sum(credit), 0) AS credit, coalesce(sum(line_count), 0) AS lines
       FROM (SELECT debit, credit, line_count FROM ledger.balance_monthly
              WHERE account_code = $1 AND month < date_trunc('month', $2::date)
             UNION ALL
             SELECT debit, credit, line_count FROM ledger.balance_daily
              WHERE account_code = $1 AND day >= date_trunc('month', $2::date) AND day <= $2::date) r`,
    [code, date],
  );
  const r = rows[0]!;
  return { debit: BigInt(r.debit), credit: BigInt(r.credit), lines: Number(r.lines) };
}

/** Debits, credits and line count of an account for the days from..to (both included). */
export async function totalsBetween(db: Queryable, code: string, from: string, to: string): Promise<Totals> {
  const { rows } = await db.query<{ debit: string; credit: string; lines: string }>(
    `SELECT coalesce(sum(debit), 0) AS debit, coalesce(sum(credit), 0) AS credit, coalesce(sum(line_count), 0) AS lines
       FROM ledger.balance_daily WHERE account_code = $1 AND day >= $2::date AND day <= $3::date`,
    [code, from, to],
  );
  const r = rows[0]!;
  return { debit: BigInt(r.debit), credit: BigInt(r.credit), lines: Number(r.lines) };
}

export interface TrialRow {
  code: string;
  /** Debits − credits before the first day of the month. */
  opening: bigint;
  debit: bigint;
  credit: bigint;
  lines: number;
}

/** Opening balance and movements of every account with either, for the month through `through`. */
export async function trialBalance(db: Queryable, monthFirst: string, through: string): Promise<TrialRow[]> {
  const { rows } = await db.query<{
    code: string;
    opening: string;
    debit: string;
    credit: string;
    lines: string;
  }>(
    `SELECT a.code, coalesce(o.net, 0) AS opening, coalesce(p.debit, 0) AS debit, coalesce(p.credit, 0) AS credit,
            coalesce(p.lines, 0) AS lines
       FROM ledger.accounts a
       LEFT JOIN (SELECT account_code, sum(debit) - sum(credit) AS net FROM ledger.balance_monthly
                   WHERE month < $1::date GROUP BY account_code) o ON o.account_code = a.code
       LEFT JOIN (SELECT account_code, sum(debit) AS debit, sum(credit) AS credit, sum(line_count) AS lines
                    FROM ledger.balance_daily WHERE day >= $1::date AND day <= $2::date GROUP BY account_code) p
              ON p.account_code = a.code
      WHERE o.net <> 0 OR p.account_code IS NOT NULL
      ORDER BY a.code`,
    [monthFirst, through],
  );
  return rows.map((r) => ({
    code: r.code,
    opening: BigInt(r.opening),
    debit: BigInt(r.debit),
    credit: BigInt(r.credit),
    lines: Number(r.lines),
  }));
}

export interface EntryLine {
  entryId: string;
  accountingDate: string;
  postedAt: string;
  kind: string;
  reference: string | null;
  memo: string | null;
  reverses: string | null;
  lineNo: number;
  account: string;
  debit: bigint;
  credit: bigint;
}

/**
 * The lines of every entry of a reference: an order, payout or deposit id, or a gateway
 * transaction id (ch_..., re_...), which stands for the order it belongs to.
 */
export async function entriesOf(db: Queryable, reference: string, limit: number): Promise<EntryLine[]> {
  const { rows } = await db.query<{
    entry_id: string;
    accounting_date: string;
    posted_at: string;
    kind: string;
    reference: string | null;
    memo: string | null;
    reverses: string | null;
    line_no: number;
    account_code: string;
    debit: string;
    credit: string;
  }>(
    `WITH refs AS (SELECT $1::text AS ref UNION SELECT reference FROM ledger.gateway_records WHERE id = $1)
     SELECT e.id AS entry_id, to_char(e.accounting_date, 'YYYY-MM-DD') AS accounting_date,
            to_char(e.posted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS posted_at,
            e.kind, e.reference, e.memo, e.reverses, l.line_no, l.account_code, l.debit, l.credit
       FROM ledger.journal_entries e JOIN ledger.journal_lines l ON l.entry_id = e.id
      WHERE e.reference IN (SELECT ref FROM refs)
      ORDER BY e.accounting_date, e.id, l.line_no
      LIMIT $2`,
    [reference, limit],
  );
  return rows.map((r) => ({
    entryId: r.entry_id,
    accountingDate: r.accounting_date,
    postedAt: r.posted_at,
    kind: r.kind,
    reference: r.reference,
    memo: r.memo,
    reverses: r.reverses,
    lineNo: r.line_no,
    account: r.account_code,
    debit: BigInt(r.debit),
    credit: BigInt(r.credit),
  }));
}

export interface GatewayRecord {
  id: string;
  kind: GatewayKind;
  reference: string;
  occurredOn: string;
  amount: bigint;
  fee: bigint;
}

export async function gatewayRecordsOf(db: Queryable, reference: string): Promise<GatewayRecord[]> {
  const { rows } = await db.query<{
    id: string;
    kind: GatewayKind;
    reference: string;
    occurred_on: string;
    amount: string;
    fee: string;
  }>(
    `SELECT id, kind, reference, to_char(occurred_on, 'YYYY-MM-DD') AS occurred_on, amount, fee
       FROM ledger.gateway_records
      WHERE reference = $1 OR reference = (SELECT reference FROM ledger.gateway_records WHERE id = $1)
      ORDER BY occurred_on, id LIMIT 100`,
    [reference],
  );
  return rows.map((r) => ({ ...r, occurredOn: r.occurred_on, amount: BigInt(r.amount), fee: BigInt(r.fee) }));
}

export interface JournalLine {
  accountingDate: string;
  entryId: string;
  kind: string;
  reference: string | null;
  memo: string | null;
  debit: bigint;
  credit: bigint;
}

/** The lines of one account between two dates, in date order; at most `limit` of them. */
export async function journalLines(
  db: Queryable,
  code: string,
  from: string,
  to: string,
  limit: number,
): Promise<JournalLine[]> {
  const { rows } = await db.query<{
    accounting_date: string;
    entry_id: string;
    kind: string;
    reference: string | null;
    memo: string | null;
    debit: string;
    credit: string;
  }>(
    `SELECT to_char(l.accounting_date, 'YYYY-MM-DD') AS accounting_date, l.entry_id, e.kind, e.reference, e.memo, l.debit, l.credit
       FROM ledger.journal_lines l JOIN ledger.journal_entries e ON e.id = l.entry_id
      WHERE l.account_code = $1 AND l.accounting_date >= $2::date AND l.accounting_date <= $3::date
      ORDER BY l.accounting_date, l.entry_id, l.line_no
      LIMIT $4`,
    [code, from, to, limit],
  );
  return rows.map((r) => ({
    accountingDate: r.accounting_date,
    entryId: r.entry_id,
    kind: r.kind,
    reference: r.reference,
    memo: r.memo,
    debit: BigInt(r.debit),
    credit: BigInt(r.credit),
  }));
}

/**
 * The ledger's side of the gateway reconciliation for [first, next): per posting on the gateway
 * account, its gross amount (positive) and, for deposits, the fee posted with it.
 */
export async function ledgerGatewayItems(
  db: Queryable,
  gatewayCode: string,
  feeCode: string,
  first: string,
  next: string,
): Promise<{ kind: string; reference: string; amount: bigint; fee: bigint }[]> {
  const { rows } = await db.query<{ kind: string; reference: string; amount: string; fee: string }>(
    `SELECT e.kind, coalesce(e.reference, '#' || e.id) AS reference,
            abs(sum(CASE WHEN l.account_code = $1 THEN l.debit - l.credit ELSE 0 END)) AS amount,
            sum(CASE WHEN l.account_code = $2 THEN l.debit - l.credit ELSE 0 END) AS fee
       FROM ledger.journal_lines l JOIN ledger.journal_entries e ON e.id = l.entry_id
      WHERE l.accounting_date >= $3::date AND l.accounting_date < $4::date
        AND l.account_code IN ($1, $2)
        AND e.id IN (SELECT entry_id FROM ledger.journal_lines
                      WHERE account_code = $1 AND accounting_date >= $3::date AND accounting_date < $4::date)
      GROUP BY e.id, e.kind, e.reference`,
    [gatewayCode, feeCode, first, next],
  );
  return rows.map((r) => ({
    kind: r.kind,
    reference: r.reference,
    amount: BigInt(r.amount),
    fee: BigInt(r.fee),
  }));
}

export async function gatewayItems(db: Queryable, first: string, next: string): Promise<ReconItem[]> {
  const { rows } = await db.query<{ kind: GatewayKind; reference: string; amount: string; fee: string }>(
    `SELECT kind, reference, sum(amount) AS amount, sum(fee) AS fee
       FROM ledger.gateway_records WHERE occurred_on >= $1::date AND occurred_on < $2::date
      GROUP BY kind, reference`,
    [first, next],
  );
  return rows.map((r) => ({
    kind: r.kind,
    reference: r.reference,
    amount: BigInt(r.amount),
    fee: BigInt(r.fee),
  }));
}

/** Entries of [first, next) and how many of them do not balance. */
export async function unbalancedEntries(
  db: Queryable,
  first: string,
  next: string,
): Promise<{ entries: number; unbalanced: number }> {
  const { rows } = await db.query<{ entries: string; unbalanced: string }>(
    `SELECT count(*) AS entries, count(*) FILTER (WHERE NOT ok) AS unbalanced FROM (
       SELECT e.id, count(l.entry_id) >= 2 AND coalesce(sum(l.debit), 0) = coalesce(sum(l.credit), 0) AS ok
         FROM ledger.journal_entries e
         LEFT JOIN ledger.journal_lines l
                ON l.entry_id = e.id AND l.accounting_date >= $1::date AND l.accounting_date < $2::date
        WHERE e.accounting_date >= $1::date AND e.accounting_date < $2::date
        GROUP BY e.id) x`,
    [first, next],
  );
  return { entries: Number(rows[0]!.entries), unbalanced: Number(rows[0]!.unbalanced) };
}

export interface OpenOrders {
  receivables: bigint;
  receivableOrders: number;
  undelivered: bigint;
  undeliveredOrders: number;
}

/** The orders' subledger at the end of a day: not yet charged, and not yet delivered. */
export async function openOrders(db: Queryable, asOf: string): Promise<OpenOrders> {
  const { rows } = await db.query<{ r: string; rn: string; u: string; un: string }>(
    `SELECT coalesce(sum(amount) FILTER (WHERE open_r), 0) AS r, count(*) FILTER (WHERE open_r) AS rn,
            coalesce(sum(amount) FILTER (WHERE open_u), 0) AS u, count(*) FILTER (WHERE open_u) AS un
       FROM (SELECT amount,
                    (captured_on IS NULL OR captured_on > $1::date) AND (cancelled_on IS NULL OR cancelled_on > $1::date) AS open_r,
                    (completed_on IS NULL OR completed_on > $1::date) AND (cancelled_on IS NULL OR cancelled_on > $1::date) AS open_u
               FROM ledger.orders WHERE ordered_on <= $1::date) o`,
    [asOf],
  );
  const r = rows[0]!;
  return {
    receivables: BigInt(r.r),
    receivableOrders: Number(r.rn),
    undelivered: BigInt(r.u),
    undeliveredOrders: Number(r.un),
  };
}

/**
 * Rollups recomputed from the lines for [first, next), and every month's rollup against the sum of
 * its days. Returns how many (account, day) and (account, month) rows were compared and how many differ.
 */
export async function rollupDrift(
  db: Queryable,
  first: string,
  next: string,
): Promise<{ compared: number; mismatches: number }> {
  const { rows } = await db.query<{ compared: string; mismatches: string }>(
    `WITH l AS (
       SELECT account_code, accounting_date AS day, sum(debit) AS debit, sum(credit) AS credit, count(*) AS n
         FROM ledger.journal_lines WHERE accounting_date >= $1::date AND accounting_date < $2::date
        GROUP BY account_code, accounting_date
     ), r AS (
       SELECT account_code, day, debit, credit, line_count AS n
         FROM ledger.balance_daily WHERE day >= $1::date AND day < $2::date
     ), days AS (
       SELECT (l.debit, l.credit, l.n) IS DISTINCT FROM (r.debit, r.credit, r.n) AS bad
         FROM l FULL JOIN r ON r.account_code = l.account_code AND r.day = l.day
     ), d AS (
       SELECT account_code, date_trunc('month', day)::date AS month, sum(debit) AS debit, sum(credit) AS credit,
              sum(line_count) AS n
         FROM ledger.balance_daily GROUP BY 1, 2
     ), months AS (
       SELECT (d.debit, d.credit, d.n) IS DISTINCT FROM (m.debit, m.credit, m.line_count::numeric) AS bad
         FROM d FULL JOIN ledger.balance_monthly m ON m.account_code = d.account_code AND m.month = d.month
     )
     SELECT (SELECT count(*) FROM days) + (SELECT count(*) FROM months) AS compared,
            (SELECT count(*) FILTER (WHERE bad) FROM days) + (SELECT count(*) FILTER (WHERE bad) FROM months) AS mismatches`,
    [first, next],
  );
  return { compared: Number(rows[0]!.compared), mismatches: Number(rows[0]!.mismatches) };
}
