// /ledger balance: an account's debits, credits and balance (debits − credits) at the end of a day.
import { listAccounts, totalsThrough } from '../../db/ledger/queries.ts';
import type { BalanceQuery } from '../../domain/ledger/query.ts';
import { accountModel, resolveAccount } from './accounts.ts';
import type { BalanceModel } from './models.ts';
import { readLedger, type LedgerContext, type LedgerReadOptions } from './read.ts';

/**
 * The balance of `q.account` through `q.date` (a business date, inclusive), in integer yen, audited
 * as `ledger.balance` for `actor`. Errors: see readLedger and resolveAccount.
 */
export function accountBalance(
  ctx: LedgerContext,
  actor: string,
  q: BalanceQuery,
  opts: LedgerReadOptions = {},
): Promise<BalanceModel> {
  return readLedger(
    ctx,
    actor,
    q,
    async (tx) => {
      const account = resolveAccount(await listAccounts(tx), q.account);
      const t = await totalsThrough(tx, account.code, q.date);
      return {
        query: 'balance',
        account: accountModel(account),
        date: q.date,
        debit: t.debit.toString(),
        credit: t.credit.toString(),
        balance: (t.debit - t.credit).toString(),
        lines: t.lines,
      };
    },
    () => 1,
    opts,
  );
}
