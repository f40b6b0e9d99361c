// /ledger balance: one account's balance at the end of a day, on its normal side.
import type { Reply } from '../../core/command.ts';
import { sideOf } from '../../domain/ledger/accounts.ts';
import { t, type Locale } from '../../i18n/index.ts';
import type { BalanceModel } from '../../services/ledger/models.ts';
import { context, header, section, yen } from '../common.ts';
import { accountName } from './format.ts';

export function balanceView(m: BalanceModel, locale: Locale): Reply {
  const title = t(locale, 'ledger.balance.title', { account: accountName(m.account, locale), date: m.date });
  const s = sideOf(m.account.type, BigInt(m.balance));
  const amount = t(locale, 'ledger.balance.amount', {
    amount: yen(s.amount),
    side: t(locale, `ledger.side.${s.side}`),
  });
  const detail = t(locale, 'ledger.balance.detail', {
    debit: yen(m.debit),
    credit: yen(m.credit),
    lines: m.lines.toLocaleString('en-US'),
  });
  return {
    visibility: 'ephemeral',
    message: {
      text: `${title}\n${amount.replace(/\*/g, '')}\n${detail}`,
      blocks: [header(title), section(amount), context(detail)],
    },
    model: m,
  };
}
