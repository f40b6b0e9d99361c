// The grammar of /ledger, read into a query or a problem (a catalogue key for the usage error).
//   balance <account> [<date>]      entries <reference>          trial <YYYY-MM | date>
//   journal <account> <from> <to>   reconcile <YYYY-MM>          close <YYYY-MM>
// Account names may contain spaces ("1130 売掛金", "Accounts receivable"): the dates are read
// from the end of the arguments, the rest is the account.
import {
  isIsoDate,
  monthBounds,
  monthOf,
  parseDate,
  parseMonth,
  type IsoDate,
  type IsoMonth,
} from '../dates.ts';

export type LedgerQuery =
  | { kind: 'balance'; account: string; date: IsoDate }
  | { kind: 'entries'; reference: string }
  /** A month's trial balance, through its last day or through a date inside it. */
  | { kind: 'trial'; month: IsoMonth; through: IsoDate }
  | { kind: 'journal'; account: string; from: IsoDate; to: IsoDate }
  | { kind: 'reconcile'; month: IsoMonth }
  | { kind: 'close'; month: IsoMonth };

export interface QueryProblem {
  problem: string;
  params?: Record<string, string>;
}

export const SUBCOMMANDS = ['balance', 'entries', 'trial', 'journal', 'reconcile', 'close'] as const;

export function isProblem(q: LedgerQuery | QueryProblem): q is QueryProblem {
  return 'problem' in q;
}

/** A token meant as a date even when it is not a valid one (2024-02-30). */
const DATE_SHAPED = /^\d{4}[-/.年]\d/;

function tokens(text: string): string[] {
  return text.normalize('NFKC').trim().split(/\s+/).filter(Boolean);
}

function monthArg(sub: string, args: string[], today: IsoDate): IsoMonth | QueryProblem {
  if (args.length !== 1) return { problem: `ledger.usage.${sub}` };
  return parseMonth(args[0]!, today) ?? { problem: 'error.bad_month', params: { value: args[0]! } };
}

export function parseLedgerQuery(text: string, today: IsoDate): LedgerQuery | QueryProblem {
  const [first, ...args] = tokens(text);
  const sub = first?.toLowerCase();
  switch (sub) {
    case undefined:
      return { problem: 'ledger.usage.missing' };
    case 'balance': {
      if (args.length === 0) return { problem: 'ledger.usage.balance' };
      const lastText = args.length > 1 ? args[args.length - 1]! : undefined;
      const last = lastText === undefined ? undefined : parseDate(lastText, today);
      if (last) return { kind: 'balance', account: args.slice(0, -1).join(' '), date: last };
      if (lastText !== undefined && DATE_SHAPED.test(lastText))
        return { problem: 'error.bad_date', params: { value: lastText } };
      return { kind: 'balance', account: args.join(' '), date: today };
    }
    case 'entries':
      if (args.length !== 1) return { problem: 'ledger.usage.entries' };
      return { kind: 'entries', reference: args[0]! };
    case 'trial': {
      if (args.length !== 1) return { problem: 'ledger.usage.trial' };
      const date = parseDate(args[0]!, today);
      if (date && isIsoDate(date)) return { kind: 'trial', month: monthOf(date), through: date };
      const month = parseMonth(args[0]!, today);
      if (!month) return { problem: 'error.bad_month', params: { value: args[0]! } };
      return { kind: 'trial', month, through: monthBounds(month).last };
    }
    case 'journal': {
      if (args.length < 3) return { problem: 'ledger.usage.journal' };
      const [fromText, toText] = args.slice(-2) as [string, string];
      const from = parseDate(fromText, today);
      if (!from) return { problem: 'error.bad_date', params: { value: fromText } };
      const to = parseDate(toText, today);
      if (!to) return { problem: 'error.bad_date', params: { value: toText } };
      if (from > to) return { problem: 'ledger.usage.range_order', params: { from, to } };
      return { kind: 'journal', account: args.slice(0, -2).join(' '), from, to };
    }
    case 'reconcile':
    case 'close': {
      const month = monthArg(sub, args, today);
      return typeof month === 'string' ? { kind: sub, month } : month;
    }
    default:
      return { problem: 'ledger.usage.unknown_subcommand', params: { sub: first! } };
  }
}
