// The demo marketplace ledger, generated set-based inside PostgreSQL so 10 million lines take
// minutes, not hours. Every figure is a function of (seed, order number): hashint8extended gives
// the randomness, so the same seed and day always give the same ledger.
//
// What an order goes through (the same rules as src/domain/ledger/postings.ts):
//   purchase     Dr 1130 売掛金 / Cr 2120 前受金                     (amount)
//   capture      Dr 1140 未収入金 / Cr 1130 売掛金                   (the gateway charged the buyer)
//   completion   Dr 2120 前受金 / Cr 4110 売上高 (fee) + 2110 未払金 (seller's share)
//   cancellation Dr 2120 前受金 / Cr 1130 売掛金, reversing the purchase; when already captured,
//   refund       Dr 1130 売掛金 / Cr 1140 未収入金, reversing the capture
//   refund after completion: Dr 4110 売上高 + (2110 未払金, or 1150 立替金 once paid out) / Cr 1140
//   payout       Dr 2110 未払金 / Cr 1110 普通預金, twice a month per seller
//   deposit      Dr 1110 普通預金 (net) + 5110 支払手数料 (fee) / Cr 1140 未収入金, weekly
// and four real discrepancies in the month before `today`: a capture never posted, a capture posted
// with a wrong amount, a deposit whose fee was posted wrongly, an unidentified receipt on 仮受金.
import type { Queryable, Tx } from '../pool.ts';

export interface DemoParams {
  seed: number;
  orders: number;
  /** First day of the demo period, ISO date. */
  start: string;
  /** The business date of the load; nothing happens after it. */
  today: string;
}

/** A uniform number in [0, 1) for order i and draw k, reproducible for a seed. */
const u = (k: number) =>
  `((hashint8extended(i, $1::bigint * 64 + ${k}) & 2147483647)::float8 / 2147483648.0)`;

const ORDERS = `
CREATE TEMP TABLE demo_o ON COMMIT DROP AS
WITH r AS (
  SELECT i, ${u(1)} AS u_day, ${u(2)} AS u_sec, ${u(3)} AS u_amt, ${u(4)} AS u_seller, ${u(5)} AS u_cap,
         ${u(6)} AS u_fate, ${u(7)} AS u_delay, ${u(8)} AS u_ref, ${u(9)} AS u_rdelay
    FROM generate_series(1, $2::bigint) AS i
), d AS (
  SELECT i,
         -- a growing marketplace: more orders every month
         $3::date + floor(sqrt(u_day) * ($4::date - $3::date + 1))::int AS ordered_on,
         floor(u_sec * 86400)::int AS sec,
         (round(exp(ln(300) + u_amt * ln(100000 / 300.0)) / 10) * 10)::bigint AS amount,
         'S' || lpad((1 + floor(u_seller * u_seller * greatest(20, $2::bigint / 200)))::text, 6, '0') AS seller_id,
         (u_cap < 0.15)::int AS cap_delay, u_fate, u_delay, u_ref, u_rdelay
    FROM r
), f AS (
  SELECT i, ordered_on, sec, amount, amount * 10 / 100 AS platform_fee, seller_id,
         CASE WHEN u_fate >= 0.02 THEN ordered_on + cap_delay END AS captured_on,
         CASE WHEN u_fate >= 0.05 THEN ordered_on + cap_delay + 1 + floor(u_delay * 14)::int END AS completed_on,
         CASE WHEN u_fate < 0.02 THEN ordered_on + floor(u_delay * 4)::int
              WHEN u_fate < 0.05 THEN ordered_on + cap_delay + floor(u_delay * 5)::int END AS cancelled_on,
         u_ref, u_rdelay
    FROM d
), g AS (
  SELECT i, ordered_on, sec, amount, platform_fee, seller_id,
         CASE WHEN captured_on <= $4::date THEN captured_on END AS captured_on,
         CASE WHEN completed_on <= $4::date THEN completed_on END AS completed_on,
         CASE WHEN cancelled_on <= $4::date THEN cancelled_on END AS cancelled_on,
         CASE WHEN u_ref < 0.015 AND completed_on + 1 + floor(u_rdelay * 30)::int <= $4::date
              THEN completed_on + 1 + floor(u_rdelay * 30)::int END AS refunded_on
    FROM f
), h AS (
  SELECT g.*,
         -- sellers are paid for the half month of completion, five days after it ends
         CASE WHEN extract(day FROM completed_on) <= 15 THEN date_trunc('month', completed_on)::date + 19
              ELSE (date_trunc('month', completed_on) + interval '1 month')::date + 4 END AS paid_on
    FROM g
)
SELECT 'ORD-' || lpad(row_number() OVER (ORDER BY ordered_on, sec, i)::text, 8, '0') AS id,
       i, ordered_on, sec, amount, platform_fee, seller_id, captured_on, completed_on, cancelled_on, refunded_on,
       CASE WHEN paid_on <= $4::date AND (refunded_on IS NULL OR refunded_on >= paid_on) THEN paid_on END AS paid_on,
       CASE WHEN paid_on <= $4::date THEN paid_on END AS period_paid_on,
       NULL::text AS flaw
  FROM h`;

