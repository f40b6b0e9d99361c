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
 * day or on one weekday, whatever the DST offset; `hours` every N hours of the wall clock (see
 * hourlyHandoffs).
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
  /**
   * The hours of the day someone is on duty, on the wall clock of `timeZone` (`from` before `to`,
   * within one day). Outside them nobody is on duty, which is not a gap. With `businessDaysOnly`,
   * days off have no hours at all. Absent: around the clock.
   */
  businessHours?: { from: WallTime; to: WallTime };
  /** Where the rotation's messages go (cover requests); absent: the alerts channel. */
  channel?: string;
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
function* calendarWalk(rot: Rotation, isBusinessDay: BusinessDayPredicate): Generator<Handoff> {
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
      more: calendarWalk(rot, isBusinessDay),
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

/**
 * Where the turn stands, from the shift history: the last recorded handoff at or before the instant
 * asked about. Shifts are counted on from it, not from the rotation's start, so a change to the
 * members takes effect at the next handoff and the shift in progress keeps its person.
 */
export interface Anchor {
  /** When the recorded shift began (a handoff, or an override's edge inside a shift). */
  start: Date;
  /** Whose turn it was by the schedule (not an override's person). */
  userId: string;
  /** Their place in the members list then (0-based): the turn goes on from it if they were removed. */
  position: number;
}

/**
 * The handoffs of a rotation, numbered from 0 (the first, at `start`): `instant(j)` is handoff j
 * (undefined when the rotation never hands off again), `firstAfter(at)` the number of the first
 * handoff strictly after `at` (undefined when there is none).
 */
interface Handoffs {
  instant(j: number): Date | undefined;
  firstAfter(at: Date): number | undefined;
}

/**
 * Hour-based shifts hand off every N hours of the wall clock from the first handoff (02:30, 14:30,
 * 02:30 … for 12 hours), so their handoffs stay at the same local times across DST changes: the
 * shift over a change is an hour shorter or longer. A local time the change skips moves forward (as
 * Luxon moves it); a shift that thereby has no length is left out of the list by shiftsFrom.
 */
function hourlyHandoffs(rot: Rotation, hours: number): Handoffs {
  const day0 = dayNumber(rot.start);
  const minute0 = handoffMinute(rot);
  const first = toInstant({ day: day0, minute: minute0 }, rot.timeZone).getTime();
  const period = hours * 3_600_000;
  const instant = (j: number) => {
    const total = minute0 + j * hours * 60;
    return toInstant(
      { day: day0 + Math.floor(total / 1440), minute: ((total % 1440) + 1440) % 1440 },
      rot.timeZone,
    );
  };
  return {
    instant,
    firstAfter(at) {
      // Elapsed time is off the wall clock by the DST offsets between (a few hours at most): start a
      // little before and step forward to the first handoff after `at`.
      let j = Math.max(0, Math.floor((at.getTime() - first) / period) - 2);
      while (instant(j).getTime() <= at.getTime()) j++;
      return j;
    },
  };
}

function calendarHandoffs(rot: Rotation, isBusinessDay: BusinessDayPredicate): Handoffs {
  const tz = rot.timeZone;
  const walk = walkOf(rot, isBusinessDay);
  const { days } = walk;
  return {
    instant(j) {
      extend(walk, () => days.length > j);
      return j < days.length ? instantOf(walk, j, tz) : undefined;
    },
    firstAfter(at) {
      const local = wallClock(at, tz);
      const target = {
        day: dayNumber(isoDateOf(local)),
        minute: local.hour * 60 + local.minute + local.second / 60,
      };
      const after = (day: number) => day > target.day || (day === target.day && walk.minute > target.minute);
      extend(walk, () => days.length > 0 && after(days[days.length - 1]!));
      if (days.length === 0 || !after(days[days.length - 1]!)) return undefined;
      let lo = 0;
      let hi = days.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (after(days[mid]!)) hi = mid;
        else lo = mid + 1;
      }
      return lo;
    },
  };
}

function handoffsOf(rot: Rotation, isBusinessDay: BusinessDayPredicate): Handoffs {
  return rot.shift.kind === 'hours'
    ? hourlyHandoffs(rot, rot.shift.hours)
    : calendarHandoffs(rot, isBusinessDay);
}

const at_ = <T>(list: readonly T[], i: number): T => list[((i % list.length) + list.length) % list.length]!;

