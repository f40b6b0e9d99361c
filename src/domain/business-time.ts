// Business time: the hours of business days (weekdays that are neither Japanese holidays nor company
// closure days, domain/closures.ts) between the day's opening and closing wall-clock times in the
// business time zone. Investigation deadlines, reminders and the time to answer are counted in it.
// Pure: the calendar is an argument. Wall-clock times are read with luxon in the zone, so a zone
// with DST counts the hours the clock actually shows (Asia/Tokyo has none).
import { DateTime } from 'luxon';
import type { BusinessDayPredicate, WallTime } from './rotation.ts';

export interface BusinessCalendar {
  /** IANA zone of the business ("Asia/Tokyo"). */
  zone: string;
  isBusinessDay: BusinessDayPredicate;
  /** Opening and closing wall-clock times; `to` may be 24:00. */
  hours: { from: WallTime; to: WallTime };
}

/** Longest stretch of days without a business day we walk (a very long closure list ends the walk). */
const MAX_DAYS = 3_660;

function at(day: DateTime, t: WallTime): DateTime {
  return t.hour === 24 ? day.plus({ days: 1 }).startOf('day') : day.set({ hour: t.hour, minute: t.minute });
}

/** The opening and closing instants of `day` (a start of day in the zone). */
function window(day: DateTime, cal: BusinessCalendar): { open: number; close: number } {
  return { open: at(day, cal.hours.from).toMillis(), close: at(day, cal.hours.to).toMillis() };
}

/** Milliseconds of business time in [from, to); 0 when `to` is not after `from`. */
export function businessMsBetween(from: Date, to: Date, cal: BusinessCalendar): number {
  if (to.getTime() <= from.getTime()) return 0;
  let day = DateTime.fromJSDate(from, { zone: cal.zone }).startOf('day');
  const end = to.getTime();
  let total = 0;
  while (day.toMillis() < end) {
    if (cal.isBusinessDay(day.toISODate()!)) {
      const w = window(day, cal);
      const a = Math.max(w.open, from.getTime());
      const b = Math.min(w.close, end);
      if (b > a) total += b - a;
    }
    day = day.plus({ days: 1 });
  }
  return total;
}

/**
 * The instant `ms` milliseconds of business time after `from` (ms ≥ 0). From outside business hours
 * the count starts at the next opening; ms = 0 gives that opening (or `from` itself inside the hours).
 * Throws RangeError when no business day comes within ten years (a closure list closing everything).
 */
export function addBusinessMs(from: Date, ms: number, cal: BusinessCalendar): Date {
  let left = Math.max(0, ms);
  let day = DateTime.fromJSDate(from, { zone: cal.zone }).startOf('day');
  // Ten years with no business day at all ends the walk; a long `ms` walks as long as it needs.
  for (let idle = 0; idle < MAX_DAYS; idle++) {
    if (cal.isBusinessDay(day.toISODate()!)) {
      const w = window(day, cal);
      const start = Math.max(w.open, from.getTime());
      if (start <= w.close) {
        const room = w.close - start;
        if (left <= room) return new Date(start + left);
        left -= room;
        idle = -1;
      }
    }
    day = day.plus({ days: 1 });
  }
  throw new RangeError('no business day within ten years');
}

/** The close of business of the business day `isoDate` (its closing time in the zone). */
export function closeOfBusiness(isoDate: string, cal: BusinessCalendar): Date {
  const day = DateTime.fromISO(isoDate, { zone: cal.zone }).startOf('day');
  return new Date(window(day, cal).close);
}

/** The business day `n` business days after the date of `from` in the zone (n = 0: that date if it is one, else the next). */
export function businessDayAfter(from: Date, n: number, cal: BusinessCalendar): string {
  let day = DateTime.fromJSDate(from, { zone: cal.zone }).startOf('day');
  let left = n;
  for (let i = 0; i < MAX_DAYS; i++) {
    if (cal.isBusinessDay(day.toISODate()!)) {
      if (left === 0) return day.toISODate()!;
      left--;
    }
    day = day.plus({ days: 1 });
  }
  throw new RangeError('no business day within ten years');
}

/**
 * Which business day of its month `isoDate` is (1 for the first), or undefined when it is not a
 * business day. The monthly close (月次決算) runs on business days 1 to N.
 */
export function businessDayOfMonth(
  isoDate: string,
  cal: Pick<BusinessCalendar, 'isBusinessDay'>,
): number | undefined {
  if (!cal.isBusinessDay(isoDate)) return undefined;
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  let n = 0;
  for (let day = 1; day <= d; day++) {
    const iso = `${y}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    if (cal.isBusinessDay(iso)) n++;
  }
  return n;
}

/** Whether `at` falls inside business hours of a business day. */
export function inBusinessTime(at: Date, cal: BusinessCalendar): boolean {
  const day = DateTime.fromJSDate(at, { zone: cal.zone }).startOf('day');
  if (!cal.isBusinessDay(day.toISODate()!)) return false;
  const w = window(day, cal);
  return at.getTime() >= w.open && at.getTime() < w.close;
}