// Two orders of last month get a flawed capture posting: never posted, or posted 900 yen too high.
const FLAWS = `
WITH candidates AS (
  SELECT id, row_number() OVER (ORDER BY md5($1::text || id)) AS n
    FROM demo_o
   WHERE captured_on >= $2::date AND captured_on < $3::date
     AND completed_on IS NOT NULL AND refunded_on IS NULL AND cancelled_on IS NULL
)
UPDATE demo_o o SET flaw = CASE c.n WHEN 1 THEN 'missing_capture' ELSE 'capture_typo' END
  FROM candidates c WHERE c.id = o.id AND c.n <= 2`;

const INSERT_ORDERS = `
INSERT INTO ledger.orders (id, seller_id, ordered_on, amount, platform_fee, captured_on, completed_on, cancelled_on, refunded_on, payout_id)
SELECT id, seller_id, ordered_on, amount, platform_fee, captured_on, completed_on, cancelled_on, refunded_on,
       CASE WHEN paid_on IS NOT NULL THEN 'PO-' || to_char(paid_on, 'YYYYMMDD') || '-' || seller_id END
  FROM demo_o ORDER BY id`;

const INSERT_PAYOUTS = `
INSERT INTO ledger.payouts (id, seller_id, paid_on, amount)
SELECT 'PO-' || to_char(paid_on, 'YYYYMMDD') || '-' || seller_id, seller_id, paid_on, sum(amount - platform_fee)
  FROM demo_o WHERE paid_on IS NOT NULL
 GROUP BY seller_id, paid_on ORDER BY paid_on, seller_id`;

const INSERT_GATEWAY = `
INSERT INTO ledger.gateway_records (id, kind, reference, occurred_on, amount, fee)
SELECT 'ch_' || substr(md5($1::text || id), 1, 20), 'charge', id, captured_on, amount, 0
  FROM demo_o WHERE captured_on IS NOT NULL
UNION ALL
SELECT 're_' || substr(md5($1::text || id), 1, 20), 'refund', id, coalesce(refunded_on, cancelled_on), amount, 0
  FROM demo_o WHERE captured_on IS NOT NULL AND coalesce(refunded_on, cancelled_on) IS NOT NULL`;

// The gateway settles each week (Monday to Sunday) on the Friday after: charges less refunds,
// less 3.6% of every charge.
const INSERT_DEPOSITS = `
INSERT INTO ledger.gateway_records (id, kind, reference, occurred_on, amount, fee)
SELECT 'dp_' || to_char(deposit_on, 'YYYYMMDD'), 'deposit', 'DEP-' || to_char(deposit_on, 'YYYYMMDD'), deposit_on, gross, fee
  FROM (
    SELECT (date_trunc('week', occurred_on)::date + 11) AS deposit_on,
           sum(CASE kind WHEN 'charge' THEN amount ELSE -amount END) AS gross,
           sum(CASE kind WHEN 'charge' THEN amount * 36 / 1000 ELSE 0 END) AS fee
      FROM ledger.gateway_records WHERE kind IN ('charge', 'refund')
     GROUP BY 1
  ) w
 WHERE deposit_on <= $1::date AND gross - fee > 0 AND fee > 0`;

