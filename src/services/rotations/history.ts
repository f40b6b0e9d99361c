// Shift history: recordHandoffs writes each handoff that has happened (who, from, to, why) once per
// rotation and instant, whichever replica gets there first. It continues from the last handoff
// recorded: the handoffs after it are computed on from it (the resolver's schedule) with the
// overrides laid over, and each one up to `upTo` becomes a row. With nothing recorded yet it starts
// with the shift in effect at `upTo`: the time before toban recorded is not made up.
//
// The handoff job (announcement, DM, user group) calls it and does its Slack writes through
// `onRecorded`, in the transaction that wrote the row: a handoff is then announced by the one
// replica that recorded it.
import type { AppContext } from '../../core/context.ts';
import {
  insertHandoff,
  lastHandoff,
  lockRotation,
  overridesBetween,
  type RecordedHandoff,
} from '../../db/rotations.ts';
import { withTransaction, type Tx } from '../../db/pool.ts';
import { applyOverrides, type DutyShift } from '../../domain/override.ts';
import { shiftsFrom, type Anchor, type Rotation, type Shift } from '../../domain/rotation.ts';
import { calendarOf } from './resolver.ts';

type Ctx = Pick<AppContext, 'config' | 'pool'>;

/** Shifts computed per step while catching up (a job down for a week, hourly shifts: 168). */
const STEP = 64;
/** At most this many handoffs recorded per rotation per call; the next call goes on from there. */
const MAX_PER_CALL = 2_000;

/**
 * Records every handoff up to `upTo` in every configured rotation that is not recorded yet.
 * Idempotent: a second call, or the same call on another replica at the same time, writes nothing
 * twice (unique rotation + start; one writer per rotation at a time). Returns the handoffs this call
 * wrote, oldest first per rotation. `onRecorded` runs for each, inside the transaction that wrote it.
 */
export async function recordHandoffs(
  ctx: Ctx,
  upTo: Date,
  onRecorded?: (tx: Tx, handoff: RecordedHandoff) => Promise<void>,
): Promise<RecordedHandoff[]> {
  const written: RecordedHandoff[] = [];
  for (const rot of ctx.config.rotations) {
    written.push(
      ...(await withTransaction(ctx.pool, async (tx) => {
        await lockRotation(tx, rot.id);
        const rows = await dueHandoffs(tx, ctx, rot, upTo);
        const mine: RecordedHandoff[] = [];
        for (const row of rows) {
          if (!(await insertHandoff(tx, row))) continue;
          mine.push(row);
          if (onRecorded) await onRecorded(tx, row);
        }
        return mine;
      })),
    );
  }
  return written;
}

/** The handoffs of `rot` after its last recorded one, up to `upTo` (see the module comment). */
async function dueHandoffs(tx: Tx, ctx: Ctx, rot: Rotation, upTo: Date): Promise<RecordedHandoff[]> {
  const last = await lastHandoff(tx, rot.id);
  if (last && last.startsAt.getTime() >= upTo.getTime()) return [];
  const anchor: Anchor | undefined = last && {
    start: last.startsAt,
    userId: last.scheduledUserId,
    position: last.position,
  };
  const calendar = calendarOf(ctx);
  const shifts: Shift[] = [];
  let cursor = last?.startsAt ?? upTo;
  for (;;) {
    const batch = shiftsFrom(rot, cursor, STEP, calendar, anchor);
    // Each batch begins with the shift in effect at the cursor, the last one of the batch before.
    shifts.push(...(shifts.length > 0 ? batch.slice(1) : batch));
    const end = batch[batch.length - 1]?.end;
    if (!end || end.getTime() > upTo.getTime() || shifts.length >= MAX_PER_CALL || batch.length <= 1) break;
    cursor = new Date(end.getTime() - 1);
  }
  if (shifts.length === 0) return [];
  const overrides = await overridesBetween(tx, rot.id, shifts[0]!.start, shifts[shifts.length - 1]!.end);
  const pieces = applyOverrides(shifts, overrides);
  const due = (p: DutyShift) =>
    p.start.getTime() <= upTo.getTime() &&
    (last ? p.start.getTime() > last.startsAt.getTime() : p.end.getTime() > upTo.getTime());
  const rows = pieces.filter(due);
  // An override (or an accepted cover) set after the last handoff was recorded, over a period that
  // began before it ("take it now", accepted late), changes who is on duty now, yet starts no piece
  // after the record: its handoff happens when toban learns of it, at `upTo`. Until then the person
  // recorded was on duty, which is what happened.
  if (last && rows.length === 0) {
    const now = pieces.find((p) => p.start.getTime() <= upTo.getTime() && p.end.getTime() > upTo.getTime());
    if (now && now.userId !== last.userId) rows.push({ ...now, start: upTo });
  }
  return rows.slice(0, MAX_PER_CALL).map((p) => {
    const place = rot.members.indexOf(p.scheduledUserId);
    return {
      rotationId: rot.id,
      startsAt: p.start,
      endsAt: p.end,
      userId: p.userId,
      scheduledUserId: p.scheduledUserId,
      // The person whose turn it was may have left the list since the anchor: keep their place.
      position: place >= 0 ? place : (anchor?.position ?? 0),
      reason: p.override ? p.override.kind : 'schedule',
      overrideId: p.override?.id ?? null,
    };
  });
}
