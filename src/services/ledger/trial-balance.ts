// /ledger trial: a month's trial balance (opening, debits, credits, closing per account).
import { listAccounts, trialBalance } from '../../db/ledger/queries.ts';
import { monthBounds } from '../../domain/dates.ts';
import type { TrialQuery } from '../../domain/ledger/query.ts';
import type { TrialModel } from './models.ts';
import { readLedger, type LedgerContext, type LedgerReadOptions } from './read.ts';

/**
 * The trial balance of `q.month` from its first day through `q.through` (inclusive), integer yen,
 * audited as `ledger.trial` with one row per account. Errors: see readLedger.
 */
export function monthTrialBalance(
  ctx: LedgerContext,
  actor: string,
  q: TrialQuery,
  opts: LedgerReadOptions = {},
): Promise<TrialModel> {
  return readLedger(
    ctx,
    actor,
    q,
    async (tx) => {
      const accounts = new Map((await listAccounts(tx)).map((a) => [a.code, a]));
      const { first } = monthBounds(q.month);
      const rows = await trialBalance(tx, first, q.through);
      const totals = { opening: 0n, debit: 0n, credit: 0n, closing: 0n };
      const out = rows.map((r) => {
        const closing = r.opening + r.debit - r.credit;
        totals.opening += r.opening;
        totals.debit += r.debit;
        totals.credit += r.credit;
        totals.closing += closing;
        const a = accounts.get(r.code);
        return {
          code: r.code,
          nameJa: a?.nameJa ?? r.code,
          nameEn: a?.nameEn ?? r.code,
          type: a?.type ?? 'asset',
          opening: r.opening.toString(),
          debit: r.debit.toString(),
          credit: r.credit.toString(),
          closing: closing.toString(),
        };
      });
      return {
        query: 'trial',
        month: q.month,
        from: first,
        through: q.through,
        rows: out,
        totals: {
          opening: totals.opening.toString(),
          debit: totals.debit.toString(),
          credit: totals.credit.toString(),
          closing: totals.closing.toString(),
        },
      };
    },
    (m) => m.rows.length,
    opts,
  );
}