// One row per journal entry with up to three lines in slots (account, debit, credit).
const ENTRIES = `
CREATE TEMP TABLE demo_e ON COMMIT DROP AS
WITH s AS (
  SELECT $1::date AS accounting_date, $1::date + interval '9 hours' AS local_at, 0 AS ko, 'capital' AS kind,
         'CAPITAL' AS reference, '資本金の払込'::text AS memo, NULL::text AS rev_kind,
         '1110' AS a1, 50000000::bigint AS d1, 0::bigint AS c1, '3110' AS a2, 0::bigint AS d2, 50000000::bigint AS c2,
         NULL::text AS a3, NULL::bigint AS d3, NULL::bigint AS c3
  UNION ALL
  SELECT ordered_on, ordered_on + sec * interval '1 second', 1, 'purchase', id, NULL, NULL,
         '1130', amount, 0, '2120', 0, amount, NULL, NULL, NULL
    FROM demo_o
  UNION ALL
  SELECT captured_on, captured_on + ((sec + 600) % 86400) * interval '1 second', 2, 'capture', id, NULL, NULL,
         '1140', amount + CASE WHEN flaw = 'capture_typo' THEN 900 ELSE 0 END, 0,
         '1130', 0, amount + CASE WHEN flaw = 'capture_typo' THEN 900 ELSE 0 END, NULL, NULL, NULL
    FROM demo_o WHERE captured_on IS NOT NULL AND flaw IS DISTINCT FROM 'missing_capture'
  UNION ALL
  SELECT completed_on, completed_on + ((sec + 7200) % 86400) * interval '1 second', 3, 'completion', id, NULL, NULL,
         '2120', amount, 0, '4110', 0, platform_fee, '2110', 0, amount - platform_fee
    FROM demo_o WHERE completed_on IS NOT NULL
  UNION ALL
  SELECT cancelled_on, cancelled_on + ((sec + 3600) % 86400) * interval '1 second', 4, 'cancellation', id, NULL, 'purchase',
         '2120', amount, 0, '1130', 0, amount, NULL, NULL, NULL
    FROM demo_o WHERE cancelled_on IS NOT NULL
  UNION ALL
  SELECT cancelled_on, cancelled_on + ((sec + 3601) % 86400) * interval '1 second', 5, 'refund', id, NULL, 'capture',
         '1130', amount, 0, '1140', 0, amount, NULL, NULL, NULL
    FROM demo_o WHERE cancelled_on IS NOT NULL AND captured_on IS NOT NULL
  UNION ALL
  SELECT refunded_on, refunded_on + ((sec + 5400) % 86400) * interval '1 second', 5, 'refund', id, NULL, NULL,
         '4110', platform_fee, 0,
         CASE WHEN period_paid_on IS NOT NULL AND refunded_on >= period_paid_on THEN '1150' ELSE '2110' END,
         amount - platform_fee, 0, '1140', 0, amount
    FROM demo_o WHERE refunded_on IS NOT NULL
  UNION ALL
  SELECT paid_on, paid_on + interval '15 hours', 6, 'payout', id, NULL, NULL,
         '2110', amount, 0, '1110', 0, amount, NULL, NULL, NULL
    FROM ledger.payouts
  UNION ALL
  SELECT occurred_on, occurred_on + interval '11 hours', 7, 'deposit', reference, NULL, NULL,
         '1110', amount - fee, 0, '5110', fee + CASE WHEN occurred_on = $2::date THEN 7 ELSE 0 END, 0,
         '1140', 0, amount + CASE WHEN occurred_on = $2::date THEN 7 ELSE 0 END
    FROM ledger.gateway_records WHERE kind = 'deposit'
  UNION ALL
  SELECT $3::date, $3::date + interval '14 hours', 8, 'adjustment', 'BANK-' || to_char($3::date, 'YYYYMMDD'), '入金元不明（調査中）', NULL,
         '1110', 12345, 0, '2190', 0, 12345, NULL, NULL, NULL
   WHERE $3::date IS NOT NULL
)
SELECT row_number() OVER (ORDER BY accounting_date, local_at, ko, reference) AS id,
       s.*, (local_at AT TIME ZONE 'Asia/Tokyo') AS posted_at
  FROM s`;

