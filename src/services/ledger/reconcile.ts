// /ledger reconcile: the month's postings on the gateway account against the payment gateway's own
// records, every difference listed. The month close reuses the reconciliation.
import { gatewayItems, ledgerGatewayItems, listAccounts } from '../../db/ledger/queries.ts';
import type { Tx } from '../../db/pool.ts';
import { monthBounds, type IsoMonth } from '../../domain/dates.ts';
import type { Account } from '../../domain/ledger/accounts.ts';
import type { ReconcileQuery } from '../../domain/ledger/query.ts';
import {
  gatewayKindOf,
  reconcile,
  type Reconciliation,
  type ReconItem,
} from '../../domain/ledger/reconcile.ts';
import { byRole } from './accounts.ts';
import type { DifferenceModel, ReconcileModel } from './models.ts';
import { readLedger, type LedgerContext, type LedgerReadOptions } from './read.ts';

/** The reconciliation of `month` inside an open ledger transaction. Throws UserError `ledger.missing_role`. */
export async function reconciliation(
  tx: Tx,
  accounts: readonly Account[],
  month: IsoMonth,
): Promise<Reconciliation> {
  const { first, next } = monthBounds(month);
  const gateway = byRole(accounts, 'gateway');
  const fee = byRole(accounts, 'gateway_fee');
  const ledger: ReconItem[] = [];
  for (const i of await ledgerGatewayItems(tx, gateway.code, fee.code, first, next)) {
    const kind = gatewayKindOf(i.kind);
    // A posting on the gateway account that no gateway record can answer for is still a difference.
    ledger.push({
      kind: kind ?? 'charge',
      reference: kind ? i.reference : `${i.kind}:${i.reference}`,
      amount: i.amount,
      fee: i.fee,
    });
  }
  return reconcile(ledger, await gatewayItems(tx, first, next));
}

export function differenceModels(r: Reconciliation): DifferenceModel[] {
  return r.differences.map((d) => ({
    kind: d.kind,
    reference: d.reference,
    problem: d.problem,
    ledgerAmount: d.ledger?.amount.toString() ?? null,
    ledgerFee: d.ledger?.fee.toString() ?? null,
    gatewayAmount: d.gateway?.amount.toString() ?? null,
    gatewayFee: d.gateway?.fee.toString() ?? null,
    difference: d.difference.toString(),
  }));
}

/**
 * The ledger against the gateway for `q.month`: matched count, every difference (integer yen),
 * audited as `ledger.reconcile` with the number of differences. Errors: see readLedger.
 */
export function reconcileMonth(
  ctx: LedgerContext,
  actor: string,
  q: ReconcileQuery,
  opts: LedgerReadOptions = {},
): Promise<ReconcileModel> {
  return readLedger(
    ctx,
    actor,
    q,
    async (tx) => {
      const r = await reconciliation(tx, await listAccounts(tx), q.month);
      return {
        query: 'reconcile',
        month: q.month,
        matched: r.matched,
        differences: differenceModels(r),
        total: r.total.toString(),
      };
    },
    (m) => m.differences.length,
    opts,
  );
}
