// Who is on duty, from the configured rotations. (Overrides stored in the database join here later.)
import type { AppContext } from '../core/context.ts';
import { isBusinessDay } from '../domain/business-days.ts';
import { currentShift, shiftsFrom, type Rotation, type Shift } from '../domain/rotation.ts';

export interface RotationNow {
  id: string;
  name: string;
  current?: Shift;
  next?: Shift;
}

export function onDutyNow(ctx: Pick<AppContext, 'config' | 'clock'>): RotationNow[] {
  const now = ctx.clock.now();
  return ctx.config.rotations.map((rot) => {
    const [current, next] = shiftsFrom(rot, now, 1, isBusinessDay);
    return { id: rot.id, name: rot.name, current, next };
  });
}

export function upcoming(
  ctx: Pick<AppContext, 'config' | 'clock'>,
  rot: Rotation,
  count: number,
): { id: string; name: string; shifts: Shift[] } {
  return {
    id: rot.id,
    name: rot.name,
    shifts: shiftsFrom(rot, ctx.clock.now(), count, isBusinessDay),
  };
}

export function whoIsOnDuty(
  ctx: Pick<AppContext, 'config' | 'clock'>,
  rotationId: string,
): string | undefined {
  const rot = ctx.config.rotations.find((r) => r.id === rotationId);
  return rot && currentShift(rot, ctx.clock.now(), isBusinessDay)?.userId;
}

/** How far ahead shiftsOf looks, in shifts of each rotation (a weekly rotation of 3: about 20 weeks). */
export const SHIFT_LOOKAHEAD = 60;

/**
 * A person's shifts in effect now or coming (at most `count`, soonest first) over every configured
 * rotation, looking SHIFT_LOOKAHEAD shifts ahead in each.
 */
export function shiftsOf(
  ctx: Pick<AppContext, 'config' | 'clock'>,
  userId: string,
  count: number,
): (Shift & { rotationName: string })[] {
  const now = ctx.clock.now();
  return ctx.config.rotations
    .flatMap((rot) =>
      shiftsFrom(rot, now, SHIFT_LOOKAHEAD, isBusinessDay)
        .filter((s) => s.userId === userId)
        .map((s) => ({ ...s, rotationName: rot.name })),
    )
    .sort((a, b) => a.start.getTime() - b.start.getTime())
    .slice(0, count);
}
