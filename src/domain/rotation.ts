// Rotations: who is on duty at an instant. A rotation is a list of members and a handoff rule;
// shifts run from one handoff to the next and members take them in turn from the rotation's start.
// Handoffs are wall-clock times in the business time zone, so a handoff at 10:00 stays at 10:00
// across DST changes (not every 24 hours of elapsed time).
import { DateTime } from 'luxon';
import type { RotationConfig } from '../config/schema.ts';
import { HANDOFF_PATTERN } from '../config/schema.ts';

export interface Shift {
  rotationId: string;
  userId: string;
  start: Date;
  end: Date;
}

/** Whether a calendar date (YYYY-MM-DD, business time zone) is a working day. */
export type BusinessDayPredicate = (isoDate: string) => boolean;

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
const DEFAULT_START = '2024-01-01';
// Guard against a configuration that can never hand off (e.g. business days only and a predicate
// that says no to everything): give up after ten years of days.
const MAX_DAYS = 3660;

function handoffParts(handoff: string): { weekday?: number; hour: number; minute: number } {
  const m = HANDOFF_PATTERN.exec(handoff);
  if (!m) throw new Error(`invalid handoff "${handoff}"`);
  return { weekday: m[1] ? WEEKDAYS[m[1]] : undefined, hour: Number(m[2]), minute: Number(m[3]) };
}

/** The handoff instants of a rotation, in order, starting at its first one. */
function* handoffs(rot: RotationConfig, tz: string, isBusinessDay: BusinessDayPredicate): Generator<DateTime> {
  const { weekday, hour, minute } = handoffParts(rot.handoff);
  const first = DateTime.fromISO(rot.start ?? DEFAULT_START, { zone: tz }).set({ hour, minute, second: 0, millisecond: 0 });
  if (typeof rot.shift === 'object') {
    for (let i = 0; ; i++) yield first.plus({ hours: rot.shift.hours * i });
  }
  let day = first;
  let sinceLast = 0;
  let pendingWeekly = false;
  for (;;) {
    const date = day.toISODate() ?? '';
    const business = !rot.business_days_only || isBusinessDay(date);
    if (rot.shift === 'daily') {
      if (business) {
        sinceLast = 0;
        yield day;
      }
    } else {
      // weekly: hand off on the weekday; when that day is not a business day, on the next one that is.
      if (day.weekday === weekday) pendingWeekly = true;
      if (pendingWeekly && business) {
        pendingWeekly = false;
        sinceLast = 0;
        yield day;
      }
    }
    if (++sinceLast > MAX_DAYS) return;
    day = day.plus({ days: 1 });
  }
}

/** The shift in effect at `at`, and the `count` shifts after it. */
export function shiftsFrom(
  rot: RotationConfig,
  at: Date,
  count: number,
  tz: string,
  isBusinessDay: BusinessDayPredicate,
): Shift[] {
  const target = DateTime.fromJSDate(at, { zone: tz });
  const shifts: Shift[] = [];
  let index = -1;
  let previous: DateTime | undefined;
  for (const handoff of handoffs(rot, tz, isBusinessDay)) {
    if (previous && (handoff > target || shifts.length > 0)) {
      const userId = rot.members[((index % rot.members.length) + rot.members.length) % rot.members.length] ?? '';
      shifts.push({ rotationId: rot.id, userId, start: previous.toJSDate(), end: handoff.toJSDate() });
      if (shifts.length > count) break;
    } else if (!previous && handoff > target) {
      // Before the rotation's first handoff nobody has started yet: the first member covers.
      shifts.push({ rotationId: rot.id, userId: rot.members[0] ?? '', start: at, end: handoff.toJSDate() });
      if (shifts.length > count) break;
    }
    previous = handoff;
    index++;
  }
  return shifts;
}

export function currentShift(rot: RotationConfig, at: Date, tz: string, isBusinessDay: BusinessDayPredicate): Shift | undefined {
  return shiftsFrom(rot, at, 0, tz, isBusinessDay)[0];
}
