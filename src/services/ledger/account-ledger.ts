// /ledger account (alias journal): the account ledger (元帳) of one account between two dates,
// each line with the running balance, opening and closing balances and the period's totals.
import { journalLines, listAccounts, totalsBetween, totalsThrough } from '../../db/ledger/queries.ts';
import { addDays } from '../../domain/dates.ts';
import type { AccountQuery } from '../../domain/ledger/query.ts';
import { accountModel, resolveAccount } from './accounts.ts';
import type { AccountLedgerModel } from './models.ts';
import { readLedger, type LedgerContext, type LedgerReadOptions } from './read.ts';

/** An answer lists at most this many lines of an account; beyond that it gives the totals only. */
export const ACCOUNT_LEDGER_LINE_LIMIT = 50_000;

/**
 * The lines of `q.account` from `q.from` through `q.to` (business dates, inclusive) with the
 * running balance (debits − credits, integer yen); `lines` is null past
 * ACCOUNT_LEDGER_LINE_LIMIT. Audited
 * as `ledger.account` with the line count. Errors: see readLedger and resolveAccount.
 */
export function accountLedger(
  ctx: LedgerContext,
  actor: string,
  q: AccountQuery,
  opts: LedgerReadOptions = {},
): Promise<AccountLedgerModel> {
  return readLedger(
    ctx,
    actor,
    q,
    async (tx) => {
      const account = resolveAccount(await listAccounts(tx), q.account);
      const opening = await totalsThrough(tx, account.code, addDays(q.from, -1));
      const period = await totalsBetween(tx, account.code, q.from, q.to);
      const openingBalance = opening.debit - opening.credit;
      const closing = openingBalance + period.debit - period.credit;
      let lines: AccountLedgerModel['lines'] = null;
      if (period.lines <= ACCOUNT_LEDGER_LINE_LIMIT) {
        let running = openingBalance;
        lines = (await journalLines(tx, account.code, q.from, q.to, ACCOUNT_LEDGER_LINE_LIMIT)).map((l) => {
          running += l.debit - l.credit;
          return {
            date: l.accountingDate,
            entryId: l.entryId,
            kind: l.kind,
            reference: l.reference,
            memo: l.memo,
            debit: l.debit.toString(),
            credit: l.credit.toString(),
            balance: running.toString(),
          };
        });
      }
      return {
        query: 'account',
        account: accountModel(account),
        from: q.from,
        to: q.to,
        opening: openingBalance.toString(),
        debit: period.debit.toString(),
        credit: period.credit.toString(),
        closing: closing.toString(),
        lineCount: period.lines,
        lines,
        limit: ACCOUNT_LEDGER_LINE_LIMIT,
      };
    },
    (m) => m.lines?.length ?? 0,
    opts,
  );
}
