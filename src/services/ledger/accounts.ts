// Finding the accounts a ledger question names (by code or name) or needs (by role).
import { UserError } from '../../core/errors.ts';
import { matchAccount, type Account, type AccountRole } from '../../domain/ledger/accounts.ts';
import type { AccountModel } from './models.ts';

export function accountModel(a: Account): AccountModel {
  return { code: a.code, nameJa: a.nameJa, nameEn: a.nameEn, type: a.type };
}

/**
 * The one account `text` names (code or name, any width). Throws UserError
 * `ledger.ambiguous_account` or `ledger.unknown_account`, listing the candidates or the chart.
 */
export function resolveAccount(accounts: readonly Account[], text: string): Account {
  const m = matchAccount(accounts, text);
  if (m.kind === 'found') return m.account;
  const list = (xs: readonly Account[]) => xs.map((a) => `\`${a.code} ${a.nameJa}\``).join(', ');
  if (m.kind === 'ambiguous')
    throw new UserError('ledger.ambiguous_account', { account: text, candidates: list(m.candidates) });
  throw new UserError('ledger.unknown_account', { account: text, known: list(accounts) });
}

/** The account the chart gives `role` (売掛金, the gateway receivable, ...). Throws UserError `ledger.missing_role`. */
export function byRole(accounts: readonly Account[], role: AccountRole): Account {
  const a = accounts.find((x) => x.role === role);
  if (!a) throw new UserError('ledger.missing_role', { role });
  return a;
}
