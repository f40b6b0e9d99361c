import { describe, expect, it } from 'vitest';
import {
  cancellation,
  capture,
  completion,
  deposit,
  isAfterPayout,
  isBalanced,
  net,
  payout,
  purchase,
  refundAfterCompletion,
  reversal,
  type EntryDraft,
} from '../../src/domain/ledger/postings.ts';

const tz = 'Asia/Tokyo';
const order = { id: 'ORD-1', amount: 12_000n, platformFee: 1_200n };
const at = (iso: string) => new Date(iso);

/** Balance per account of some entries (debits − credits). */
function balances(entries: EntryDraft[]): Record<string, bigint> {
  const out: Record<string, bigint> = {};
  for (const e of entries)
    for (const l of e.lines) out[l.account] = (out[l.account] ?? 0n) + l.debit - l.credit;
  for (const k of Object.keys(out)) if (out[k] === 0n) delete out[k];
  return out;
}

describe('posting rules', () => {
  it('balance every entry they make', () => {
    const all = [
      purchase(order, at('2024-03-01T01:00:00Z'), tz),
      capture(order, at('2024-03-01T01:05:00Z'), tz),
      completion(order, at('2024-03-05T01:00:00Z'), tz),
      refundAfterCompletion(order, true, at('2024-03-20T01:00:00Z'), tz),
      ...cancellation(order, true, at('2024-03-02T01:00:00Z'), tz),
      payout('PO-1', 10_800n, at('2024-03-20T06:00:00Z'), tz),
      deposit('DEP-1', 12_000n, 432n, at('2024-03-08T02:00:00Z'), tz),
    ];
    for (const e of all) expect(isBalanced(e.lines), e.kind).toBe(true);
  });

  it('moves a completed order from 前受金 to 売上高 (the fee) and 未払金 (the seller share)', () => {
    const entries = [
      purchase(order, at('2024-03-01T01:00:00Z'), tz),
      capture(order, at('2024-03-01T01:05:00Z'), tz),
      completion(order, at('2024-03-05T01:00:00Z'), tz),
    ];
    expect(balances(entries)).toEqual({ '1140': 12_000n, '4110': -1_200n, '2110': -10_800n });
  });

  it('dates an entry by the JST business day: 00:30 JST on April 1 is April', () => {
    const e = purchase(order, at('2024-03-31T15:30:00Z'), tz);
    expect(e.accountingDate).toBe('2024-04-01');
    expect(purchase(order, at('2024-03-31T14:59:59Z'), tz).accountingDate).toBe('2024-03-31');
  });

  it('refuses unbalanced, one-sided or one-line entries', () => {
    expect(isBalanced([{ account: '1130', debit: 1n, credit: 0n }])).toBe(false);
    expect(
      isBalanced([
        { account: '1130', debit: 1n, credit: 0n },
        { account: '2120', debit: 0n, credit: 2n },
      ]),
    ).toBe(false);
    expect(
      isBalanced([
        { account: '1130', debit: 1n, credit: 1n },
        { account: '2120', debit: 0n, credit: 0n },
      ]),
    ).toBe(false);
  });
});

describe('reversals', () => {
  it('mirror the original line by line and net it to zero', () => {
    const p = purchase(order, at('2024-03-31T10:00:00Z'), tz);
    const r = reversal(p, 'cancellation', at('2024-04-02T01:00:00Z'), tz);
    expect(r.lines).toEqual([
      { account: '1130', debit: 0n, credit: 12_000n },
      { account: '2120', debit: 12_000n, credit: 0n },
    ]);
    expect(net([...p.lines, ...r.lines])).toBe(0n);
    expect(balances([p, r])).toEqual({});
  });

  it('stay in the month they happen: a March purchase cancelled on April 1 JST leaves March untouched', () => {
    const p = purchase(order, at('2024-03-31T14:00:00Z'), tz); // 23:00 JST, March 31
    const [c] = cancellation(order, false, at('2024-03-31T15:10:00Z'), tz); // 00:10 JST, April 1
    expect(p.accountingDate).toBe('2024-03-31');
    expect(c!.accountingDate).toBe('2024-04-01');
    const march = [p, c!].filter((e) => e.accountingDate <= '2024-03-31');
    expect(balances(march)).toEqual({ '1130': 12_000n, '2120': -12_000n });
    expect(balances([p, c!])).toEqual({});
  });

  it('also reverse the capture when the buyer had been charged, leaving a refund due from the gateway', () => {
    const entries = [
      purchase(order, at('2024-03-01T01:00:00Z'), tz),
      capture(order, at('2024-03-01T01:05:00Z'), tz),
      ...cancellation(order, true, at('2024-03-03T01:00:00Z'), tz),
    ];
    expect(entries.map((e) => e.kind)).toEqual(['purchase', 'capture', 'cancellation', 'refund']);
    expect(balances(entries)).toEqual({});
  });
});

describe('refunds after completion', () => {
  const done = [
    purchase(order, at('2024-03-01T01:00:00Z'), tz),
    capture(order, at('2024-03-01T01:05:00Z'), tz),
    completion(order, at('2024-03-05T01:00:00Z'), tz),
  ];

  it('before the payout, take the seller share off what we owe the seller', () => {
    const r = refundAfterCompletion(order, false, at('2024-03-10T01:00:00Z'), tz);
    expect(balances([...done, r])).toEqual({});
  });

  it('after the payout, leave the seller share as an advance to recover from the seller', () => {
    const paid = payout('PO-1', 10_800n, at('2024-03-20T06:00:00Z'), tz);
    const r = refundAfterCompletion(order, true, at('2024-03-25T01:00:00Z'), tz);
    expect(balances([...done, paid, r])).toEqual({ '1110': -10_800n, '1150': 10_800n });
  });

  it('count a refund on the payout day as after it', () => {
    expect(isAfterPayout('2024-03-20', '2024-03-20')).toBe(true);
    expect(isAfterPayout('2024-03-19', '2024-03-20')).toBe(false);
    expect(isAfterPayout('2024-03-25', null)).toBe(false);
  });
});
