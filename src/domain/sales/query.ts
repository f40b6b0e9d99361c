// The grammar of /sales and its range rules, as a pure function of the typed text and today's date.
//   /sales month <YYYY-MM> [by project|customer|department]
//   /sales forecast <YYYY-MM> <YYYY-MM>
import { readCommandText, type Word } from '../command-text.ts';
import { GROUP_BYS, type GroupBy } from './figures.ts';
import { monthCount, parseMonth, type Month } from './month.ts';

/** A forecast range longer than this is refused: the answer would no longer fit a message or a chart. */
export const MAX_RANGE_MONTHS = 24;

/** A month without `by` is broken down by department, the way the monthly close reads it. */
export const DEFAULT_GROUP_BY: GroupBy = 'department';

export type SalesQuery =
  { kind: 'month'; month: Month; groupBy: GroupBy } | { kind: 'forecast'; from: Month; to: Month };

/** A rejected text: the catalogue key (sales.usage.*) of the reason and its parameters. */
export interface SalesQueryProblem {
  key: string;
  params: Record<string, string | number>;
}

export type ParsedSalesQuery = { ok: true; query: SalesQuery } | ({ ok: false } & SalesQueryProblem);

// Maps, not object literals: a word such as `constructor` must not find Object.prototype's members.
const SUBCOMMANDS = new Map<string, SalesQuery['kind']>(
  Object.entries({
    month: 'month',
    月次: 'month',
    forecast: 'forecast',
    予実: 'forecast',
  }),
);

const GROUP_ALIASES = new Map<string, GroupBy>(
  Object.entries({
    project: 'project',
    projects: 'project',
    案件: 'project',
    プロジェクト: 'project',
    customer: 'customer',
    customers: 'customer',
    顧客: 'customer',
    取引先: 'customer',
    department: 'department',
    departments: 'department',
    部門: 'department',
    部署: 'department',
  }),
);

function problem(key: string, params: Record<string, string | number> = {}): ParsedSalesQuery {
  return { ok: false, key, params };
}

/** Checks a forecast range: the end may not precede the start, and at most MAX_RANGE_MONTHS months. */
export function checkRange(from: Month, to: Month): SalesQueryProblem | undefined {
  const months = monthCount(from, to);
  if (months < 1) return { key: 'sales.usage.range_order', params: { from, to } };
  if (months > MAX_RANGE_MONTHS)
    return { key: 'sales.usage.range_too_long', params: { from, to, months, max: MAX_RANGE_MONTHS } };
  return undefined;
}

function parseMonthArg(word: Word | undefined, today: string): Month | ParsedSalesQuery {
  if (word === undefined) return problem('sales.usage.missing_month');
  return parseMonth(word.text, today) ?? problem('sales.usage.bad_month', { value: word.raw });
}

function parseGroupBy(args: Word[]): GroupBy | ParsedSalesQuery {
  if (args.length === 0) return DEFAULT_GROUP_BY;
  const [first, second, ...rest] = args;
  const hasBy = first?.keyword === 'by' || first?.keyword === '別';
  const word = hasBy ? second : first;
  const extra = hasBy ? rest : [second, ...rest].filter((a) => a !== undefined);
  if (word === undefined) return problem('sales.usage.bad_group', { value: '', groups: GROUP_BYS.join('|') });
  const groupBy = GROUP_ALIASES.get(word.keyword);
  if (!groupBy) return problem('sales.usage.bad_group', { value: word.raw, groups: GROUP_BYS.join('|') });
  if (extra.length > 0) return problem('sales.usage.extra', { value: extra.map((w) => w.raw).join(' ') });
  return groupBy;
}

/**
 * Reads the text after `/sales` (words in NFKC, keywords in any case: `ｍｏｎｔｈ` is `month`).
 * A word it cannot read is echoed as typed. Never throws.
 */
export function parseSalesQuery(text: string, today: string): ParsedSalesQuery {
  const [sub, ...args] = readCommandText(text).words;
  if (sub === undefined) return problem('sales.usage.missing_subcommand');
  const kind = SUBCOMMANDS.get(sub.keyword);
  if (!kind) return problem('sales.usage.bad_subcommand', { value: sub.raw });

  if (kind === 'month') {
    const month = parseMonthArg(args[0], today);
    if (typeof month !== 'string') return month;
    const groupBy = parseGroupBy(args.slice(1));
    if (typeof groupBy !== 'string') return groupBy;
    return { ok: true, query: { kind, month, groupBy } };
  }

  const from = parseMonthArg(args[0], today);
  if (typeof from !== 'string') return from;
  // One month is a range of one: "/sales forecast 2024-03".
  const to = args[1] === undefined ? from : parseMonthArg(args[1], today);
  if (typeof to !== 'string') return to;
  if (args.length > 2)
    return problem('sales.usage.extra', {
      value: args
        .slice(2)
        .map((w) => w.raw)
        .join(' '),
    });
  const bad = checkRange(from, to);
  if (bad) return { ok: false, ...bad };
  return { ok: true, query: { kind, from, to } };
}
