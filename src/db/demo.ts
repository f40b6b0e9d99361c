// Whether the first start still has to load the demo data.
import type { Queryable } from './pool.ts';

export async function ledgerIsEmpty(db: Queryable): Promise<boolean> {
  const { rows } = await db.query<{ any: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM ledger.journal_entries) AS any`,
  );
  return !rows[0]?.any;
}
