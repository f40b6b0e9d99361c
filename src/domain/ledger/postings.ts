// How the marketplace's business events become journal entries (the demo generator in
// src/db/demo/ledger.ts follows the same rules in SQL). Each function returns a balanced draft;
// the database refuses anything else.
import { businessDate, type IsoDate } from '../dates.ts';

export interface Line {
  account: string;
  debit: bigint;
  credit: bigint;
}

export interface EntryDraft {
  /** The business date (JST) of the event: the month an entry belongs to. */
  accountingDate: IsoDate;
  postedAt: Date;
  kind: string;
  reference: string;
  memo?: string;
  lines: Line[];
}

/** Account codes by the part they play; the demo chart of accounts by default. */
export interface Chart {
  bank: string;
  receivable: string;
  gateway: string;
  sellerAdvance: string;
  sellerPayable: string;
  advance: string;
  feeRevenue: string;
  gatewayFee: string;
}

export const DEMO_CHART: Chart = {
  bank: '1110',
  receivable: '1130',
  gateway: '1140',
  sellerAdvance: '1150',
  sellerPayable: '2110',
  advance: '2120',
  feeRevenue: '4110',
  gatewayFee: '5110',
};

export interface Order {
  id: string;
  /** What the buyer pays, integer yen. */
  amount: bigint;
  /** The platform's fee, part of the amount. */
  platformFee: bigint;
}

const dr = (account: string, amount: bigint): Line => ({ account, debit: amount, credit: 0n });
const cr = (account: string, amount: bigint): Line => ({ account, debit: 0n, credit: amount });

function draft(kind: string, reference: string, at: Date, timeZone: string, lines: Line[]): EntryDraft {
  return {
    accountingDate: businessDate(at, timeZone),
    postedAt: at,
    kind,
    reference,
    lines: lines.filter(nonZero),
  };
}

function nonZero(l: Line): boolean {
  return l.debit !== 0n || l.credit !== 0n;
}

/** Sum of debits − sum of credits. */
export function net(lines: readonly Line[]): bigint {
  return lines.reduce((s, l) => s + l.debit - l.credit, 0n);
}

/** Balanced: two lines or more, each on one side with a positive amount, debits equal credits. */
export function isBalanced(lines: readonly Line[]): boolean {
  if (lines.length < 2) return false;
  const sided = lines.every((l) => l.debit >= 0n && l.credit >= 0n && (l.debit === 0n) !== (l.credit === 0n));
  return sided && net(lines) === 0n;
}

/** The buyer ordered: the buyer owes the amount, and it is owed back until the item is delivered. */
export function purchase(o: Order, at: Date, tz: string, c: Chart = DEMO_CHART): EntryDraft {
  return draft('purchase', o.id, at, tz, [dr(c.receivable, o.amount), cr(c.advance, o.amount)]);
}

/** The gateway charged the buyer: the receivable moves to the gateway until it deposits. */
export function capture(o: Order, at: Date, tz: string, c: Chart = DEMO_CHART): EntryDraft {
  return draft('capture', o.id, at, tz, [dr(c.gateway, o.amount), cr(c.receivable, o.amount)]);
}

/** Delivered and accepted: the advance becomes the platform's fee revenue and the seller's share. */
export function completion(o: Order, at: Date, tz: string, c: Chart = DEMO_CHART): EntryDraft {
  return draft('completion', o.id, at, tz, [
    dr(c.advance, o.amount),
    cr(c.feeRevenue, o.platformFee),
    cr(c.sellerPayable, o.amount - o.platformFee),
  ]);
}

/**
 * The mirror of an entry, dated when the reversal happens: a March purchase cancelled on April 2nd
 * stays in March, and its reversal belongs to April.
 */
export function reversal(original: EntryDraft, kind: string, at: Date, tz: string): EntryDraft {
  const lines = original.lines.map((l) => ({ account: l.account, debit: l.credit, credit: l.debit }));
  return draft(kind, original.reference, at, tz, lines);
}

/**
 * Cancelled before completion: the purchase is reversed; when the gateway had already charged,
 * the capture is reversed too, as a refund.
 */
export function cancellation(
  o: Order,
  captured: boolean,
  at: Date,
  tz: string,
  c: Chart = DEMO_CHART,
): EntryDraft[] {
  const out = [reversal(purchase(o, at, tz, c), 'cancellation', at, tz)];
  if (captured) out.push(reversal(capture(o, at, tz, c), 'refund', at, tz));
  return out;
}

/**
 * Refunded after completion: the fee revenue is given back, and the seller's share comes off what
 * we owe the seller; once the seller has been paid out, it is an advance to recover from the seller.
 */
export function refundAfterCompletion(
  o: Order,
  paidOut: boolean,
  at: Date,
  tz: string,
  c: Chart = DEMO_CHART,
): EntryDraft {
  return draft('refund', o.id, at, tz, [
    dr(c.feeRevenue, o.platformFee),
    dr(paidOut ? c.sellerAdvance : c.sellerPayable, o.amount - o.platformFee),
    cr(c.gateway, o.amount),
  ]);
}

/** A refund counts as after the payout when it happens on or after the payout day. */
export function isAfterPayout(refundedOn: IsoDate, paidOn: IsoDate | null): boolean {
  return paidOn !== null && refundedOn >= paidOn;
}

/** What we owed a seller leaves the bank. */
export function payout(id: string, amount: bigint, at: Date, tz: string, c: Chart = DEMO_CHART): EntryDraft {
  return draft('payout', id, at, tz, [dr(c.sellerPayable, amount), cr(c.bank, amount)]);
}

/** The gateway settles: the bank receives gross less the gateway's fee. */
export function deposit(
  id: string,
  gross: bigint,
  fee: bigint,
  at: Date,
  tz: string,
  c: Chart = DEMO_CHART,
): EntryDraft {
  return draft('deposit', id, at, tz, [dr(c.bank, gross - fee), dr(c.gatewayFee, fee), cr(c.gateway, gross)]);
}
