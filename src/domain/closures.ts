// The company's own closure days (年末年始, お盆休み), from toban.yml `closures`, laid over the
// Japanese business calendar: a business day is a weekday that is neither a national holiday nor a
// closure day. Pure: the days come with the call.
//
// An entry is one day or an inclusive range, either every year or once:
//   "12-31"             every 31 December
//   "12-29..01-03"      every year from 29 December to 3 January (a range may run over the new year)
//   "2026-08-14"        once
//   "2026-08-13..2026-08-17"  once, both ends included
import { isBusinessDay as isJapaneseBusinessDay } from './business-days.ts';
import type { BusinessDayPredicate } from './rotation.ts';

export type Closure =
  /** Every year: month-day bounds "MM-DD", both included; `from` after `to` runs over the new year. */
  | { yearly: true; from: string; to: string }
  /** Once: ISO dates "YYYY-MM-DD", both included, `from` ≤ `to`. */
  | { yearly: false; from: string; to: string };

const MONTH_DAY = /^(\d{2})-(\d{2})$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isMonthDay(text: string): boolean {
  const m = MONTH_DAY.exec(text);
  if (!m) return false;
  const month = Number(m[1]);
  const day = Number(m[2]);
  return month >= 1 && month <= 12 && day >= 1 && day <= DAYS_IN_MONTH[month - 1]!;
}

function isDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

export const CLOSURE_FORM =
  'expected "MM-DD" or "MM-DD..MM-DD" (every year), or "YYYY-MM-DD" or "YYYY-MM-DD..YYYY-MM-DD" (once)';

/** One toban.yml closure entry read, or a sentence saying what is wrong with it. */
export function parseClosure(text: string): Closure | { error: string } {
  const [from = '', to = from, ...extra] = text.trim().split('..');
  if (extra.length > 0) return { error: `${CLOSURE_FORM}, got "${text}"` };
  if (isMonthDay(from) && isMonthDay(to)) return { yearly: true, from, to };
  if (isDate(from) && isDate(to)) {
    if (to < from) return { error: `"${text}" ends before it begins` };
    return { yearly: false, from, to };
  }
  return { error: `${CLOSURE_FORM}, got "${text}"` };
}

/** Whether the calendar day `isoDate` (YYYY-MM-DD) is one of the closures. */
export function isClosed(closures: readonly Closure[], isoDate: string): boolean {
  const md = isoDate.slice(5);
  return closures.some((c) => {
    if (!c.yearly) return c.from <= isoDate && isoDate <= c.to;
    return c.from <= c.to ? c.from <= md && md <= c.to : md >= c.from || md <= c.to;
  });
}

// One predicate per closure list, so the rotation walks kept per predicate (rotation.ts) are kept.
const predicates = new WeakMap<readonly Closure[], BusinessDayPredicate>();

/**
 * The business-day predicate of a company: Monday to Friday, not a Japanese national holiday, not
 * a closure day. The same list (by identity) gives the same function.
 */
export function businessDays(closures: readonly Closure[]): BusinessDayPredicate {
  let p = predicates.get(closures);
  if (!p) {
    p = (iso) => isJapaneseBusinessDay(iso) && !isClosed(closures, iso);
    predicates.set(closures, p);
  }
  return p;
}
