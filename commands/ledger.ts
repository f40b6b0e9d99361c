// /ledger — finance's questions to the general ledger (finance members only; every request audited).
//   balance <account> [<date>]      entries <reference>          trial <YYYY-MM | date>
//   account <account> <from> <to>   reconcile <YYYY-MM>          close <YYYY-MM>
// (`journal` is an alias of `account`, the account ledger's first name)
// The words are read by parseLedgerQuery (src/domain/ledger/query.ts, pure and property-tested);
// a text it cannot read is a usage error with the help (ledger.help). Each question is one service
// under src/services/ledger/, which reads the ledger and writes the request's audit row.
import type { Reply, SlashCommand } from '../src/core/command.ts';
import { usageError } from '../src/core/errors.ts';
import { isProblem, parseLedgerQuery, type LedgerQuery } from '../src/domain/ledger/query.ts';
import { accountLedger } from '../src/services/ledger/account-ledger.ts';
import { accountBalance } from '../src/services/ledger/balance.ts';
import { monthClose } from '../src/services/ledger/close.ts';
import { referenceEntries } from '../src/services/ledger/entries.ts';
import type { LedgerAnswer } from '../src/services/ledger/models.ts';
import type { LedgerContext } from '../src/services/ledger/read.ts';
import { reconcileMonth } from '../src/services/ledger/reconcile.ts';
import { monthTrialBalance } from '../src/services/ledger/trial-balance.ts';
import { businessToday } from '../src/services/today.ts';
import { ledgerView } from '../src/views/ledger/index.ts';

export const ledger: SlashCommand = {
  name: '/ledger',
  helpKey: 'ledger.help',
  financeOnly: true,
  async run(inv, ctx): Promise<Reply> {
    const q = parseLedgerQuery(inv.text, businessToday(ctx));
    if (isProblem(q)) throw usageError('/ledger', q.problem, q.params);
    return ledgerView(await ask(ctx, inv.userId, q), inv.locale);
  },
};

/** The one service that answers each question. */
function ask(ctx: LedgerContext, actor: string, q: LedgerQuery): Promise<LedgerAnswer> {
  switch (q.kind) {
    case 'balance':
      return accountBalance(ctx, actor, q);
    case 'entries':
      return referenceEntries(ctx, actor, q);
    case 'trial':
      return monthTrialBalance(ctx, actor, q);
    case 'account':
      return accountLedger(ctx, actor, q);
    case 'reconcile':
      return reconcileMonth(ctx, actor, q);
    case 'close':
      return monthClose(ctx, actor, q);
  }
}
