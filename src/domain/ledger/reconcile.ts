// Reconciliation of the ledger against the payment gateway for a month. Each side is summed per
// (kind, reference): the gateway's charges against our capture postings, its refunds against our
// refund postings, its deposits (gross and fee) against our deposit postings. Whatever does not
// match exactly is a difference for someone to explain.

export type GatewayKind = 'charge' | 'refund' | 'deposit';

/** One side's figures for one reference, integer yen. */
export interface Figures {
  amount: bigint;
  fee: bigint;
}

export interface ReconItem extends Figures {
  kind: GatewayKind;
  reference: string;
}

export type DifferenceProblem = 'missing_in_ledger' | 'missing_in_gateway' | 'amount' | 'fee';

export interface Difference {
  kind: GatewayKind;
  reference: string;
  problem: DifferenceProblem;
  ledger?: Figures;
  gateway?: Figures;
  /** Ledger − gateway, on the amount (or the fee, for a fee difference). */
  difference: bigint;
}

export interface Reconciliation {
  matched: number;
  differences: Difference[];
  /** Sum of the absolute differences, a rough size of what is left to explain. */
  total: bigint;
}

/** Which gateway record a posting kind answers for; undefined for postings that have none. */
export function gatewayKindOf(entryKind: string): GatewayKind | undefined {
  switch (entryKind) {
    case 'capture':
      return 'charge';
    case 'refund':
      return 'refund';
    case 'deposit':
      return 'deposit';
    default:
      return undefined;
  }
}

const keyOf = (i: { kind: string; reference: string }) => `${i.kind}\u0000${i.reference}`;

function sum(items: readonly ReconItem[]): Map<string, ReconItem> {
  const m = new Map<string, ReconItem>();
  for (const i of items) {
    const k = keyOf(i);
    const prev = m.get(k);
    m.set(k, prev ? { ...prev, amount: prev.amount + i.amount, fee: prev.fee + i.fee } : { ...i });
  }
  return m;
}

const abs = (v: bigint) => (v < 0n ? -v : v);

export function reconcile(ledger: readonly ReconItem[], gateway: readonly ReconItem[]): Reconciliation {
  const l = sum(ledger);
  const g = sum(gateway);
  const differences: Difference[] = [];
  let matched = 0;
  for (const [k, li] of l) {
    const gi = g.get(k);
    const figures = { amount: li.amount, fee: li.fee };
    if (!gi) {
      differences.push({
        kind: li.kind,
        reference: li.reference,
        problem: 'missing_in_gateway',
        ledger: figures,
        difference: li.amount,
      });
      continue;
    }
    const gf = { amount: gi.amount, fee: gi.fee };
    if (li.amount !== gi.amount)
      differences.push({
        kind: li.kind,
        reference: li.reference,
        problem: 'amount',
        ledger: figures,
        gateway: gf,
        difference: li.amount - gi.amount,
      });
    else if (li.fee !== gi.fee)
      differences.push({
        kind: li.kind,
        reference: li.reference,
        problem: 'fee',
        ledger: figures,
        gateway: gf,
        difference: li.fee - gi.fee,
      });
    else matched++;
  }
  for (const [k, gi] of g) {
    if (l.has(k)) continue;
    differences.push({
      kind: gi.kind,
      reference: gi.reference,
      problem: 'missing_in_ledger',
      gateway: { amount: gi.amount, fee: gi.fee },
      difference: -gi.amount,
    });
  }
  differences.sort((a, b) => a.kind.localeCompare(b.kind) || a.reference.localeCompare(b.reference));
  const total = differences.reduce((s, d) => s + abs(d.difference), 0n);
  return { matched, differences, total };
}
