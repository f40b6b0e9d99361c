// The resolver: who is on duty in a rotation at an instant. The one place /oncall, the App Home,
// investigations (and later alerts and escalation) ask. The schedule is computed on from the last
// recorded handoff (shift history, history.ts), so the past is the record and a change to the
// members takes effect at the next handoff; overrides stored in the database are laid over it; and
// outside a rotation's business hours nobody is on duty (which is not a gap).
import type { AppContext } from '../../core/context.ts';
import {
  handoffsBetween,
  lastHandoff,
  overridesBetween,
  overridesOf,
  type RecordedHandoff,
} from '../../db/rotations.ts';
import type { Queryable } from '../../db/pool.ts';
import { businessDays } from '../../domain/closures.ts';
import { applyOverrides, type DutyShift, type Override } from '../../domain/override.ts';
import {
  businessHoursResume,
  inBusinessHours,
  shiftsFrom,
  type Anchor,
  type BusinessDayPredicate,
  type Rotation,
  type Shift,
} from '../../domain/rotation.ts';

export type Ctx = Pick<AppContext, 'config' | 'clock' | 'pool'>;

/** The business calendar of the configuration (weekends, Japanese holidays, closure days). */
export const calendarOf = (ctx: Pick<AppContext, 'config'>): BusinessDayPredicate =>
  businessDays(ctx.config.closures);

/** What the resolver answers for one rotation at one instant. */
export interface Duty {
  rotation: Rotation;
  /** The shift in effect, with any override laid over it; undefined when nobody is on duty. */
  shift?: DutyShift;
  /** Set when `at` lies outside the rotation's business hours; `resumesAt`: when they begin again. */
  offHours?: { resumesAt?: Date };
}

/** The schedule's shift in effect at `at` and `count` more, counted on from the recorded history. */
async function scheduleFrom(
  db: Queryable,
  ctx: Pick<Ctx, 'config'>,
  rot: Rotation,
  at: Date,
  count: number,
): Promise<Shift[]> {
  const recorded = await lastHandoff(db, rot.id, at);
  const anchor: Anchor | undefined = recorded && {
    start: recorded.startsAt,
    userId: recorded.scheduledUserId,
    position: recorded.position,
  };
  return shiftsFrom(rot, at, count, calendarOf(ctx), anchor);
}

/**
 * The schedule from `at` (`count` shifts after the one in effect) with the overrides laid over it.
 * `db`: where the history and overrides are read (a transaction that just recorded a handoff sees it).
 */
export async function dutyShifts(
  ctx: Pick<Ctx, 'config' | 'pool'>,
  rot: Rotation,
  at: Date,
  count: number,
  db: Queryable = ctx.pool,
): Promise<DutyShift[]> {
  const shifts = await scheduleFrom(db, ctx, rot, at, count);
  if (shifts.length === 0) return [];
  const overrides = await overridesBetween(db, rot.id, shifts[0]!.start, shifts[shifts.length - 1]!.end);
  return applyOverrides(shifts, overrides).filter((s) => s.end.getTime() > at.getTime());
}

/**
 * Who is on duty in rotation `rotationId` at `at` (past, present or future). undefined for a rotation
 * toban.yml does not have.
 */
export async function onDutyAt(ctx: Ctx, rotationId: string, at: Date): Promise<Duty | undefined> {
  const rotation = ctx.config.rotations.find((r) => r.id === rotationId);
  if (!rotation) return undefined;
  const calendar = calendarOf(ctx);
  if (!inBusinessHours(rotation, at, calendar)) {
    const resumesAt = businessHoursResume(rotation, at, calendar);
    return { rotation, offHours: resumesAt ? { resumesAt } : {} };
  }
  const [shift] = await dutyShifts(ctx, rotation, at, 0);
  return shift ? { rotation, shift } : { rotation };
}

