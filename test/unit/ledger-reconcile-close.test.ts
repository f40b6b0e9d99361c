import { describe, expect, it } from 'vitest';
import {
  checkBalanced,
  checkInvestigations,
  checkSubledger,
  checkSuspense,
  closeVerdict,
} from '../../src/domain/ledger/close.ts';
import { gatewayKindOf, reconcile, type ReconItem } from '../../src/domain/ledger/reconcile.ts';

const item = (kind: ReconItem['kind'], reference: string, amount: bigint, fee = 0n): ReconItem => ({
  kind,
  reference,
  amount,
  fee,
});

describe('reconciliation with the gateway', () => {
  it('matches each charge, refund and deposit by kind and reference', () => {
    const ledger = [
      item('charge', 'ORD-1', 1000n),
      item('refund', 'ORD-1', 1000n),
      item('deposit', 'DEP-1', 5000n, 180n),
    ];
    const gateway = [
      item('deposit', 'DEP-1', 5000n, 180n),
      item('charge', 'ORD-1', 1000n),
      item('refund', 'ORD-1', 1000n),
    ];
    expect(reconcile(ledger, gateway)).toEqual({ matched: 3, differences: [], total: 0n });
  });

  it('finds a charge never posted, a posting the gateway never saw, a wrong amount and a wrong fee', () => {
    const ledger = [
      item('charge', 'ORD-2', 1900n),
      item('charge', 'ORD-3', 500n),
      item('deposit', 'DEP-1', 5007n, 187n),
    ];
    const gateway = [
      item('charge', 'ORD-1', 700n),
      item('charge', 'ORD-2', 1000n),
      item('deposit', 'DEP-1', 5000n, 180n),
    ];
    const r = reconcile(ledger, gateway);
    expect(r.matched).toBe(0);
    expect(r.differences.map((d) => [d.kind, d.reference, d.problem, d.difference])).toEqual([
      ['charge', 'ORD-1', 'missing_in_ledger', -700n],
      ['charge', 'ORD-2', 'amount', 900n],
      ['charge', 'ORD-3', 'missing_in_gateway', 500n],
      ['deposit', 'DEP-1', 'amount', 7n],
    ]);
    expect(r.total).toBe(700n + 900n + 500n + 7n);
  });

  it('reports a fee difference when only the fee differs', () => {
    const r = reconcile([item('deposit', 'DEP-1', 5000n, 181n)], [item('deposit', 'DEP-1', 5000n, 180n)]);
    expect(r.differences).toMatchObject([{ problem: 'fee', difference: 1n }]);
  });

  it('sums several records of one reference before comparing (a refund in two parts)', () => {
    const r = reconcile(
      [item('refund', 'ORD-1', 1000n)],
      [item('refund', 'ORD-1', 400n), item('refund', 'ORD-1', 600n)],
    );
    expect(r).toEqual({ matched: 1, differences: [], total: 0n });
  });

  it('knows which postings the gateway answers for', () => {
    expect(gatewayKindOf('capture')).toBe('charge');
    expect(gatewayKindOf('refund')).toBe('refund');
    expect(gatewayKindOf('deposit')).toBe('deposit');
    expect(gatewayKindOf('purchase')).toBeUndefined();
  });
});

describe('month-close checks', () => {
  it('fail on any unbalanced entry', () => {
    expect(checkBalanced(120, 0).status).toBe('pass');
    expect(checkBalanced(120, 1).status).toBe('fail');
  });

  it('compare a control account with its subledger on the normal side', () => {
    // 前受金 is a liability: a credit balance of ¥5,000 (debits − credits = −5000) equals ¥5,000 of orders.
    expect(checkSubledger('advance', -5000n, 'credit', 5000n, 2)).toEqual({
      id: 'advance',
      status: 'pass',
      evidence: { ledger: '5000', subledger: '5000', difference: '0', open_items: 2 },
    });
    const r = checkSubledger('receivable', 10_990n, 'debit', 10_090n, 3);
    expect(r.status).toBe('fail');
    expect(r.evidence.difference).toBe('900');
  });

  it('fail while anything sits on a suspense account', () => {
    expect(
      checkSuspense([
        { code: '1190', balance: 0n },
        { code: '2190', balance: 0n },
      ]).status,
    ).toBe('pass');
    expect(
      checkSuspense([
        { code: '1190', balance: 0n },
        { code: '2190', balance: -12_345n },
      ]),
    ).toEqual({
      id: 'suspense',
      status: 'fail',
      evidence: { accounts: '2190', total: '12345' },
    });
  });

  it('fail the investigations check while one about money is open, naming each INV-n, and pass when none is', () => {
    expect(checkInvestigations([])).toEqual({
      id: 'investigations',
      status: 'pass',
      evidence: { open: 0, ids: '-' },
    });
    expect(checkInvestigations(['3', '12'])).toEqual({
      id: 'investigations',
      status: 'fail',
      evidence: { open: 2, ids: 'INV-3, INV-12' },
    });
    const many = checkInvestigations(Array.from({ length: 25 }, (_, i) => String(i + 1)));
    expect(many.evidence.open).toBe(25);
    expect(String(many.evidence.ids).split(', ')).toHaveLength(21);
    expect(String(many.evidence.ids).endsWith('INV-20, …')).toBe(true);
    expect(closeVerdict([checkBalanced(1, 0), checkInvestigations(['2'])])).toBe('fail');
    expect(closeVerdict([checkBalanced(1, 0), checkInvestigations([])])).toBe('pass');
  });
});
