// Hours on duty (the /oncall report): how long each person held a rotation in a period, and how much
// of it fell at night (22:00–05:00) or on a day off (weekend, Japanese holiday, closure day), all read
// on the wall clock of the rotation's time zone. Outside a rotation's business hours nobody is on
// duty, so those hours count for nobody. Pure: the pieces of duty and the calendar come with the call.
import { DateTime } from 'luxon';
import type { BusinessDayPredicate, Rotation } from './rotation.ts';

/** A stretch of time one person held the rotation (a shift, or the part of one an override holds). */
export interface DutyPiece {
  userId: string;
  start: Date;
  /** After `start` (half-open, like shifts). */
  end: Date;
}

/** One person's hours in the period, in milliseconds; `night` and `offDay` are parts of `total`. */
export interface PersonHours {
  userId: string;
  totalMs: number;
  /** Of the total: between 22:00 and 05:00 on the wall clock. */
  nightMs: number;
  /** Of the total: on a Saturday, Sunday, Japanese holiday or closure day (its local calendar day). */
  offDayMs: number;
}

/** Night on the wall clock: from 22:00 to 05:00 the next morning. */
export const NIGHT = { from: { hour: 22, minute: 0 }, to: { hour: 5, minute: 0 } } as const;

type Span = readonly [number, number];

interface DayFrame {
  /** The local day's own span [00:00, next 00:00), in ms since the epoch. */
  day: Span;
  /** When someone is on duty that day (the business hours, or the whole day); none on a day off. */
  covered: Span[];
  night: Span[];
  offDay: boolean;
}

const overlap = (a: Span, b: Span): number => Math.max(0, Math.min(a[1], b[1]) - Math.max(a[0], b[0]));

/** The local days (in the rotation's zone) the window touches, each with its covered and night spans. */
function framesOf(
  window: { start: Date; end: Date },
  rot: Pick<Rotation, 'timeZone' | 'businessHours' | 'businessDaysOnly'>,
  isBusinessDay: BusinessDayPredicate,
): DayFrame[] {
  const frames: DayFrame[] = [];
  let day = DateTime.fromJSDate(window.start, { zone: rot.timeZone }).startOf('day');
  while (day.toMillis() < window.end.getTime()) {
    const next = day.plus({ days: 1 }).startOf('day');
    const at = (hour: number, minute: number): number =>
      hour >= 24 ? next.toMillis() : day.set({ hour, minute }).toMillis();
    const span: Span = [day.toMillis(), next.toMillis()];
    const business = isBusinessDay(day.toISODate()!);
    const hours = rot.businessHours;
    const covered: Span[] = !hours
      ? [span]
      : rot.businessDaysOnly && !business
        ? []
        : [[at(hours.from.hour, hours.from.minute), at(hours.to.hour, hours.to.minute)]];
    frames.push({
      day: span,
      covered,
      night: [
        [span[0], at(NIGHT.to.hour, NIGHT.to.minute)],
        [at(NIGHT.from.hour, NIGHT.from.minute), span[1]],
      ],
      offDay: !business,
    });
    day = next;
  }
  return frames;
}

/**
 * Each person's hours within `window` from the pieces (which must not overlap each other: one person
 * on duty at a time), counting only the rotation's covered hours. People in order of first duty.
 * The totals add up to the covered hours of the window that the pieces cover.
 */
export function hoursByPerson(
  pieces: readonly DutyPiece[],
  window: { start: Date; end: Date },
  rot: Pick<Rotation, 'timeZone' | 'businessHours' | 'businessDaysOnly'>,
  isBusinessDay: BusinessDayPredicate,
): PersonHours[] {
  const frames = framesOf(window, rot, isBusinessDay);
  const bounds: Span = [window.start.getTime(), window.end.getTime()];
  const out = new Map<string, PersonHours>();
  for (const p of pieces) {
    const piece: Span = [Math.max(p.start.getTime(), bounds[0]), Math.min(p.end.getTime(), bounds[1])];
    if (piece[1] <= piece[0]) continue;
    let row = out.get(p.userId);
    if (!row) out.set(p.userId, (row = { userId: p.userId, totalMs: 0, nightMs: 0, offDayMs: 0 }));
    for (const f of frames) {
      if (overlap(f.day, piece) === 0) continue;
      for (const c of f.covered) {
        const held: Span = [Math.max(c[0], piece[0]), Math.min(c[1], piece[1])];
        const ms = Math.max(0, held[1] - held[0]);
        if (ms === 0) continue;
        row.totalMs += ms;
        if (f.offDay) row.offDayMs += ms;
        for (const n of f.night) row.nightMs += overlap(n, held);
      }
    }
  }
  return [...out.values()];
}

/** The covered milliseconds of the window: what the totals of a fully staffed rotation add up to. */
export function coveredMs(
  window: { start: Date; end: Date },
  rot: Pick<Rotation, 'timeZone' | 'businessHours' | 'businessDaysOnly'>,
  isBusinessDay: BusinessDayPredicate,
): number {
  const bounds: Span = [window.start.getTime(), window.end.getTime()];
  return framesOf(window, rot, isBusinessDay)
    .flatMap((f) => f.covered)
    .reduce((sum, c) => sum + overlap(c, bounds), 0);
}

/** The month `YYYY-MM` on the wall clock of `zone`, as instants [first 00:00, next month's 00:00). */
export function monthWindow(month: string, zone: string): { start: Date; end: Date } {
  const start = DateTime.fromISO(`${month}-01T00:00`, { zone });
  return { start: start.toJSDate(), end: start.plus({ months: 1 }).toJSDate() };
}

/** `YYYY-MM` with a month 01–12 (years 2000–2099: a report further off is a typing slip). */
export function parseMonth(text: string): string | undefined {
  const m = /^(20\d\d)-(0[1-9]|1[0-2])$/.exec(text.normalize('NFKC').trim());
  return m ? `${m[1]}-${m[2]}` : undefined;
}
