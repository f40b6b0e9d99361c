// Setting an override (/oncall override <rotation> @user <from> <to>): checked, then stored once per
// Slack request. Refused with nothing changed: a person neither in the rotation nor an admin, a user
// the workspace does not have, a period that is empty, begins in the past or overlaps another
// override of the rotation.
import type { AppContext } from '../../core/context.ts';
import { PermissionError, UserError } from '../../core/errors.ts';
import { insertOverride, lockRotation, overrideByRequestKey, overridesBetween } from '../../db/rotations.ts';
import { withTransaction, type Tx } from '../../db/pool.ts';
import { overrideProblem, type Override } from '../../domain/override.ts';
import { typedTime } from '../../domain/override-time.ts';
import type { Rotation } from '../../domain/rotation.ts';
import { isAdmin } from '../permissions.ts';

type Ctx = Pick<AppContext, 'config' | 'clock' | 'pool' | 'directory'>;

export interface OverrideRequest {
  rotation: Rotation;
  /** Who is to hold the duty. */
  userId: string;
  start: Date;
  end: Date;
  /** Who asks. */
  by: string;
  /** The Slack request's key: asked again under it, the override is stored once. */
  key?: string;
}

/**
 * Refuses (PermissionError) anyone who is neither a member of the rotation nor an admin.
 * @throws PermissionCheckError when an admins user group cannot be read.
 */
export async function mayChangeRotation(ctx: Ctx, rot: Rotation, userId: string): Promise<void> {
  if (rot.members.includes(userId) || (await isAdmin(ctx.config, ctx.directory, userId))) return;
  throw new PermissionError('rotations.not_allowed', { rotation: rot.name });
}

/**
 * Checks a period against the rotation's overrides, under the rotation's lock (`tx` holds it):
 * throws the UserError that says what is wrong, else returns.
 */
export async function checkPeriod(
  tx: Tx,
  ctx: Ctx,
  rot: Rotation,
  period: { start: Date; end: Date },
): Promise<void> {
  const zone = ctx.config.timezone;
  const existing = await overridesBetween(tx, rot.id, period.start, period.end);
  const problem = overrideProblem(period, ctx.clock.now(), existing);
  if (!problem) return;
  const from = typedTime(period.start, zone);
  const to = typedTime(period.end, zone);
  if (problem.problem === 'empty') throw new UserError('rotations.empty_period', { from, to });
  if (problem.problem === 'past') throw new UserError('rotations.past_period', { from });
  throw new UserError('rotations.overlap', {
    rotation: rot.name,
    user: problem.with.userId,
    from: typedTime(problem.with.start, zone),
    to: typedTime(problem.with.end, zone),
  });
}

/** Whether the workspace has the user; a directory that cannot tell refuses the change (nothing stored). */
async function userExists(ctx: Ctx, userId: string): Promise<boolean> {
  try {
    return await ctx.directory.userExists(userId);
  } catch {
    throw new UserError('rotations.user_check_failed', { user: userId });
  }
}

export async function setOverride(
  ctx: Ctx,
  req: OverrideRequest,
): Promise<{ override: Override; created: boolean }> {
  if (req.key) {
    const earlier = await overrideByRequestKey(ctx.pool, req.key);
    if (earlier) return { override: earlier, created: false };
  }
  await mayChangeRotation(ctx, req.rotation, req.by);
  if (!(await userExists(ctx, req.userId)))
    throw new UserError('rotations.unknown_user', { user: req.userId });
  return withTransaction(ctx.pool, async (tx) => {
    await lockRotation(tx, req.rotation.id);
    // Another replica stored it under this key since the look-up above: theirs stands.
    if (req.key) {
      const earlier = await overrideByRequestKey(tx, req.key);
      if (earlier) return { override: earlier, created: false };
    }
    await checkPeriod(tx, ctx, req.rotation, req);
    const override = await insertOverride(tx, {
      rotationId: req.rotation.id,
      userId: req.userId,
      start: req.start,
      end: req.end,
      kind: 'override',
      createdBy: req.by,
      coverRequestId: null,
      requestKey: req.key ?? null,
      at: ctx.clock.now(),
    });
    return { override: override!, created: true };
  });
}
