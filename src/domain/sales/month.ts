// Month arithmetic for /sales on "YYYY-MM" strings. Reading a month as typed (2024/3, last-month)
// is the shared parser's job: src/domain/dates.ts.
import { addMonths, type IsoMonth } from '../dates.ts';

/** A calendar month, always written "YYYY-MM". */
export type Month = IsoMonth;

export { addMonths, parseMonth } from '../dates.ts';

const CANONICAL = /^\d{4}-(0[1-9]|1[0-2])$/;

export function isMonth(text: string): text is Month {
  return CANONICAL.test(text);
}

/** Months since year 0: makes counting months plain integer arithmetic. */
function ordinal(month: Month): number {
  return Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
}

/** How many months from `from` to `to`, both included (0 or less when `to` precedes `from`). */
export function monthCount(from: Month, to: Month): number {
  return ordinal(to) - ordinal(from) + 1;
}

/** Every month from `from` to `to`, both included. */
export function monthsBetween(from: Month, to: Month): Month[] {
  const n = monthCount(from, to);
  return Array.from({ length: Math.max(n, 0) }, (_, i) => addMonths(from, i));
}

/** The first day of a month as an ISO date, e.g. for a `date` column: "2024-03-01". */
export function firstDay(month: Month): string {
  return `${month}-01`;
}
