// Instants as people in Japan read them: 4/15(月) 10:00 in the business time zone, and 2030/1/15(火)
// 18:00 when the instant is not in the current year there (a deadline next January, a shift across
// the year end: without the year, 1/4 reads as this January, already past).
// (ja "M/d(ccc) HH:mm", en "ccc d LLL HH:mm" in Luxon's notation, "y/M/d(ccc) HH:mm" and
// "ccc d LLL y HH:mm" with the year; built from domain/wall-clock.ts, which reads a zone's wall
// clock without a DateTime each time.)
import { wallClock } from '../domain/wall-clock.ts';
import type { Locale } from '../i18n/index.ts';

const JA_WEEKDAYS = ['月', '火', '水', '木', '金', '土', '日'];
const EN_WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/**
 * `at` in the business time zone `tz` (IANA), in `locale`; with its year when that is not the year
 * of `now` in `tz` (now: the caller's clock, passed in: views do not read the clock).
 */
export function formatInstant(at: Date, tz: string, locale: Locale, now: Date): string {
  const w = wallClock(at, tz);
  const withYear = w.year !== wallClock(now, tz).year;
  const time = `${pad(w.hour)}:${pad(w.minute)}`;
  if (locale === 'ja')
    return `${withYear ? `${w.year}/` : ''}${w.month}/${w.day}(${JA_WEEKDAYS[w.weekday - 1]}) ${time}`;
  return `${EN_WEEKDAYS[w.weekday - 1]} ${w.day} ${EN_MONTHS[w.month - 1]}${withYear ? ` ${w.year}` : ''} ${time}`;
}
