// Rotations: who is on duty at an instant. A rotation is a list of members and a handoff rule;
// shifts run from one handoff to the next and members take them in turn from the rotation's start.
// Handoffs are wall-clock times in the business time zone, so a handoff at 10:00 stays at 10:00
// across DST changes (not every 24 hours of elapsed time).
//
// Calendar walking uses plain day numbers (days since 1970-01-01) rather than date objects, and a
// rotation's walk is done once: the handoffs found (and their instants) are kept per rotation rule
// and business-day predicate, so /oncall does a binary search instead of walking every day since the
// rotation's start (about 1,000 days and 2,000 date strings per rotation in 2026, a third of the
// CPU time toban spent per /oncall under load before it was kept).
import { DateTime } from 'luxon';
import { fold } from './command-text.ts';
import { isoDateOf, wallClock } from './wall-clock.ts';

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** A time on the wall clock of the rotation's time zone, e.g. 10:00. */
export interface WallTime {
  /** 0–23 */
  hour: number;
  /** 0–59 */
  minute: number;
}

/**
 * How long a shift runs. `daily` and `weekly` hand off at the same wall-clock time on each (business)
 * day or on one weekday, whatever the DST offset; `hours` is a fixed period of elapsed time.
 */
export type ShiftKind =
  | { kind: 'daily' }
  | { kind: 'weekly'; weekday: Weekday }
  | {
      kind: 'hours';
      /** Length of every shift in hours of elapsed time, a whole number ≥ 1. */
      hours: number;
    };

/**
 * A rotation (当番表): who takes the shifts in turn, and when one shift hands off to the next.
 * Made from toban.yml by src/config; overrides and shift history build on this type, not on the file.
 */
export interface Rotation {
  id: string;
  /** The name people read ("Primary on-call", "調査当番"). */
  name: string;
  /** Slack user ids in turn order, at least one. */
  members: readonly string[];
  shift: ShiftKind;
  /** When a shift hands off, on the wall clock of `timeZone` (the day comes from `shift`). */
  handoff: WallTime;
  /** IANA time zone the handoff time and the calendar days are read in (Asia/Tokyo). */
  timeZone: string;
  /** The local calendar day (YYYY-MM-DD) of the first handoff; the first member takes that shift. */
  start: string;
  /**
   * Calendar shifts hand off only on business days: a daily handoff skips days off, a weekly one
   * moves to the next business day. What a business day is comes with the call (BusinessDayPredicate).
   */
  businessDaysOnly: boolean;
  /** Slack user group that should hold whoever is on duty (optional). */
  userGroup?: string;
}

export interface Shift {
  rotationId: string;
  userId: string;
  start: Date;
  end: Date;
}

/** Whether a calendar date (YYYY-MM-DD, business time zone) is a working day. */
export type BusinessDayPredicate = (isoDate: string) => boolean;

const DAY_MS = 86_400_000;
// Guard against a configuration that can never hand off (business days only, and a predicate that
// says no to everything): give up after ten years without a handoff.
const MAX_GAP_DAYS = 3660;

interface Handoff {
  /** Days since 1970-01-01 of the local calendar date, or the instant for hour-based shifts. */
  day: number;
  /** Minutes after local midnight. */
  minute: number;
}

/** Minutes after local midnight of the handoff. */
const handoffMinute = (rot: Rotation): number => rot.handoff.hour * 60 + rot.handoff.minute;

const dayNumber = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
const isoOf = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
/** ISO weekday (1 = Monday) of a day number; 1970-01-01 was a Thursday. */
const weekdayOf = (day: number): number => ((((day + 3) % 7) + 7) % 7) + 1;