const INSERT_ENTRIES = `
INSERT INTO ledger.journal_entries (id, accounting_date, posted_at, kind, reference, memo, reverses)
SELECT e.id, e.accounting_date, e.posted_at, e.kind, e.reference, e.memo, r.id
  FROM demo_e e LEFT JOIN demo_e r ON e.rev_kind IS NOT NULL AND r.reference = e.reference AND r.kind = e.rev_kind
 ORDER BY e.id`;

const INSERT_LINES = `
INSERT INTO ledger.journal_lines (entry_id, accounting_date, line_no, account_code, debit, credit)
SELECT e.id, e.accounting_date, v.n, v.a, v.d, v.c
  FROM demo_e e
 CROSS JOIN LATERAL (VALUES (1, e.a1, e.d1, e.c1), (2, e.a2, e.d2, e.c2), (3, e.a3, e.d3, e.c3)) AS v (n, a, d, c)
 WHERE v.a IS NOT NULL
 ORDER BY e.id, v.n`;

/** Entries that do not balance (or have fewer than two lines): the set-based form of the trigger. */
export const UNBALANCED_ENTRIES = `
SELECT count(*) AS n FROM (
  SELECT e.id FROM ledger.journal_entries e LEFT JOIN ledger.journal_lines l ON l.entry_id = e.id
   GROUP BY e.id HAVING count(l.entry_id) < 2 OR coalesce(sum(l.debit), 0) <> coalesce(sum(l.credit), 0)
) x`;