/**
 * Who takes the shift that starts at handoff j. Without an anchor, members in turn from `start`; with
 * one, the anchored shift keeps its person and the turns after it go on from their place in today's
 * list (or, if they left it, from the place they held).
 */
function turnOf(rot: Rotation, handoffs: Handoffs, anchor: Anchor | undefined): (j: number) => string {
  if (!anchor) return (j) => at_(rot.members, Math.max(j, 0));
  // The shift the anchor falls in: the last handoff at or before it (-1: before the first handoff).
  const ja = (handoffs.firstAfter(anchor.start) ?? Number.MAX_SAFE_INTEGER) - 1;
  // Before the first handoff the first member only covers: the turns have not begun.
  if (ja < 0) return turnOf(rot, handoffs, undefined);
  const here = rot.members.indexOf(anchor.userId);
  return (j) => {
    if (j <= ja) return j === ja ? anchor.userId : at_(rot.members, Math.max(j, 0));
    return here >= 0 ? at_(rot.members, here + (j - ja)) : at_(rot.members, anchor.position + (j - ja) - 1);
  };
}

/**
 * The shift in effect at `at`, and the `count` shifts after it, back to back (each one's `end` is
 * the next one's `start`). Before the rotation's first handoff the first member covers, from `at`.
 * `isBusinessDay` is asked about local calendar days (YYYY-MM-DD) when `rot.businessDaysOnly`.
 * `anchor`: the last recorded handoff at or before `at` (see Anchor); without it turns are counted
 * from `start`. Returns fewer shifts when the rotation stops handing off (no business day for ten
 * years). Throws nothing for a Rotation that keeps its documented invariants.
 */
export function shiftsFrom(
  rot: Rotation,
  at: Date,
  count: number,
  isBusinessDay: BusinessDayPredicate,
  anchor?: Anchor,
): Shift[] {
  const handoffs = handoffsOf(rot, isBusinessDay);
  const first = handoffs.firstAfter(at);
  if (first === undefined) return [];
  const turn = turnOf(rot, handoffs, anchor);
  const shifts: Shift[] = [];
  for (let k = first; shifts.length <= count; k++) {
    const end = handoffs.instant(k);
    if (!end) break;
    const start = k > 0 ? handoffs.instant(k - 1)! : at;
    // A handoff moved onto the next by a DST change (hourly shifts): that turn has no time at all.
    if (end.getTime() <= start.getTime()) continue;
    shifts.push({
      rotationId: rot.id,
      userId: turn(k - 1),
      // Before the rotation's first handoff nobody has started yet: the first member covers.
      start,
      end,
    });
  }
  return shifts;
}

/** The shift in effect at `at` (see shiftsFrom); undefined only when the rotation never hands off. */
export function currentShift(
  rot: Rotation,
  at: Date,
  isBusinessDay: BusinessDayPredicate,
  anchor?: Anchor,
): Shift | undefined {
  return shiftsFrom(rot, at, 0, isBusinessDay, anchor)[0];
}

const minuteOf = (w: WallTime) => w.hour * 60 + w.minute;

/**
 * Whether `at` lies inside the rotation's business hours (always, when it has none). On a day off
 * (a business-days-only rotation) there are no hours.
 */
export function inBusinessHours(rot: Rotation, at: Date, isBusinessDay: BusinessDayPredicate): boolean {
  const hours = rot.businessHours;
  if (!hours) return true;
  const local = wallClock(at, rot.timeZone);
  if (rot.businessDaysOnly && !isBusinessDay(isoDateOf(local))) return false;
  const minute = local.hour * 60 + local.minute;
  return minute >= minuteOf(hours.from) && minute < minuteOf(hours.to);
}

/**
 * When the rotation's business hours next begin after `at` (outside them: when someone is on duty
 * again). undefined when the rotation has no business hours or none within ten years.
 */
export function businessHoursResume(
  rot: Rotation,
  at: Date,
  isBusinessDay: BusinessDayPredicate,
): Date | undefined {
  const hours = rot.businessHours;
  if (!hours) return undefined;
  let day = dayNumber(isoDateOf(wallClock(at, rot.timeZone)));
  for (let i = 0; i <= MAX_GAP_DAYS; i++, day++) {
    if (rot.businessDaysOnly && !isBusinessDay(isoOf(day))) continue;
    const begins = toInstant({ day, minute: minuteOf(hours.from) }, rot.timeZone);
    if (begins.getTime() > at.getTime()) return begins;
  }
  return undefined;
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
