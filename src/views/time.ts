// Instants as people in Japan read them: 4/15(月) 10:00 in the business time zone.
// (ja "M/d(ccc) HH:mm", en "ccc d LLL HH:mm" in Luxon's notation, which this matched when it used
// Luxon; built from domain/wall-clock.ts, which reads a zone's wall clock without a DateTime each time.)
import { wallClock } from '../domain/wall-clock.ts';
import type { Locale } from '../i18n/index.ts';

const JA_WEEKDAYS = ['月', '火', '水', '木', '金', '土', '日'];
const EN_WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

export function formatInstant(at: Date, tz: string, locale: Locale): string {
  const w = wallClock(at, tz);
  const time = `${pad(w.hour)}:${pad(w.minute)}`;
  return locale === 'ja'
    ? `${w.month}/${w.day}(${JA_WEEKDAYS[w.weekday - 1]}) ${time}`
    : `${EN_WEEKDAYS[w.weekday - 1]} ${w.day} ${EN_MONTHS[w.month - 1]} ${time}`;
}
