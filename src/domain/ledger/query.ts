// The grammar of /ledger, read into a query or a problem (a catalogue key for the usage error).
//   balance <account> [<date>]      entries <reference>          trial <YYYY-MM | date>
//   account <account> <from> <to>   reconcile <YYYY-MM>          close <YYYY-MM>
// `account` is the account ledger (元帳: one account's lines); `journal`, its name until the
// journal (仕訳帳) and the account ledger were told apart, is kept as an alias.
// Account names may contain spaces ("1130 売掛金", "Accounts receivable"): the dates are read
// from the end of the arguments, the rest is the account.
import { readCommandText, type Word } from '../command-text.ts';
import {
  isDateShaped,
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
  /** The account ledger (元帳): one account's lines between two dates. */
  | { kind: 'account'; account: string; from: IsoDate; to: IsoDate }
  | { kind: 'reconcile'; month: IsoMonth }
  | { kind: 'close'; month: IsoMonth };

/** Each question's own query, the argument of its service. */
export type BalanceQuery = Extract<LedgerQuery, { kind: 'balance' }>;
export type EntriesQuery = Extract<LedgerQuery, { kind: 'entries' }>;
export type TrialQuery = Extract<LedgerQuery, { kind: 'trial' }>;
export type AccountQuery = Extract<LedgerQuery, { kind: 'account' }>;
export type ReconcileQuery = Extract<LedgerQuery, { kind: 'reconcile' }>;
export type CloseQuery = Extract<LedgerQuery, { kind: 'close' }>;

export interface QueryProblem {
  problem: string;
  params?: Record<string, string>;
}

export const SUBCOMMANDS = ['balance', 'entries', 'trial', 'account', 'reconcile', 'close'] as const;

/** Other words for a subcommand: `journal` was the account ledger's first name. */
const ALIASES = new Map<string, (typeof SUBCOMMANDS)[number]>([['journal', 'account']]);

export function isProblem(q: LedgerQuery | QueryProblem): q is QueryProblem {
  return 'problem' in q;
}

function monthArg(sub: string, args: Word[], today: IsoDate): IsoMonth | QueryProblem {
  if (args.length !== 1) return { problem: `ledger.usage.${sub}` };
  return parseMonth(args[0]!.text, today) ?? badMonth(args[0]!);
}

// A problem echoes the word as the person typed it.
const badDate = (w: Word): QueryProblem => ({ problem: 'error.bad_date', params: { value: w.raw } });
const badMonth = (w: Word): QueryProblem => ({ problem: 'error.bad_month', params: { value: w.raw } });
const joined = (ws: Word[]) => ws.map((w) => w.text).join(' ');

/**
 * Reads the text after `/ledger` (words in NFKC: full-width input reads as half-width). Dates
 * outside DATE_RANGE, and date-shaped words that name no day, are a bad date. Never throws.
 */
export function parseLedgerQuery(text: string, today: IsoDate): LedgerQuery | QueryProblem {
  const [first, ...args] = readCommandText(text).words;
  const sub = first === undefined ? undefined : (ALIASES.get(first.keyword) ?? first.keyword);
  switch (sub) {
    case undefined:
      return { problem: 'ledger.usage.missing' };
    case 'balance': {
      if (args.length === 0) return { problem: 'ledger.usage.balance' };
      const lastWord = args.length > 1 ? args[args.length - 1]! : undefined;
      const last = lastWord === undefined ? undefined : parseDate(lastWord.text, today);
      if (last) return { kind: 'balance', account: joined(args.slice(0, -1)), date: last };
      if (lastWord !== undefined && isDateShaped(lastWord.text)) return badDate(lastWord);
      return { kind: 'balance', account: joined(args), date: today };
    }
    case 'entries':
      if (args.length !== 1) return { problem: 'ledger.usage.entries' };
      return { kind: 'entries', reference: args[0]!.text };
    case 'trial': {
      if (args.length !== 1) return { problem: 'ledger.usage.trial' };
      const arg = args[0]!;
      const date = parseDate(arg.text, today);
      if (date) return { kind: 'trial', month: monthOf(date), through: date };
      const month = parseMonth(arg.text, today);
      if (month) return { kind: 'trial', month, through: monthBounds(month).last };
      // Three parts (2024-02-30) were meant as a day; anything else as a month.
      return /^\d+[-/.]\d+[-/.]\d+$|日$/.test(arg.text) ? badDate(arg) : badMonth(arg);
    }
    case 'account': {
      if (args.length < 3) return { problem: 'ledger.usage.account' };
      const [fromWord, toWord] = args.slice(-2) as [Word, Word];
      const from = parseDate(fromWord.text, today);
      if (!from) return badDate(fromWord);
      const to = parseDate(toWord.text, today);
      if (!to) return badDate(toWord);
      if (from > to) return { problem: 'ledger.usage.range_order', params: { from, to } };
      return { kind: 'account', account: joined(args.slice(0, -2)), from, to };
    }
    case 'reconcile':
    case 'close': {
      const month = monthArg(sub, args, today);
      return typeof month === 'string' ? { kind: sub, month } : month;
    }
    default:
      return { problem: 'ledger.usage.unknown_subcommand', params: { sub: first!.raw } };
  }
}
