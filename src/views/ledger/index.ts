// The reply to any /ledger answer.
import type { Reply } from '../../core/command.ts';
import type { Locale } from '../../i18n/index.ts';
import type { LedgerAnswer } from '../../services/ledger/models.ts';
import { accountLedgerView } from './account.ts';
import { balanceView } from './balance.ts';
import { closeView } from './close.ts';
import { entriesView } from './entries.ts';
import { reconcileView } from './reconcile.ts';
import { trialView } from './trial.ts';

export function ledgerView(answer: LedgerAnswer, locale: Locale): Reply {
  switch (answer.query) {
    case 'balance':
      return balanceView(answer, locale);
    case 'trial':
      return trialView(answer, locale);
    case 'entries':
      return entriesView(answer, locale);
    case 'account':
      return accountLedgerView(answer, locale);
    case 'reconcile':
      return reconcileView(answer, locale);
    case 'close':
      return closeView(answer, locale);
  }
}