/** Whether the first start still has to load the demo: no journal entry at all (demo or real). */
export async function ledgerIsEmpty(db: Queryable): Promise<boolean> {
  const { rows } = await db.query<{ any: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM ledger.journal_entries) AS any`,
  );
  return !rows[0]?.any;
}

export interface DemoLoadRow {
  seed: string;
  entries: string;
  lines: string;
  today: string;
}

export async function currentDemoLoad(tx: Tx): Promise<{ loaded?: DemoLoadRow; hasEntries: boolean }> {
  const { rows } = await tx.query<DemoLoadRow>(
    `SELECT seed, entries, lines, to_char(today, 'YYYY-MM-DD') AS today FROM ledger.demo_load ORDER BY loaded_at DESC LIMIT 1`,
  );
  const any = await tx.query(`SELECT 1 FROM ledger.journal_entries LIMIT 1`);
  return { loaded: rows[0], hasEntries: (any.rowCount ?? 0) > 0 };
}

/** Locks the ledger against every other writer and reader for the reload (and lifts the time limit). */
export async function lockLedgerForReload(tx: Tx): Promise<void> {
  // Ten million lines take minutes: the pool's statement timeout is for questions, not for this.
  await tx.query(`SELECT set_config('statement_timeout', '0', true)`);
  await tx.query(
    `LOCK TABLE ledger.journal_lines, ledger.journal_entries, ledger.balance_daily, ledger.balance_monthly,
                ledger.orders, ledger.gateway_records, ledger.payouts, ledger.demo_load IN ACCESS EXCLUSIVE MODE`,
  );
}

export async function truncateLedger(tx: Tx): Promise<void> {
  // The TRUNCATE trigger on journal_lines empties the rollups with it.
  await tx.query(
    `TRUNCATE ledger.journal_lines, ledger.journal_entries, ledger.orders, ledger.gateway_records, ledger.payouts, ledger.demo_load`,
  );
}

/**
 * Generates the demo into an empty ledger inside the caller's transaction. The per-row balance
 * triggers are switched off for the bulk insert and replaced by one set-based check of every entry
 * before they are switched on again; the ACCESS EXCLUSIVE lock the ALTERs take keeps every other
 * session out until COMMIT, so nothing unchecked can slip in.
 */
export async function generateDemo(tx: Tx, p: DemoParams): Promise<{ entries: number; lines: number }> {
  const lastMonthStart = await tx.query<{
    first: string;
    next: string;
    deposit: string | null;
    suspense: string | null;
  }>(
    `SELECT to_char(m, 'YYYY-MM-DD') AS first, to_char(m + interval '1 month', 'YYYY-MM-DD') AS next,
            (SELECT to_char(max(date_trunc('week', d)::date + 11), 'YYYY-MM-DD')
               FROM generate_series(m, m + interval '1 month' - interval '1 day', interval '1 day') d
              WHERE date_trunc('week', d)::date + 11 < m + interval '1 month'
                AND date_trunc('week', d)::date + 11 >= m
                AND date_trunc('week', d)::date + 11 <= $1::date) AS deposit,
            CASE WHEN m + 19 <= $1::date AND m >= $2::date THEN to_char(m + 19, 'YYYY-MM-DD') END AS suspense
       FROM (SELECT (date_trunc('month', $1::date) - interval '1 month')::date AS m) x`,
    [p.today, p.start],
  );
  const month = lastMonthStart.rows[0]!;
  await tx.query(ORDERS, [p.seed, p.orders, p.start, p.today]);
  await tx.query(FLAWS, [String(p.seed), month.first, month.next]);
  await tx.query(INSERT_ORDERS);
  await tx.query(INSERT_PAYOUTS);
  await tx.query(INSERT_GATEWAY, [String(p.seed)]);
  await tx.query(INSERT_DEPOSITS, [p.today]);
  await tx.query(ENTRIES, [p.start, month.deposit, month.suspense]);
  await tx.query(`ALTER TABLE ledger.journal_entries DISABLE TRIGGER journal_entries_balanced`);
  await tx.query(`ALTER TABLE ledger.journal_lines DISABLE TRIGGER journal_lines_balanced`);
  const entries = await tx.query(INSERT_ENTRIES);
  const lines = await tx.query(INSERT_LINES);
  const { rows } = await tx.query<{ n: string }>(UNBALANCED_ENTRIES);
  if (rows[0]?.n !== '0') throw new Error(`demo ledger: ${rows[0]?.n} unbalanced entries generated`);
  await tx.query(`ALTER TABLE ledger.journal_lines ENABLE TRIGGER journal_lines_balanced`);
  await tx.query(`ALTER TABLE ledger.journal_entries ENABLE TRIGGER journal_entries_balanced`);
  await tx.query(
    `SELECT setval(pg_get_serial_sequence('ledger.journal_entries', 'id'), greatest(1, (SELECT max(id) FROM ledger.journal_entries)))`,
  );
  await tx.query(`DROP TABLE demo_e`);
  await tx.query(`DROP TABLE demo_o`);
  return { entries: entries.rowCount ?? 0, lines: lines.rowCount ?? 0 };
}

export async function recordDemoLoad(
  tx: Tx,
  r: { seed: number; entries: number; today: string; lines: number },
): Promise<void> {
  await tx.query(`INSERT INTO ledger.demo_load (seed, entries, today, lines) VALUES ($1, $2, $3, $4)`, [
    r.seed,
    r.entries,
    r.today,
    r.lines,
  ]);
  await tx.query(`ANALYZE ledger.journal_lines`);
  await tx.query(`ANALYZE ledger.journal_entries`);
  await tx.query(`ANALYZE ledger.balance_daily`);
  await tx.query(`ANALYZE ledger.balance_monthly`);
  await tx.query(`ANALYZE ledger.orders`);
  await tx.query(`ANALYZE ledger.gateway_records`);
}