/** The local wall-clock handoffs of a calendar rotation, in order, from its first one. */
function* calendarHandoffs(rot: Rotation, isBusinessDay: BusinessDayPredicate): Generator<Handoff> {
  const minuteOfDay = handoffMinute(rot);
  const weekday = rot.shift.kind === 'weekly' ? rot.shift.weekday : undefined;
  let day = dayNumber(rot.start);
  let gap = 0;
  let pendingWeekly = false;
  for (;;) {
    const business = !rot.businessDaysOnly || isBusinessDay(isoOf(day));
    if (rot.shift.kind === 'daily') {
      if (business) {
        gap = 0;
        yield { day, minute: minuteOfDay };
      }
    } else {
      // weekly: hand off on the weekday; when that day is not a business day, on the next one that is.
      if (weekdayOf(day) === weekday) pendingWeekly = true;
      if (pendingWeekly && business) {
        pendingWeekly = false;
        gap = 0;
        yield { day, minute: minuteOfDay };
      }
    }
    if (++gap > MAX_GAP_DAYS) return;
    day++;
  }
}

function toInstant(h: Handoff, tz: string): Date {
  const [y, mo, d] = isoOf(h.day).split('-').map(Number) as [number, number, number];
  return DateTime.fromObject(
    { year: y, month: mo, day: d, hour: Math.floor(h.minute / 60), minute: h.minute % 60 },
    { zone: tz },
  ).toJSDate();
}

/**
 * The handoffs of one calendar rotation rule found so far, in order, and the walk that finds more.
 * The walk depends only on the rule (shift, handoff, start, businessDaysOnly) and the predicate,
 * never on the clock, so what it found stays true.
 */
interface Walk {
  days: number[];
  minute: number;
  more: Generator<Handoff> | undefined;
  /** Instants of handoffs by time zone and position (ms since the epoch). */
  instants: Map<string, number[]>;
}

const WALKS_KEPT = 256;
const walks = new WeakMap<BusinessDayPredicate, Map<string, Walk>>();

function walkOf(rot: Rotation, isBusinessDay: BusinessDayPredicate): Walk {
  let byRule = walks.get(isBusinessDay);
  if (!byRule) walks.set(isBusinessDay, (byRule = new Map()));
  const weekday = rot.shift.kind === 'weekly' ? rot.shift.weekday : '';
  const rule = `${rot.shift.kind}${weekday}|${handoffMinute(rot)}|${rot.start}|${rot.businessDaysOnly}`;
  let walk = byRule.get(rule);
  if (!walk) {
    // A bound for callers that make rules up (tests): a configuration has a handful.
    if (byRule.size >= WALKS_KEPT) byRule.clear();
    walk = {
      days: [],
      minute: handoffMinute(rot),
      more: calendarHandoffs(rot, isBusinessDay),
      instants: new Map(),
    };
    byRule.set(rule, walk);
  }
  return walk;
}

/** Walks on until `enough()` holds or the rotation has no more handoffs. */
function extend(walk: Walk, enough: () => boolean): void {
  while (walk.more && !enough()) {
    const next = walk.more.next();
    if (next.done) walk.more = undefined;
    else walk.days.push(next.value.day);
  }
}

function instantOf(walk: Walk, i: number, tz: string): Date {
  let list = walk.instants.get(tz);
  if (!list) walk.instants.set(tz, (list = []));
  const known = list[i];
  if (known !== undefined) return new Date(known);
  const at = toInstant({ day: walk.days[i]!, minute: walk.minute }, tz);
  list[i] = at.getTime();
  return at;
}

function memberAt(rot: Rotation, index: number): string {
  const n = rot.members.length;
  return rot.members[((index % n) + n) % n] ?? '';
}

/** Hour-based shifts are a fixed period of elapsed time from the first handoff: plain arithmetic. */
function hourlyShifts(rot: Rotation, hours: number, at: Date, count: number): Shift[] {
  const first = toInstant({ day: dayNumber(rot.start), minute: handoffMinute(rot) }, rot.timeZone).getTime();
  const period = hours * 3_600_000;
  const index = Math.floor((at.getTime() - first) / period);
  const shifts: Shift[] = [];
  for (let i = 0; i <= count; i++) {
    const k = index + i;
    if (k < 0) {
      shifts.push({ rotationId: rot.id, userId: memberAt(rot, 0), start: at, end: new Date(first) });
      continue;
    }
    shifts.push({
      rotationId: rot.id,
      userId: memberAt(rot, k),
      start: new Date(first + k * period),
      end: new Date(first + (k + 1) * period),
    });
  }
  return shifts;
}

