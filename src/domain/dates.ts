// Dates and months as people type them in commands, and the business date of an instant.
// Pure: "today" is always an argument (the caller reads the clock), so every rule is testable.
//
// Dates:  2024-03-31, 2024/3/31, 20240331, 2024年3月31日, today, yesterday, last-month-end (今日, 昨日, 先月末)
// Months: 2024-03, 2024/3, 2024年3月, this-month, last-month (今月, 先月)
// Full-width digits and signs (２０２４／３／３１) read as their half-width forms (NFKC).
// Only dates inside DATE_RANGE are read; anything else is "not a date" to every command.
import { DateTime } from 'luxon';

/** An ISO calendar date, "2024-03-31". */
export type IsoDate = string;
/** A calendar month, "2024-03". */
export type IsoMonth = string;

/**
 * The dates toban reads, both ends included. The month after the last day (3000-01-01, the
 * half-open end of a range) still has a four-digit year, so ISO strings keep sorting as dates and
 * every bound a query computes is itself a valid date. Generous for a ledger, yet finite.
 */
export const DATE_RANGE = { first: '1900-01-01', last: '2999-12-31' } as const;
const FIRST_YEAR = 1900;
const LAST_YEAR = 2999;

const DATE =
  /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$|^(\d{4})年(\d{1,2})月(\d{1,2})日$|^(\d{4})(\d{2})(\d{2})$/;
const MONTH = /^(\d{4})[-/.](\d{1,2})$|^(\d{4})年(\d{1,2})月$/;
/**
 * Text written as a date or a month, whatever its digits (99999-01-01, 2024-02-30, 2024/13,
 * 20240231), with a sign or a time after it (-2024-01-01, 2024-01-01T10:00): never an account name.
 */
const DATE_SHAPED = /^[-+]?\d+(?:[-/.]\d+){1,2}(?:t[\d:.+-]*z?)?$|^\d{8}$|^\d+年(?:\d+月(?:\d+日)?)?$/;

function normalise(text: string): string {
  return text.normalize('NFKC').trim().toLowerCase();
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Why a year-month-day is not a date toban reads: no such day, or outside DATE_RANGE. */
export type CalendarProblem = 'no_such_day' | 'out_of_range';

/** The ISO date of a year, month and day, or why there is none. */
export function calendarDate(year: number, month: number, day: number): IsoDate | CalendarProblem {
  if (!DateTime.utc(year, month, day).isValid || month < 1 || day < 1) return 'no_such_day';
  if (year < FIRST_YEAR || year > LAST_YEAR) return 'out_of_range';
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

function isoDate(year: number, month: number, day: number): IsoDate | undefined {
  const d = calendarDate(year, month, day);
  return d === 'no_such_day' || d === 'out_of_range' ? undefined : d;
}

/**
 * Whether a token is written as a date or a month, even one that does not exist or lies outside
 * DATE_RANGE: a grammar uses it to answer "bad date" rather than read the token as a name.
 */
export function isDateShaped(text: string): boolean {
  return DATE_SHAPED.test(normalise(text));
}

const inRange = (date: IsoDate | undefined): IsoDate | undefined =>
  date !== undefined && date >= DATE_RANGE.first && date <= DATE_RANGE.last ? date : undefined;

/**
 * Reads a date; undefined when the text is not one, names a day that does not exist, or lies
 * outside DATE_RANGE (a relative word too: yesterday of 1900-01-01 is not read).
 */
export function parseDate(text: string, today: IsoDate): IsoDate | undefined {
  return inRange(readDate(text, today));
}

function readDate(text: string, today: IsoDate): IsoDate | undefined {
  const word = normalise(text);
  switch (word) {
    case 'today':
    case '今日':
    case '本日':
      return today;
    case 'yesterday':
    case '昨日':
      return addDays(today, -1);
    case 'last-month-end':
    case '先月末':
      return addDays(`${monthOf(today)}-01`, -1);
  }
  const m = DATE.exec(word);
  if (!m) return undefined;
  const [y, mo, d] = m[1] ? [m[1], m[2], m[3]] : m[4] ? [m[4], m[5], m[6]] : [m[7], m[8], m[9]];
  return isoDate(Number(y), Number(mo), Number(d));
}

/** Reads a month; undefined when the text is not one or lies outside DATE_RANGE. */
export function parseMonth(text: string, today: IsoDate): IsoMonth | undefined {
  const month = readMonth(text, today);
  return month !== undefined && inRange(`${month}-01`) ? month : undefined;
}

function readMonth(text: string, today: IsoDate): IsoMonth | undefined {
  const word = normalise(text);
  switch (word) {
    case 'this-month':
    case '今月':
      return monthOf(today);
    case 'last-month':
    case '先月':
      return addMonths(monthOf(today), -1);
  }
  const m = MONTH.exec(word);
  if (!m) return undefined;
  const [y, mo] = m[1] ? [Number(m[1]), Number(m[2])] : [Number(m[3]), Number(m[4])];
  if (mo < 1 || mo > 12 || y < FIRST_YEAR || y > LAST_YEAR) return undefined;
  return `${pad(y, 4)}-${pad(mo)}`;
}

/** Whether the text is an ISO date (YYYY-MM-DD) of a real day inside DATE_RANGE. */
export function isIsoDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  return !!m && isoDate(Number(m[1]), Number(m[2]), Number(m[3])) === text;
}

export function monthOf(date: IsoDate): IsoMonth {
  return date.slice(0, 7);
}

export function addDays(date: IsoDate, n: number): IsoDate {
  return DateTime.fromISO(date, { zone: 'utc' }).plus({ days: n }).toISODate()!;
}

export function addMonths(month: IsoMonth, n: number): IsoMonth {
  return DateTime.fromISO(`${month}-01`, { zone: 'utc' }).plus({ months: n }).toFormat('yyyy-MM');
}

export interface MonthBounds {
  month: IsoMonth;
  /** The first day, "2024-03-01". */
  first: IsoDate;
  /** The last day, "2024-03-31". */
  last: IsoDate;
  /** The first day of the next month: half-open ranges [first, next). */
  next: IsoDate;
}

export function monthBounds(month: IsoMonth): MonthBounds {
  const first = `${month}-01`;
  const next = `${addMonths(month, 1)}-01`;
  return { month, first, last: addDays(next, -1), next };
}

/**
 * The business date of an instant in a time zone: in Japan a month ends at JST midnight, so
 * 2024-03-31T15:00Z is already April 1st.
 */
export function businessDate(instant: Date, timeZone: string): IsoDate {
  return DateTime.fromJSDate(instant, { zone: timeZone }).toISODate()!;
}

/** The instant a business date begins in a time zone (JST midnight for "2024-04-01"). */
export function startOfBusinessDate(date: IsoDate, timeZone: string): Date {
  return DateTime.fromISO(date, { zone: timeZone }).startOf('day').toJSDate();
}