/** The person on duty in the rotation now, or undefined (nobody, off hours, unknown rotation). */
export async function whoIsOnDuty(ctx: Ctx, rotationId: string): Promise<string | undefined> {
  return (await onDutyAt(ctx, rotationId, ctx.clock.now()))?.shift?.userId;
}

/** A shift as views show it: a DutyShift, or a plain Shift where no override can apply. */
export type ShownShift = Shift & Partial<Pick<DutyShift, 'scheduledUserId' | 'override'>>;

/** A rotation now: who holds it (unless off hours) and the next handoff. */
export interface RotationNow {
  id: string;
  name: string;
  current?: ShownShift;
  next?: ShownShift;
  offHours?: { resumesAt?: Date };
}

/** Every configured rotation now, in toban.yml's order. */
export async function onDutyNow(ctx: Ctx): Promise<RotationNow[]> {
  const now = ctx.clock.now();
  return Promise.all(
    ctx.config.rotations.map(async (rot): Promise<RotationNow> => {
      const duty = await onDutyAt(ctx, rot.id, now);
      const [current, next] = await dutyShifts(ctx, rot, now, 1);
      return {
        id: rot.id,
        name: rot.name,
        ...(duty?.offHours ? { offHours: duty.offHours } : current ? { current } : {}),
        ...(next ? { next } : {}),
      };
    }),
  );
}

/** A rotation's shifts from now: the one in effect and at least `count` more, overrides laid over. */
export async function upcoming(
  ctx: Ctx,
  rot: Rotation,
  count: number,
): Promise<{ id: string; name: string; shifts: DutyShift[]; businessHours?: Rotation['businessHours'] }> {
  return {
    id: rot.id,
    name: rot.name,
    shifts: await dutyShifts(ctx, rot, ctx.clock.now(), count),
    ...(rot.businessHours ? { businessHours: rot.businessHours } : {}),
  };
}

/** How far ahead shiftsOf looks, in shifts of each rotation (a weekly rotation of 3: about 20 weeks). */
export const SHIFT_LOOKAHEAD = 60;

/**
 * A person's shifts in effect now or coming (at most `count`, soonest first) over every configured
 * rotation, overrides included (theirs, and not the parts others hold for them), looking
 * SHIFT_LOOKAHEAD shifts ahead in each.
 */
export async function shiftsOf(
  ctx: Ctx,
  userId: string,
  count: number,
): Promise<(DutyShift & { rotationName: string })[]> {
  const now = ctx.clock.now();
  const each = await Promise.all(
    ctx.config.rotations.map(async (rot) =>
      (await dutyShifts(ctx, rot, now, SHIFT_LOOKAHEAD))
        .filter((s) => s.userId === userId)
        .map((s) => ({ ...s, rotationName: rot.name })),
    ),
  );
  return each
    .flat()
    .sort((a, b) => a.start.getTime() - b.start.getTime())
    .slice(0, count);
}

/** The overrides a person holds or set that have not ended, soonest first, with the rotation's name. */
export async function overridesOfPerson(
  ctx: Ctx,
  userId: string,
  count: number,
): Promise<(Override & { rotationName: string })[]> {
  const rows = await overridesOf(ctx.pool, userId, ctx.clock.now(), count);
  return rows.map((o) => ({
    ...o,
    rotationName: ctx.config.rotations.find((r) => r.id === o.rotationId)?.name ?? o.rotationId,
  }));
}

/** Shifts asked of the schedule per step while dutyBetween walks a window (a month of hourly shifts: 744). */
const WINDOW_STEP = 64;

/** The schedule's shifts (overrides laid over) from `from` until they reach `to`, unclipped. */
async function computedBetween(ctx: Ctx, rot: Rotation, from: Date, to: Date): Promise<DutyShift[]> {
  const out: DutyShift[] = [];
  let cursor = from;
  while (cursor.getTime() < to.getTime()) {
    const batch = (await dutyShifts(ctx, rot, cursor, WINDOW_STEP)).filter(
      (s) => s.start.getTime() < to.getTime() && s.end.getTime() > cursor.getTime(),
    );
    const last = batch[batch.length - 1];
    if (!last || last.end.getTime() <= cursor.getTime()) break;
    out.push(...batch);
    cursor = last.end;
  }
  return out;
}

