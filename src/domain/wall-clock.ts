// The wall clock of an instant in a time zone (year, month, day, hour, minute, second, weekday),
// read with one Intl.DateTimeFormat per zone, made once and kept. Every /oncall reads a few of these;
// through Luxon each cost about 20 µs (a DateTime, its zone offset, a formatter per call), a quarter
// of the CPU time /oncall took once its rotation walk was kept. Tests compare it with Luxon.
// Pure: the instant is an argument.

export interface WallClock {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  /** 0–23 */
  hour: number;
  minute: number;
  second: number;
  /** ISO weekday: 1 = Monday … 7 = Sunday */
  weekday: number;
}

const WEEKDAY: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
const formats = new Map<string, Intl.DateTimeFormat>();

function formatOf(tz: string): Intl.DateTimeFormat {
  let f = formats.get(tz);
  if (!f) {
    // en-US with the Gregorian calendar and Latin digits: only the numbers (and the English weekday
    // abbreviation) are read, never shown.
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      calendar: 'gregory',
      numberingSystem: 'latn',
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(tz, f);
  }
  return f;
}

/**
 * The wall clock at `at` in the IANA zone `tz` (e.g. Asia/Tokyo).
 * @throws RangeError for a zone Intl does not know (configuration checks the zone at start).
 */
export function wallClock(at: Date, tz: string): WallClock {
  const out: WallClock = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, weekday: 0 };
  for (const p of formatOf(tz).formatToParts(at)) {
    switch (p.type) {
      case 'year':
        out.year = Number(p.value);
        break;
      case 'month':
        out.month = Number(p.value);
        break;
      case 'day':
        out.day = Number(p.value);
        break;
      case 'hour':
        out.hour = Number(p.value);
        break;
      case 'minute':
        out.minute = Number(p.value);
        break;
      case 'second':
        out.second = Number(p.value);
        break;
      case 'weekday':
        out.weekday = WEEKDAY[p.value] ?? 0;
        break;
    }
  }
  return out;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The calendar date of a wall clock, "2024-03-31". */
export function isoDateOf(w: WallClock): string {
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}
