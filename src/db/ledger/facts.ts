// What the ledger knows about one business reference, beyond its entries and gateway records
// (queries.ts entriesOf, gatewayRecordsOf): whether it knows the reference at all, and the payout
// status of the order (or the payout) it names.
import type { Queryable } from '../pool.ts';

/**
 * Whether the ledger holds anything under `reference` (exact, as stored): a journal entry's
 * reference (an order, payout or deposit id), a gateway record's id (ch_…, re_…, dp_…) or reference,
 * an order or a payout. One statement; every branch is an index look-up (journal_entries_reference,
 * gateway_records' primary key and gateway_records_reference, the orders' and payouts' primary keys).
 */
export async function referenceKnown(db: Queryable, reference: string): Promise<boolean> {
  const { rows } = await db.query<{ known: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM ledger.journal_entries WHERE reference = $1)
         OR EXISTS (SELECT 1 FROM ledger.gateway_records WHERE id = $1)
         OR EXISTS (SELECT 1 FROM ledger.gateway_records WHERE reference = $1)
         OR EXISTS (SELECT 1 FROM ledger.orders WHERE id = $1)
         OR EXISTS (SELECT 1 FROM ledger.payouts WHERE id = $1) AS known`,
    [reference],
  );
  return rows[0]?.known === true;
}

/** An order's (or a payout's own) payout: the seller's payout it went into, if any. */
export interface PayoutRow {
  /** 'order' when `reference` names an order (or a gateway record of one), 'payout' for a payout id. */
  of: 'order' | 'payout';
  orderCompleted: boolean;
  orderCancelled: boolean;
  payoutId: string | null;
  paidOn: string | null;
  /** The payout's whole amount (every order of that seller and day), integer yen. */
  amount: bigint | null;
}

/**
 * The payout behind `reference`: an order id, a gateway record id of an order (ch_…, re_…), or a
 * payout id. undefined when it names none of them (a deposit, an adjustment).
 */
export async function payoutOf(db: Queryable, reference: string): Promise<PayoutRow | undefined> {
  const { rows } = await db.query<{
    of: 'order' | 'payout';
    completed: boolean;
    cancelled: boolean;
    payout_id: string | null;
    paid_on: string | null;
    amount: string | null;
  }>(
    `WITH refs AS (SELECT $1::text AS ref UNION SELECT reference FROM ledger.gateway_records WHERE id = $1)
     SELECT 'order' AS of, o.completed_on IS NOT NULL AS completed, o.cancelled_on IS NOT NULL AS cancelled,
            p.id AS payout_id, to_char(p.paid_on, 'YYYY-MM-DD') AS paid_on, p.amount
       FROM ledger.orders o LEFT JOIN ledger.payouts p ON p.id = o.payout_id
      WHERE o.id IN (SELECT ref FROM refs)
     UNION ALL
     SELECT 'payout', false, false, p.id, to_char(p.paid_on, 'YYYY-MM-DD'), p.amount
       FROM ledger.payouts p WHERE p.id = $1
     LIMIT 1`,
    [reference],
  );
  const r = rows[0];
  if (!r) return undefined;
  return {
    of: r.of,
    orderCompleted: r.completed,
    orderCancelled: r.cancelled,
    payoutId: r.payout_id,
    paidOn: r.paid_on,
    amount: r.amount === null ? null : BigInt(r.amount),
  };
}
