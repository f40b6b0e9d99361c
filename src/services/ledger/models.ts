// What /ledger answers, as data: the views render it and `toban run --json` prints it.
// Money is integer yen as decimal strings; a balance is always debits − credits.
import type { AccountType } from '../../domain/ledger/accounts.ts';
import type { CheckId, CheckStatus } from '../../domain/ledger/close.ts';
import type { DifferenceProblem, GatewayKind } from '../../domain/ledger/reconcile.ts';

export interface AccountModel {
  code: string;
  nameJa: string;
  nameEn: string;
  type: AccountType;
}

export interface BalanceModel {
  query: 'balance';
  account: AccountModel;
  date: string;
  debit: string;
  credit: string;
  balance: string;
  lines: number;
}

export interface TrialRowModel extends AccountModel {
  opening: string;
  debit: string;
  credit: string;
  closing: string;
}

export interface TrialModel {
  query: 'trial';
  month: string;
  from: string;
  through: string;
  rows: TrialRowModel[];
  totals: { opening: string; debit: string; credit: string; closing: string };
}

export interface EntryModel {
  id: string;
  accountingDate: string;
  postedAt: string;
  kind: string;
  reference: string | null;
  memo: string | null;
  reverses: string | null;
  lines: { lineNo: number; account: AccountModel; debit: string; credit: string }[];
}

export interface GatewayRecordModel {
  id: string;
  kind: GatewayKind;
  reference: string;
  occurredOn: string;
  amount: string;
  fee: string;
}

export interface EntriesModel {
  query: 'entries';
  reference: string;
  entries: EntryModel[];
  gateway: GatewayRecordModel[];
  /** More lines exist than were read. */
  truncated: boolean;
}

/** One line of an account ledger (元帳). */
export interface AccountLedgerLineModel {
  date: string;
  entryId: string;
  kind: string;
  reference: string | null;
  memo: string | null;
  debit: string;
  credit: string;
  /** Running balance after this line. */
  balance: string;
}

/** The account ledger (元帳) of one account between two dates: /ledger account. */
export interface AccountLedgerModel {
  query: 'account';
  account: AccountModel;
  from: string;
  to: string;
  opening: string;
  debit: string;
  credit: string;
  closing: string;
  lineCount: number;
  /** Null when there are more lines than one answer carries (lineCount tells how many). */
  lines: AccountLedgerLineModel[] | null;
  limit: number;
}

export interface DifferenceModel {
  kind: GatewayKind;
  reference: string;
  problem: DifferenceProblem;
  ledgerAmount: string | null;
  ledgerFee: string | null;
  gatewayAmount: string | null;
  gatewayFee: string | null;
  difference: string;
}

export interface ReconcileModel {
  query: 'reconcile';
  month: string;
  matched: number;
  differences: DifferenceModel[];
  total: string;
}

export interface CloseCheckModel {
  id: CheckId;
  status: CheckStatus;
  evidence: Record<string, string | number>;
}

export interface CloseModel {
  query: 'close';
  month: string;
  verdict: 'pass' | 'fail';
  checks: CloseCheckModel[];
  /** The reconciliation behind the gateway check, for the attached file. */
  differences: DifferenceModel[];
}

export type LedgerAnswer =
  BalanceModel | TrialModel | EntriesModel | AccountLedgerModel | ReconcileModel | CloseModel;