/**
 * The shift in effect at `at`, and the `count` shifts after it, back to back (each one's `end` is
 * the next one's `start`). Before the rotation's first handoff the first member covers, from `at`.
 * `isBusinessDay` is asked about local calendar days (YYYY-MM-DD) when `rot.businessDaysOnly`.
 * Returns fewer shifts when the rotation stops handing off (no business day for ten years).
 * Throws nothing for a Rotation that keeps its documented invariants.
 */
export function shiftsFrom(
  rot: Rotation,
  at: Date,
  count: number,
  isBusinessDay: BusinessDayPredicate,
): Shift[] {
  if (rot.shift.kind === 'hours') return hourlyShifts(rot, rot.shift.hours, at, count);
  const tz = rot.timeZone;
  const local = wallClock(at, tz);
  const target: Handoff = {
    day: dayNumber(isoDateOf(local)),
    minute: local.hour * 60 + local.minute + local.second / 60,
  };
  const walk = walkOf(rot, isBusinessDay);
  const after = (day: number) => day > target.day || (day === target.day && walk.minute > target.minute);
  const { days } = walk;
  // The first handoff after `at` ends the shift in effect; `count` more after it.
  extend(walk, () => days.length > 0 && after(days[days.length - 1]!));
  let lo = 0;
  let hi = days.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (after(days[mid]!)) hi = mid;
    else lo = mid + 1;
  }
  const first = lo;
  extend(walk, () => days.length > first + count);
  const shifts: Shift[] = [];
  for (let k = first; k < days.length && shifts.length <= count; k++) {
    shifts.push({
      rotationId: rot.id,
      userId: memberAt(rot, Math.max(k - 1, 0)),
      // Before the rotation's first handoff nobody has started yet: the first member covers.
      start: k > 0 ? instantOf(walk, k - 1, tz) : at,
      end: instantOf(walk, k, tz),
    });
  }
  return shifts;
}

/** The shift in effect at `at` (see shiftsFrom); undefined only when the rotation never hands off. */
export function currentShift(
  rot: Rotation,
  at: Date,
  isBusinessDay: BusinessDayPredicate,
): Shift | undefined {
  return shiftsFrom(rot, at, 0, isBusinessDay)[0];
}

export type RotationMatch<R> =
  { kind: 'found'; rotation: R } | { kind: 'ambiguous'; candidates: R[] } | { kind: 'unknown' };

/** Folded for a loose comparison: NFKC, lower case, runs of white space as one space. */
const looseName = (s: string) => fold(s).trim().replace(/\s+/g, ' ');

/**
 * The rotation a person named, by its id or its display name: the exact spelling first, else the
 * one rotation whose id or name matches in NFKC and any case (`ＰＲＩＭＡＲＹ`, `primary ON-CALL`).
 * Two rotations matching loosely are ambiguous; the person must spell one exactly.
 */
export function matchRotation<R extends { id: string; name: string }>(
  rotations: readonly R[],
  text: string,
): RotationMatch<R> {
  const typed = text.trim();
  if (!typed) return { kind: 'unknown' };
  const exact = rotations.find((r) => r.id === typed) ?? rotations.find((r) => r.name === typed);
  if (exact) return { kind: 'found', rotation: exact };
  const q = looseName(typed);
  const loose = rotations.filter((r) => looseName(r.id) === q || looseName(r.name) === q);
  if (loose.length === 1) return { kind: 'found', rotation: loose[0]! };
  if (loose.length > 1) return { kind: 'ambiguous', candidates: loose };
  return { kind: 'unknown' };
}