/**
 * Lays `p` after the pieces so far, keeping them back to back and never overlapping: the same shift
 * met again (same start and person: the record up to now, the schedule from now) is one piece, the
 * later one's; otherwise what came first holds its time and `p` begins after it.
 */
function stitch(out: DutyShift[], p: DutyShift): void {
  const last = out[out.length - 1];
  if (last && p.start.getTime() < last.end.getTime()) {
    if (p.start.getTime() === last.start.getTime() && p.userId === last.userId) {
      out[out.length - 1] = p;
      return;
    }
    if (p.end.getTime() <= last.end.getTime()) return;
    p = { ...p, start: last.end };
  }
  out.push(p);
}

const clip = (s: DutyShift, from: Date, to: Date): DutyShift => ({
  ...s,
  start: s.start.getTime() < from.getTime() ? from : s.start,
  end: s.end.getTime() > to.getTime() ? to : s.end,
});

/**
 * Who held (and will hold) rotation `rot` from `from` to `to`: for the past the shift history (each
 * recorded handoff, overrides included as they were recorded), with the schedule filling any time
 * nothing final was recorded (before toban recorded, while the handoff job was down, and from the
 * latest recorded handoff on, anchored on it); from now on the
 * resolver's schedule with the overrides laid over. Pieces in order, back to back, not overlapping;
 * the first may begin before `from` and the last end after `to` (whole shifts, as /oncall lists
 * them). Does not know business hours: callers that count hours leave those out (domain/duty-hours).
 */
export async function dutyBetween(ctx: Ctx, rot: Rotation, from: Date, to: Date): Promise<DutyShift[]> {
  const now = ctx.clock.now();
  const out: DutyShift[] = [];
  const pastEnd = new Date(Math.min(to.getTime(), now.getTime()));
  if (from.getTime() < pastEnd.getTime()) {
    const [before, rows, latest] = await Promise.all([
      lastHandoff(ctx.pool, rot.id, from),
      handoffsBetween(ctx.pool, rot.id, from, pastEnd),
      lastHandoff(ctx.pool, rot.id),
    ]);
    // A recorded handoff is final once the next one is recorded (its end is then that one's start);
    // the latest one's end is only expected (an override may begin before it that the handoff job
    // has not recorded yet), so from its start the schedule, anchored on it, answers.
    const closed = (r: RecordedHandoff) => r.startsAt.getTime() !== latest?.startsAt.getTime();
    const recorded = [...(before && before.endsAt.getTime() > from.getTime() ? [before] : []), ...rows]
      .filter((r, i, all) => i === 0 || r.startsAt.getTime() !== all[i - 1]!.startsAt.getTime())
      .filter(closed)
      .map((r): DutyShift => ({
        rotationId: rot.id,
        userId: r.userId,
        scheduledUserId: r.scheduledUserId,
        start: r.startsAt,
        end: r.endsAt.getTime() > pastEnd.getTime() ? pastEnd : r.endsAt,
        ...(r.overrideId && r.reason !== 'schedule'
          ? { override: { id: r.overrideId, kind: r.reason } }
          : {}),
      }));
    let cursor = from;
    const fill = async (until: Date) => {
      if (cursor.getTime() >= until.getTime()) return;
      for (const s of await computedBetween(ctx, rot, cursor, until)) stitch(out, clip(s, s.start, until));
    };
    for (const r of recorded) {
      await fill(r.start);
      stitch(out, r);
      if (r.end.getTime() > cursor.getTime()) cursor = r.end;
    }
    await fill(pastEnd);
  }
  const futureFrom = new Date(Math.max(from.getTime(), now.getTime()));
  if (futureFrom.getTime() < to.getTime())
    for (const s of await computedBetween(ctx, rot, futureFrom, to)) stitch(out, s);
  return out;
}
