// The month-close checks (月次決算): each one passes or fails on figures, and carries those figures
// as its evidence so finance can see why. The checks:
//   balanced        every entry of the month balances
//   receivable      売掛金 at month end equals the open receivables of the orders
//   advance         前受金 at month end equals the orders not yet delivered
//   gateway         the month reconciles with the payment gateway
//   suspense        nothing is left on suspense accounts (仮払金, 仮受金)
//   investigations  no investigation of the month about money (payment, payout, refund) is still open
//   drift           the balance rollups equal the sums of the lines

export type CheckId =
  'balanced' | 'receivable' | 'advance' | 'gateway' | 'suspense' | 'investigations' | 'drift';
export type CheckStatus = 'pass' | 'fail' | 'skipped';

export interface CloseCheck {
  id: CheckId;
  status: CheckStatus;
  /** Figures behind the verdict; money as decimal strings of integer yen. */
  evidence: Record<string, string | number>;
}

export function checkBalanced(entries: number, unbalanced: number): CloseCheck {
  return { id: 'balanced', status: unbalanced === 0 ? 'pass' : 'fail', evidence: { entries, unbalanced } };
}

/**
 * A control account against its subledger. `ledgerBalance` is debits − credits; `subledger` is the
 * sum of the open items, positive on the account's normal side.
 */
export function checkSubledger(
  id: 'receivable' | 'advance',
  ledgerBalance: bigint,
  normal: 'debit' | 'credit',
  subledger: bigint,
  openItems: number,
): CloseCheck {
  const ledger = normal === 'debit' ? ledgerBalance : -ledgerBalance;
  const difference = ledger - subledger;
  return {
    id,
    status: difference === 0n ? 'pass' : 'fail',
    evidence: {
      ledger: ledger.toString(),
      subledger: subledger.toString(),
      difference: difference.toString(),
      open_items: openItems,
    },
  };
}

export function checkGateway(matched: number, differences: number, total: bigint): CloseCheck {
  return {
    id: 'gateway',
    status: differences === 0 ? 'pass' : 'fail',
    evidence: { matched, differences, total: total.toString() },
  };
}

/** Suspense accounts must be empty at month end; the evidence names what is left where. */
export function checkSuspense(balances: readonly { code: string; balance: bigint }[]): CloseCheck {
  const left = balances.filter((b) => b.balance !== 0n);
  const total = left.reduce((s, b) => s + (b.balance < 0n ? -b.balance : b.balance), 0n);
  return {
    id: 'suspense',
    status: left.length === 0 ? 'pass' : 'fail',
    evidence: { accounts: left.map((b) => b.code).join(', ') || '-', total: total.toString() },
  };
}

/** Ids of INV-n shown in the evidence; the count says how many there are in all. */
const LISTED_INVESTIGATIONS = 20;

/**
 * No investigation about money of the month is still open. `open`: the ids (INV-n's n, decimal
 * strings) of those that are; the evidence lists the first LISTED_INVESTIGATIONS as INV-n.
 */
export function checkInvestigations(open: readonly string[]): CloseCheck {
  const listed = open.slice(0, LISTED_INVESTIGATIONS).map((id) => `INV-${id}`);
  if (open.length > listed.length) listed.push('…');
  return {
    id: 'investigations',
    status: open.length === 0 ? 'pass' : 'fail',
    evidence: { open: open.length, ids: listed.join(', ') || '-' },
  };
}

export function checkDrift(compared: number, mismatches: number): CloseCheck {
  return { id: 'drift', status: mismatches === 0 ? 'pass' : 'fail', evidence: { compared, mismatches } };
}

/** The month can be closed when nothing failed (a skipped check does not block). */
export function closeVerdict(checks: readonly CloseCheck[]): 'pass' | 'fail' {
  return checks.some((c) => c.status === 'fail') ? 'fail' : 'pass';
}
