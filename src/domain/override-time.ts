// The times of /oncall override and /oncall cover, as people type them, on the wall clock of the
// business time zone:
//   2026-12-24 18:00   a day and a time
//   12-24 18:00        this year's 24 December, or next year's once this year's has passed
//   now                (the start only) this minute
// Words are read in NFKC (２０２６－１２－２４ reads as 2026-12-24); "/" may stand for "-".
// Pure: the current instant comes with the call.
import { DateTime } from 'luxon';
import { isoDateOf, wallClock } from './wall-clock.ts';

const DAY = /^(?:(\d{4})[-/])?(\d{1,2})[-/](\d{1,2})$/;
const TIME = /^(\d{1,2}):(\d{2})$/;

/** A time read, or why the words are not one. */
export type ReadTime = { at: Date } | { error: 'bad_time'; text: string };

/**
 * The instant of a day and a time typed in `zone`. `MM-DD` is the next such day from `today`
 * (this year's, or next year's when this year's is already past). A wall-clock time that does not
 * exist (a DST gap) moves forward as Luxon moves it; an ambiguous one is its first occurrence.
 */
export function readDayTime(day: string, time: string, zone: string, now: Date): ReadTime {
  const d = DAY.exec(day.normalize('NFKC'));
  const t = TIME.exec(time.normalize('NFKC'));
  const text = `${day} ${time}`;
  if (!d || !t) return { error: 'bad_time', text };
  const hour = Number(t[1]);
  const minute = Number(t[2]);
  if (hour > 23 || minute > 59) return { error: 'bad_time', text };
  const today = isoDateOf(wallClock(now, zone));
  let year = d[1] ? Number(d[1]) : Number(today.slice(0, 4));
  const make = (y: number) =>
    DateTime.fromObject({ year: y, month: Number(d[2]), day: Number(d[3]), hour, minute }, { zone });
  let at = make(year);
  if (!at.isValid) return { error: 'bad_time', text };
  if (!d[1] && at.toISODate()! < today) at = make(++year);
  if (!at.isValid) return { error: 'bad_time', text };
  // On a fall-back day the wall clock shows this time twice, and Luxon gives the second: take the
  // first, as cron does (the hour before has the same wall time when it is ambiguous).
  const before = at.minus({ hours: 1 });
  if (before.toISODate() === at.toISODate() && before.hour === at.hour && before.minute === at.minute)
    at = before;
  return { at: at.toJSDate() };
}

/** A period read from words: `<from> <to>`, each `DAY TIME`, `from` also `now`. */
export type ReadPeriod =
  { start: Date; end: Date } | { error: 'bad_time'; text: string } | { error: 'usage' };

/**
 * Reads the last words of a command as a period. Returns how many words it took from the end, so
 * the caller reads what comes before (a rotation's name, a user).
 */
export function readPeriodAtEnd(
  words: readonly string[],
  zone: string,
  now: Date,
): { period: ReadPeriod; taken: number } {
  const n = words.length;
  if (n < 3) return { period: { error: 'usage' }, taken: 0 };
  const end = readDayTime(words[n - 2]!, words[n - 1]!, zone, now);
  if ('error' in end) return { period: end, taken: 2 };
  if (words[n - 3]!.normalize('NFKC').toLowerCase() === 'now') {
    const minute = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
    return { period: { start: minute, end: end.at }, taken: 3 };
  }
  if (n < 4) return { period: { error: 'usage' }, taken: 0 };
  const start = readDayTime(words[n - 4]!, words[n - 3]!, zone, now);
  if ('error' in start) return { period: start, taken: 4 };
  return { period: { start: start.at, end: end.at }, taken: 4 };
}

/** An instant as /oncall override reads it back: "2026-12-24 18:00" on the wall clock of `zone`. */
export function typedTime(at: Date, zone: string): string {
  const w = wallClock(at, zone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${isoDateOf(w)} ${pad(w.hour)}:${pad(w.minute)}`;
}
