// /ledger close: the monthly-close checks (月次決算), each pass, fail or skipped with its evidence.
import { openMoneyInvestigations } from '../../db/ledger/investigations.ts';
import {
  listAccounts,
  openOrders,
  rollupDrift,
  totalsThrough,
  unbalancedEntries,
} from '../../db/ledger/queries.ts';
import type { Tx } from '../../db/pool.ts';
import { addMonths, monthBounds, startOfBusinessDate, type IsoMonth } from '../../domain/dates.ts';
import { normalSide, type Account } from '../../domain/ledger/accounts.ts';
import {
  checkBalanced,
  checkDrift,
  checkGateway,
  checkInvestigations,
  checkSubledger,
  checkSuspense,
  closeVerdict,
} from '../../domain/ledger/close.ts';
import type { CloseQuery } from '../../domain/ledger/query.ts';
import { byRole } from './accounts.ts';
import type { CloseModel } from './models.ts';
import { differenceModels, reconciliation } from './reconcile.ts';
import { readLedger, type LedgerContext, type LedgerReadOptions } from './read.ts';

/**
 * The month's investigations about money still open (ids), and the month-close requests filed
 * during the next month. Investigations live in the bot's own database, not in the ledger's.
 */
function investigationsOf(ctx: LedgerContext, month: IsoMonth): Promise<string[]> {
  const { first, next } = monthBounds(month);
  const after = monthBounds(addMonths(month, 1)).next;
  const tz = ctx.config.timezone;
  return openMoneyInvestigations(
    ctx.pool,
    startOfBusinessDate(first, tz),
    startOfBusinessDate(next, tz),
    startOfBusinessDate(after, tz),
  );
}

/**
 * The close checks of `q.month`, read in one snapshot of the ledger (the checks compare several
 * reads), with the reconciliation's differences for the attached file. Audited as `ledger.close`
 * with the number of checks. Errors: see readLedger; a failure reading investigations (the bot's
 * own database) rejects before the ledger is read.
 */
export async function monthClose(
  ctx: LedgerContext,
  actor: string,
  q: CloseQuery,
  opts: LedgerReadOptions = {},
): Promise<CloseModel> {
  const investigations = await investigationsOf(ctx, q.month);
  return readLedger(
    ctx,
    actor,
    q,
    (tx) => close(tx, q.month, investigations),
    (m) => m.checks.length,
    { ...opts, snapshot: true },
  );
}

async function close(tx: Tx, month: IsoMonth, investigations: readonly string[]): Promise<CloseModel> {
  const accounts = await listAccounts(tx);
  const { first, last, next } = monthBounds(month);
  const net = async (a: Account) => {
    const t = await totalsThrough(tx, a.code, last);
    return t.debit - t.credit;
  };
  const receivable = byRole(accounts, 'receivable');
  const advance = byRole(accounts, 'advance');
  const balanced = await unbalancedEntries(tx, first, next);
  const orders = await openOrders(tx, last);
  const recon = await reconciliation(tx, accounts, month);
  const suspense = [];
  for (const a of accounts.filter((x) => x.role === 'suspense'))
    suspense.push({ code: a.code, balance: await net(a) });
  const drift = await rollupDrift(tx, first, next);
  const checks = [
    checkBalanced(balanced.entries, balanced.unbalanced),
    checkSubledger(
      'receivable',
      await net(receivable),
      normalSide(receivable.type),
      orders.receivables,
      orders.receivableOrders,
    ),
    checkSubledger(
      'advance',
      await net(advance),
      normalSide(advance.type),
      orders.undelivered,
      orders.undeliveredOrders,
    ),
    checkGateway(recon.matched, recon.differences.length, recon.total),
    checkSuspense(suspense),
    checkInvestigations(investigations),
    checkDrift(drift.compared, drift.mismatches),
  ];
  return {
    query: 'close',
    month,
    verdict: closeVerdict(checks),
    checks,
    differences: differenceModels(recon),
  };
}
