// Dates and months as people type them in commands, and the business date of an instant.
// Pure: "today" is always an argument (the caller reads the clock), so every rule is testable.
//
// Dates:  2024-03-31, 2024/3/31, 2024年3月31日, today, yesterday, last-month-end (今日, 昨日, 先月末)
// Months: 2024-03, 2024/3, 2024年3月, this-month, last-month (今月, 先月)
// Full-width digits and signs (２０２４／３／３１) read as their half-width forms (NFKC).
import { DateTime } from 'luxon';

/** An ISO calendar date, "2024-03-31". */
export type IsoDate = string;
/** A calendar month, "2024-03". */
export type IsoMonth = string;

const DATE = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$|^(\d{4})年(\d{1,2})月(\d{1,2})日$/;
const MONTH = /^(\d{4})[-/.](\d{1,2})$|^(\d{4})年(\d{1,2})月$/;

function normalise(text: string): string {
  return text.normalize('NFKC').trim().toLowerCase();
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function isoDate(year: number, month: number, day: number): IsoDate | undefined {
  const d = DateTime.utc(year, month, day);
  if (!d.isValid || year < 1900 || year > 9999) return undefined;
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/** Reads a date; undefined when the text is not one (or names a day that does not exist). */
export function parseDate(text: string, today: IsoDate): IsoDate | undefined {
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
  const [y, mo, d] = m[1] ? [m[1], m[2], m[3]] : [m[4], m[5], m[6]];
  return isoDate(Number(y), Number(mo), Number(d));
}

/** Reads a month; undefined when the text is not one. */
export function parseMonth(text: string, today: IsoDate): IsoMonth | undefined {
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
  if (mo < 1 || mo > 12 || y < 1900 || y > 9999) return undefined;
  return `${pad(y, 4)}-${pad(mo)}`;
}

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
