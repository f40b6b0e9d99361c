// The month's investigations about money still open, for the month-close check. They live in the
// bot's own database (migrations 0290, 0330), not in the ledger's.
import type { Queryable } from '../pool.ts';

/** The categories that are about money: an open one of these may change the month's figures. */
export const MONEY_CATEGORIES = ['payment', 'payout', 'refund'] as const;

/**
 * The ids (decimal strings, ascending) of the investigations not resolved, about money (payment,
 * payout, refund), filed in [from, to) — and the month-close requests (month_close, any category)
 * filed in [to, closeUntil): those are filed during the next month's first business days about this
 * month. Uses investigations_created_at.
 */
export async function openMoneyInvestigations(
  db: Queryable,
  from: Date,
  to: Date,
  closeUntil: Date,
): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id::text FROM investigations
      WHERE created_at >= $1 AND created_at < $3 AND status <> 'resolved'
        AND (created_at < $2 AND category = ANY ($4::text[]) OR created_at >= $2 AND month_close)
      ORDER BY id`,
    [from, to, closeUntil, MONEY_CATEGORIES],
  );
  return rows.map((r) => r.id);
}
