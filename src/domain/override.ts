// Overrides (交代を登録) and cover requests (代打を募集): stored exceptions laid over the shifts a
// rotation computes. Within one rotation overrides never overlap (the service refuses it), so laying
// them over is cutting each shift at their edges. Pure: instants and lists come with the call.
import type { Shift } from './rotation.ts';

/** How an override came to be: typed by someone (`override`) or a cover request accepted (`cover`). */
export type OverrideKind = 'override' | 'cover';

export interface Override {
  /** The bigint id as a decimal string. */
  id: string;
  rotationId: string;
  /** Who holds the rotation's duty from `start` to `end` (Slack user id). */
  userId: string;
  start: Date;
  /** After `start`; the override ends here (half-open, like shifts). */
  end: Date;
  kind: OverrideKind;
  /** Who set it (the typer, or the requester of the cover). */
  createdBy: string;
}

/** A shift as people see it: the schedule's person, or the override laid over that part of it. */
export interface DutyShift extends Shift {
  /** Whose turn it is by the schedule; `userId` differs when an override holds it. */
  scheduledUserId: string;
  override?: Pick<Override, 'id' | 'kind'>;
}

/**
 * The shifts with the overrides laid over them: a shift an override covers in part is cut into the
 * parts before, during and after it, each part its own DutyShift, still back to back. `overrides`
 * may hold any overrides of the rotation (others are ignored); they must not overlap each other.
 */
export function applyOverrides(shifts: readonly Shift[], overrides: readonly Override[]): DutyShift[] {
  const sorted = [...overrides].sort((a, b) => a.start.getTime() - b.start.getTime());
  const out: DutyShift[] = [];
  for (const s of shifts) {
    let from = s.start.getTime();
    const to = s.end.getTime();
    for (const o of sorted) {
      if (o.rotationId !== s.rotationId) continue;
      const os = Math.max(o.start.getTime(), from);
      const oe = Math.min(o.end.getTime(), to);
      if (oe <= os) continue;
      if (os > from) out.push({ ...s, scheduledUserId: s.userId, start: new Date(from), end: new Date(os) });
      out.push({
        ...s,
        userId: o.userId,
        scheduledUserId: s.userId,
        start: new Date(os),
        end: new Date(oe),
        override: { id: o.id, kind: o.kind },
      });
      from = oe;
    }
    if (from < to) out.push({ ...s, scheduledUserId: s.userId, start: new Date(from), end: new Date(to) });
  }
  return out;
}

/** Why a period cannot be an override of a rotation, or undefined when it can. */
export type OverrideProblem =
  { problem: 'empty' } | { problem: 'past' } | { problem: 'overlap'; with: Override };

/**
 * Checks a period for a new override of one rotation: it must end after it begins, must not begin
 * in the past (before the minute `now` falls in: typing the current time is fine), and must not
 * overlap any of `existing` (the rotation's overrides).
 */
export function overrideProblem(
  period: { start: Date; end: Date },
  now: Date,
  existing: readonly Override[],
): OverrideProblem | undefined {
  if (period.end.getTime() <= period.start.getTime()) return { problem: 'empty' };
  const minute = Math.floor(now.getTime() / 60_000) * 60_000;
  if (period.start.getTime() < minute) return { problem: 'past' };
  const clash = existing.find(
    (o) => o.start.getTime() < period.end.getTime() && period.start.getTime() < o.end.getTime(),
  );
  return clash ? { problem: 'overlap', with: clash } : undefined;
}
