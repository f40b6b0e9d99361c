// The resolver: who is on duty in a rotation at an instant. The one place /oncall, the App Home,
// investigations (and later alerts and escalation) ask. The schedule is computed on from the last
// recorded handoff (shift history, history.ts), so the past is the record and a change to the
// members takes effect at the next handoff; overrides stored in the database are laid over it; and
// outside a rotation's business hours nobody is on duty (which is not a gap).
import type { AppContext } from '../../core/context.ts';
import { lastHandoff, overridesBetween, overridesOf } from '../../db/rotations.ts';
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
