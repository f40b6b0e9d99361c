// The chart of accounts as /ledger speaks it: an account is asked for by its code or by its name,
// Japanese or English, typed with full-width or half-width characters (１１３０, ｳﾘｶｹ, Ｂａｎｋ).

export type AccountType = 'asset' | 'liability' | 'equity' | 'revenue' | 'expense';
export type AccountRole =
  | 'bank'
  | 'receivable'
  | 'gateway'
  | 'seller_advance'
  | 'seller_payable'
  | 'advance'
  | 'fee_revenue'
  | 'gateway_fee'
  | 'suspense';

export interface Account {
  code: string;
  nameJa: string;
  nameEn: string;
  type: AccountType;
  role: AccountRole | null;
}

/** Assets and expenses grow on the debit side; liabilities, equity and revenue on the credit side. */
export function normalSide(type: AccountType): 'debit' | 'credit' {
  return type === 'asset' || type === 'expense' ? 'debit' : 'credit';
}

/**
 * Balance (debits − credits) turned to the account's normal side: 前受金 with credits exceeding
 * debits by ¥500 shows ¥500 on the credit side.
 */
export function sideOf(type: AccountType, balance: bigint): { side: 'debit' | 'credit'; amount: bigint } {
  if (balance === 0n) return { side: normalSide(type), amount: 0n };
  return balance > 0n ? { side: 'debit', amount: balance } : { side: 'credit', amount: -balance };
}

/** "1130 売掛金": the name an account carries in exports and replies. */
export function accountLabel(a: Account, locale: 'ja' | 'en' = 'ja'): string {
  return `${a.code} ${locale === 'ja' ? a.nameJa : a.nameEn}`;
}

/** Full-width to half-width (and half-width katakana to full-width), case and spacing folded. */
export function foldName(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

export type AccountMatch =
  { kind: 'found'; account: Account } | { kind: 'ambiguous'; candidates: Account[] } | { kind: 'unknown' };

/**
 * Finds the account someone typed: an exact code or name first ("1130", "売掛金",
 * "accounts receivable", "1130 売掛金"), then a unique name that contains the text ("receivable"
 * alone is ambiguous between two accounts, so it lists both).
 */
export function matchAccount(accounts: readonly Account[], text: string): AccountMatch {
  const q = foldName(text);
  if (!q) return { kind: 'unknown' };
  const names = (a: Account) => [a.code, a.nameJa, a.nameEn].map(foldName);
  const exact = accounts.filter(
    (a) =>
      names(a).includes(q) || foldName(accountLabel(a, 'ja')) === q || foldName(accountLabel(a, 'en')) === q,
  );
  if (exact.length === 1) return { kind: 'found', account: exact[0]! };
  if (exact.length > 1) return { kind: 'ambiguous', candidates: exact };
  const partial = accounts.filter((a) => names(a).some((n) => n.includes(q)));
  if (partial.length === 1) return { kind: 'found', account: partial[0]! };
  if (partial.length > 1) return { kind: 'ambiguous', candidates: partial };
  return { kind: 'unknown' };
}
